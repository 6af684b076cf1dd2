using System.IO.Compression;

namespace StaticGrad.Package.Tests;

/// <summary>
/// Packs StaticGrad once per test run into a temporary local feed, with a version no cache has seen, so that
/// every consumer project restores exactly this build of the package.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        RepoRoot = FindRepoRoot();
        Root = Path.Combine(Path.GetTempPath(), "staticgrad-package-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

        // The test assembly sits in bin/<Configuration>/<tfm>/: pack the same configuration that `dotnet test` just
        // built, without building again (other test assemblies run at the same time from those outputs).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        PackOutput = ProcessRunner.Dotnet(
                RepoRoot,
                "pack",
                Path.Combine(RepoRoot, "runtime", "StaticGrad", "StaticGrad.csproj"),
                "-c", configuration,
                "--no-build",
                "-o", Feed,
                "-p:Version=" + Version)
            .EnsureSuccess("dotnet pack")
            .Output;
        PackagePath = Path.Combine(Feed, "StaticGrad." + Version + ".nupkg");
        using var archive = ZipFile.OpenRead(PackagePath);
        Entries = archive.Entries.Select(e => e.FullName).ToArray();
    }

    public string RepoRoot { get; }

    public string Root { get; }

    public string Feed { get; }

    public string Packages { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public string PackOutput { get; }

    public IReadOnlyList<string> Entries { get; }

    /// <summary>Creates a fresh console project that references the package by version, as a new user would.</summary>
    /// <param name="outputType"><c>Exe</c> for a console program, <c>Library</c> for a class library.</param>
    public string CreateConsumer(string name, string programSource, string extraProperties = "", string outputType = "Exe")
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <RestorePackagesPath>{Packages}</RestorePackagesPath>
                <RestoreFallbackFolders>{GlobalPackagesFolder()}</RestoreFallbackFolders>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="StaticGrad" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);

        // Keep the machine's own package sources and add the local feed: the user's situation after `dotnet pack`.
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="staticgrad-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);

        // Outside the repository, so that its Directory.Build.props and central package versions do not apply.
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the folder is in the temp directory.
        }
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StaticGrad.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StaticGrad.sln not found above " + AppContext.BaseDirectory);
    }
}
