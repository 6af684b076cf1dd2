namespace StaticGrad.Package.Tests;

/// <summary>
/// Isolation as a user of the packed package sees it (issue 13): one method the compiler cannot differentiate costs
/// only that method's output. The consumer calls the backward of its neighbours, declared before and after it, so a
/// generator that gave up on the whole project would show as CS0117 errors far from the cause (the issue's symptom);
/// the build must instead report exactly one error, at the method, and nothing from the generator itself (CS8785).
/// An internal error (SG1000) takes the same path: <see cref="FaultInjectionConsumerTests"/> injects one through the
/// package's hidden <c>StaticGradFaultInjection</c> property.
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class IsolationConsumerTests(PackageFixture package)
{
    private const string Refused = "goto done;";

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Isolation;

        public static partial class Functions
        {
            [Differentiable]
            public static double Before(double x, double y) => Math.Sin(x) * y;

            [Differentiable]
            public static double Jumps(double x)
            {
                double v = x * x;
                goto done;
                done: return v;
            }

            [Differentiable]
            public static double After(double x) { var s = 0.0; for (int i = 0; i < 3; i++) s = s * x + 1; return s; }
        }

        public static class Program
        {
            public static void Main()
            {
                double dx = 0, dy = 0, dz = 0;
                Console.WriteLine(Functions.BeforeBackward(0.5, 2.0, ref dx, ref dy) + Functions.AfterBackward(0.5, ref dz));
            }
        }
        """;

    [Fact]
    public void A_method_the_compiler_refuses_costs_only_its_own_output()
    {
        var directory = package.CreateConsumer("Isolation", Source);

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release");

        Assert.NotEqual(0, build.ExitCode);
        var offset = Source.IndexOf(Refused, StringComparison.Ordinal);
        var line = Source[..offset].Count(c => c == '\n') + 1;
        var errors = BuildDiagnostics.Parse(build.Output).Where(d => d.Severity == "error" || d.Id == "CS8785").Distinct().ToArray();
        Assert.True(
            errors.Length == 1 && errors[0].Id == "SG1002" && errors[0].File == "Program.cs" && errors[0].Position.Line == line,
            $"Expected one SG1002 at Program.cs line {line}, got:\n{string.Join("\n", errors)}\n{build.Output}");
    }
}
