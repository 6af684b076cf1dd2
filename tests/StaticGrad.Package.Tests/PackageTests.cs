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
            Assert.Contains($"analyzers/dotnet/roslyn4.8/cs/{component}.dll", package.Entries);
        }

        // The project properties and the compiler-floor check, for direct and transitive references.
        foreach (var file in new[] { "build/StaticGrad.props", "build/StaticGrad.targets", "buildTransitive/StaticGrad.props", "buildTransitive/StaticGrad.targets" })
        {
            Assert.Contains(file, package.Entries);
        }

        Assert.Contains("README.md", package.Entries);

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

        // A correct program must build without a single StaticGrad finding (analyzers and SG1xxx alike).
        Assert.DoesNotContain(BuildDiagnostics.Parse(build.Output), d => d.Id.StartsWith("SG", StringComparison.Ordinal));

        var generated = Directory.GetFiles(Path.Combine(directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains("StaticGrad.Generator", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();
        Assert.Contains("Consumer.Models.Horner.g.cs", generated);
        Assert.Contains("Consumer.Models.Logistic.g.cs", generated);
        Assert.Contains("Consumer.Kernels.Bump.g.cs", generated);

        var run = ProcessRunner.Dotnet(directory, "run", "-c", "Release", "--no-build").EnsureSuccess("dotnet run of the consumer");

        // Loop with overwrites, array parameter, call into another type, rule for an unreadable method, [NoGrad]:
        // double precision against central differences with the default step (error about 1e-10).
        var horner = PrintedGradient.Find(run.Output, "horner");
        Assert.Equal(4, horner.Gradient.Length);
        PrintedGradient.AssertClose(horner, relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        Assert.Contains(horner.Gradient, g => Math.Abs(g) > 1e-3); // a gradient that is all zeros would prove nothing

        // float: 7 significant digits and a 1e-2 step (truncation error about 1e-5), so 1e-3 relative.
        var logistic = PrintedGradient.Find(run.Output, "logistic");
        Assert.Equal(2, logistic.Gradient.Length);
        PrintedGradient.AssertClose(logistic, relativeTolerance: 1e-3, absoluteTolerance: 1e-4);
        Assert.All(logistic.Gradient, g => Assert.True(Math.Abs(g) > 1e-2, $"gradient component {g} unexpectedly small"));
    }

    [Fact]
    public void Planted_errors_fail_the_build_with_exactly_their_ids_at_their_locations()
    {
        var directory = package.CreateConsumer("Broken", ConsumerPrograms.Broken);

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release");
        Assert.NotEqual(0, build.ExitCode);

        var expected = new[]
        {
            new BuildDiagnostic("Program.cs", LineColumn(ConsumerPrograms.Broken, ConsumerPrograms.PlantedTensorError), "error", "SG0001"),
            new BuildDiagnostic("Program.cs", LineColumn(ConsumerPrograms.Broken, ConsumerPrograms.PlantedDifferentiabilityError), "error", "SG1001"),
        };

        // Errors and StaticGrad warnings alike: nothing else may be reported (MSBuild prints each line twice, once
        // as it happens and once in the summary, so the set is compared).
        var reported = BuildDiagnostics.Parse(build.Output)
            .Where(d => d.Severity == "error" || d.Id.StartsWith("SG", StringComparison.Ordinal))
            .Distinct()
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, reported);
    }

    /// <summary>The 1-based line and column where <paramref name="marker"/> starts, as the compiler prints them.</summary>
    private static (int Line, int Column) LineColumn(string source, string marker)
    {
        var offset = source.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(offset >= 0 && source.IndexOf(marker, offset + 1, StringComparison.Ordinal) < 0, $"marker '{marker}' must occur once");
        var before = source[..offset].Replace("\r\n", "\n", StringComparison.Ordinal);
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }
}

[CollectionDefinition(nameof(PackageCollection))]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
}
