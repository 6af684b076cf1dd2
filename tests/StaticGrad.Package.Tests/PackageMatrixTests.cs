namespace StaticGrad.Package.Tests;

/// <summary>
/// Fresh console and library consumers of the packed package, built with every warning a project can turn on
/// (<c>AnalysisLevel latest-all</c>, <c>WarningLevel 9999</c>, <c>TreatWarningsAsErrors</c>,
/// <c>GenerateDocumentationFile</c>), Nullable on and off, at C# 9, 10, 12 and latest, with and without the opt-in
/// outputs. Four builds cover the matrix (each setting appears at least once), each with the methods whose names
/// collide with every generated name; a build fails on any warning or error from a generated file, and the test names them.
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class PackageMatrixTests(PackageFixture package)
{
    private const string Strict = """
        <AnalysisLevel>latest-all</AnalysisLevel>
        <WarningLevel>9999</WarningLevel>
        <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
        <GenerateDocumentationFile>true</GenerateDocumentationFile>
        """;

    public static TheoryData<string, string, string, string, string> Configurations() => new()
    {
        // name, output type, LangVersion, Nullable, how outputs are opted in
        { "Console9", "Exe", "9", "enable", "project" }, // ImplicitUsings needs C# 10: off, as a C# 9 project has it
        { "Library10", "Library", "10", "disable", "attribute" },
        { "Library12", "Library", "12", "enable", "none" },
        { "ConsoleLatest", "Exe", "latest", "disable", "project" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Consumer_builds_without_a_finding_in_generated_code(string name, string outputType, string langVersion, string nullable, string optIn)
    {
        var attribute = optIn == "attribute" ? "Differentiable(Forward = true, Tensor = true, Hessian = true)" : "Differentiable";
        var properties = Strict + $"""

            <LangVersion>{langVersion}</LangVersion>
            <Nullable>{nullable}</Nullable>
            <ImplicitUsings>{(langVersion == "9" ? "disable" : "enable")}</ImplicitUsings>
            """;
        if (optIn == "project")
        {
            properties += """

                <StaticGradForward>true</StaticGradForward>
                <StaticGradTensor>true</StaticGradTensor>
                """;
        }

        // The user's own code is not under test: its findings under latest-all (CA1515, CA1303, …) are silenced in
        // its own files only, which a #pragma cannot reach beyond; generated files get no such help.
        var source = "#pragma warning disable\n" + MatrixPrograms.LibraryWith(attribute) + (outputType == "Exe" ? "\n" + MatrixPrograms.Program : string.Empty);
        var directory = package.CreateConsumer(name, source, properties, outputType);

        // Every row also carries the methods whose names collide with what the generator emits (dx, seed, @base, o,
        // _tape, _result, …): a hostile build of its own per language version cost a whole consumer build each.
        File.WriteAllText(Path.Combine(directory, "Hostile.cs"), "#pragma warning disable\n" + MatrixPrograms.CollidingNames.Replace("[Differentiable]", "[" + attribute + "]", StringComparison.Ordinal));

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release");

        var generated = BuildDiagnostics.Parse(build.Output).Where(d => d.File.EndsWith(".g.cs", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(generated.Count == 0, "Findings in generated files:\n" + string.Join("\n", build.Output.Split('\n').Where(l => l.Contains(".g.cs(", StringComparison.Ordinal)).Distinct()));
        build.EnsureSuccess($"dotnet build of {name}");

        var files = GeneratedFiles(directory);
        Assert.Contains("Matrix.Functions.Piecewise.g.cs", files);
        var optedIn = optIn != "none";
        Assert.Equal(optedIn, files.Contains("Matrix.Functions.Piecewise.Tangent.g.cs"));
        Assert.Equal(optedIn, files.Contains("Matrix.Functions.Piecewise.Tensor.g.cs"));
        Assert.Equal(optIn == "attribute", files.Contains("Matrix.Functions.Piecewise.Hessian.g.cs"));
        Assert.Equal(optedIn, File.ReadAllText(GeneratedFile(directory, "Matrix.Functions.Activation.Tensor.g.cs")).Contains("ActivationFused", StringComparison.Ordinal));
        Assert.Contains("Matrix.Hostile.Keywords.g.cs", files);
        Assert.Equal(optedIn, files.Contains("Matrix.Hostile.Step.Tangent.g.cs"));
    }

    [Fact]
    public void A_compiler_older_than_the_floor_stops_the_build_with_one_clear_error()
    {
        // The SDK reads the compiler's API version into CompilerApiVersion; Roslyn 4.7 stands for any older compiler.
        var directory = package.CreateConsumer("OldCompiler", MatrixPrograms.Program.Replace("Functions.", "Missing.", StringComparison.Ordinal));

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release", "-p:CompilerApiVersion=roslyn4.7");

        Assert.NotEqual(0, build.ExitCode);
        var errors = build.Output.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal) && !l.Contains("Build FAILED", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
        Assert.Contains(errors, e => e.Contains("SGBUILD001", StringComparison.Ordinal) && e.Contains(".NET 8 SDK", StringComparison.Ordinal) && e.Contains("Roslyn 4.7", StringComparison.Ordinal));

        // The build stops before compiling: no CS error about the missing methods drowns the sentence.
        Assert.DoesNotContain(errors, e => e.Contains("error CS", StringComparison.Ordinal));
    }

    private static string[] GeneratedFiles(string directory) =>
        Directory.GetFiles(Path.Combine(directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains("StaticGrad.Generator", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f)!)
            .ToArray();

    private static string GeneratedFile(string directory, string name) =>
        Directory.GetFiles(Path.Combine(directory, "obj"), name, SearchOption.AllDirectories).Single();
}
