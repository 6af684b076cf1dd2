namespace StaticGrad.Package.Tests;

/// <summary>
/// An internal error as a user of the packed package sees it (issue 13): the hidden project property
/// <c>StaticGradFaultInjection</c> makes the shipped generator fail on purpose in one method's backward stage. The
/// build reports exactly one error, SG1000 at that method's name, and nothing from the generator itself (CS8785);
/// the neighbours declared before and after it keep their backward (the program calls them, so a lost output would
/// show as CS0117).
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class FaultInjectionConsumerTests(PackageFixture package)
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Faulted;

        public static partial class Functions
        {
            [Differentiable]
            public static double Before(double x, double y) => Math.Sin(x) * y;

            [Differentiable]
            public static double Target(double x) => x * x * x;

            [Differentiable]
            public static double After(double x) { var s = 0.0; for (int i = 0; i < 3; i++) s = s * x + 1; return s; }
        }

        public static class Program
        {
            public static void Main()
            {
                double dx = 0, dy = 0, dz = 0;
                Console.WriteLine(Functions.BeforeBackward(0.5, 2.0, ref dx, ref dy) + Functions.AfterBackward(0.5, ref dz) + Functions.Target(0.5));
            }
        }
        """;

    [Fact]
    public void An_internal_error_in_one_method_is_one_SG1000_there_and_its_neighbours_keep_their_output()
    {
        var directory = package.CreateConsumer("Faulted", Source, "<StaticGradFaultInjection>Target</StaticGradFaultInjection>");

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release");

        Assert.NotEqual(0, build.ExitCode);
        var line = Source[..Source.IndexOf("Target(double", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        var errors = BuildDiagnostics.Parse(build.Output).Where(d => d.Severity == "error" || d.Id == "CS8785").Distinct().ToArray();
        Assert.True(
            errors.Length == 1 && errors[0].Id == "SG1000" && errors[0].File == "Program.cs" && errors[0].Position.Line == line,
            $"Expected one SG1000 at Program.cs line {line}, got:\n{string.Join("\n", errors)}\n{build.Output}");
        Assert.Contains("fault injected by StaticGradFaultInjection=Target", build.Output, StringComparison.Ordinal);
    }
}
