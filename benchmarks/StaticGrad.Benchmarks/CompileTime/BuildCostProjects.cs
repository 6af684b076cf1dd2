using System.Globalization;
using System.Text;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// Writes the projects of the build-cost measurement (docs/benchmarks.md, "Build cost"), in two variants of the same
/// number of methods: <c>realistic</c> (<see cref="RealisticProject"/>: the issue's project, about 6.3 lines a
/// method) and <c>oneline</c> (<see cref="SyntheticProject"/>: one-line methods, 1.6 lines a method, which makes the
/// generated share about four times as large). Each variant is a class library built with the StaticGrad package (<c>with</c>), with the
/// package and every opt-in output on (<c>all</c>), and without the package (<c>without</c>: the two attributes
/// declared in the project, so that the same source compiles and nothing is generated). Timed from outside with
/// whole-process builds (<c>dotnet build --no-restore --no-incremental</c>): <c>&lt;folder&gt;/{realistic,oneline}/{without,with,all}</c>,
/// and the parts of <c>with</c> (<see cref="BuildCostParts"/>): <c>plain</c> and <c>no-analyzers</c>.
/// </summary>
/// <remarks>Usage: <c>--write-build-cost &lt;folder&gt; &lt;package feed&gt; &lt;package version&gt; [methods]</c>.</remarks>
public static class BuildCostProjects
{
    public const string Switch = "--write-build-cost";

    public static int Write(IReadOnlyList<string> args)
    {
        if (args.Count < 3)
        {
            Console.Error.WriteLine($"usage: {Switch} <folder> <package feed> <package version> [methods, default 300]");
            return 2;
        }

        var root = Path.GetFullPath(args[0]);
        var feed = Path.GetFullPath(args[1]);
        var version = args[2];
        var methods = args.Count > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300;
        foreach (var (variant, method) in new (string, Func<int, string>)[] { ("realistic", RealisticProject.Method), ("oneline", m => SyntheticProject.Method(m, edited: false) + "\n") })
        {
            var sources = Sources(methods, method);
            var folder = Path.Combine(root, variant);
            Project(Path.Combine(folder, "without"), sources, package: null, properties: string.Empty, feed);
            Project(Path.Combine(folder, "with"), sources, version, properties: string.Empty, feed);
            Project(Path.Combine(folder, "all"), sources, version, "<StaticGradForward>true</StaticGradForward><StaticGradTensor>true</StaticGradTensor>", feed);
            BuildCostParts.Write(folder, sources, (directory, files, properties, extra) => Project(directory, files, version, properties, feed, extra));
            var lines = sources.Sum(s => s.Text.Split('\n').Length - 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant}: {methods} methods in {sources.Count} files, {lines} lines, written to {folder}/{{without,with,all}}"));
        }

        return 0;
    }

    internal static List<(string Name, string Text)> Sources(int methods, Func<int, string> method)
    {
        var files = new List<(string, string)>();
        for (var file = 0; file * SyntheticProject.MethodsPerFile < methods; file++)
        {
            var text = new StringBuilder();
            text.Append("using System;\nusing StaticGrad;\nnamespace Synthetic;\n")
                .Append(CultureInfo.InvariantCulture, $"public static partial class Model{file}\n{{\n");
            for (var m = file * SyntheticProject.MethodsPerFile; m < Math.Min(methods, (file + 1) * SyntheticProject.MethodsPerFile); m++)
            {
                text.Append(method(m));
            }

            text.Append("}\n");
            files.Add(($"Model{file}.cs", text.ToString()));
        }

        return files;
    }

    private static void Project(string directory, List<(string Name, string Text)> sources, string? package, string properties, string feed, string extra = "")
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in sources)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        var reference = package is null ? string.Empty : $"<ItemGroup><PackageReference Include=\"StaticGrad\" Version=\"{package}\" /></ItemGroup>";
        File.WriteAllText(Path.Combine(directory, "BuildCost.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                {properties}
              </PropertyGroup>
              {reference}
              {extra}
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="staticgrad-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        if (package is null)
        {
            File.WriteAllText(Path.Combine(directory, "Attributes.cs"), AttributesSource);
        }
    }

    /// <summary>The two attributes, declared in the project itself when it builds without the package.</summary>
    internal const string AttributesSource = """
        using System;

        namespace StaticGrad;

        [AttributeUsage(AttributeTargets.Method)]
        public sealed class DifferentiableAttribute : Attribute
        {
        }

        [AttributeUsage(AttributeTargets.Parameter)]
        public sealed class NoGradAttribute : Attribute
        {
        }
        """;
}
