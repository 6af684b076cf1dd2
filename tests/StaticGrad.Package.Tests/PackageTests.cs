namespace StaticGrad.Package.Tests;

/// <summary>
/// What a new user does: reference the packed StaticGrad package from a fresh console project, build it with the
/// installed SDK's compiler, and run it. Proves that the generator and analyzers load in the real compiler (a
/// component built against a too-new Roslyn would be refused with CS9057 and silently generate nothing).
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class PackageTests(PackageFixture package)
{
    [Fact]
    public void Package_holds_the_runtime_and_every_compiler_component()
    {
        Assert.Contains("lib/net8.0/StaticGrad.dll", package.Entries);
        Assert.Contains("lib/net8.0/StaticGrad.xml", package.Entries);
        foreach (var component in new[] { "StaticGrad.Compiler", "StaticGrad.Generator", "StaticGrad.Analyzers", "StaticGrad.CodeFixes" })
        {
            Assert.Contains($"analyzers/dotnet/cs/{component}.dll", package.Entries);
        }

        // Roslyn is the host's: shipping it would shadow the compiler's own copy.
        Assert.DoesNotContain(package.Entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.Single(package.Entries, e => e.EndsWith(".nuspec", StringComparison.Ordinal));
    }

    [Fact]
    public void Fresh_console_project_builds_generates_and_runs()
    {
        var directory = package.CreateConsumer("Consumer", ConsumerPrograms.Working);

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release").EnsureSuccess("dotnet build of the consumer");
        Assert.DoesNotContain("CS9057", build.Output);
        Assert.DoesNotContain("CS8032", build.Output); // an analyzer that could not be instantiated

        var generated = Directory.GetFiles(Path.Combine(directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains("StaticGrad.Generator", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();
        Assert.Contains("Consumer.Functions.Square.g.cs", generated);

        var run = ProcessRunner.Dotnet(directory, "run", "-c", "Release", "--no-build").EnsureSuccess("dotnet run of the consumer");
        Assert.Contains("identity: value=3 grad=1", run.Output);
    }
}

[CollectionDefinition(nameof(PackageCollection))]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
}
