namespace StaticGrad.Package.Tests;

/// <summary>
/// A consumer whose [Differentiable] methods take a <c>System.Numerics.Vector3</c> and a user's <c>record struct</c>,
/// built from the packed package with every warning on (C# latest, Nullable, forward mode opted in) and run: no finding
/// in a generated file, and the printed gradients agree with central finite differences computed by the program
/// itself (double: step 1e-6, |g − fd| ≤ 1e-8 + 1e-6·|fd|; float: step 1e-2, |g − fd| ≤ 1e-3 + 1e-2·|fd|).
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class StructConsumerTests(PackageFixture package)
{
    private const string Source = """
        #pragma warning disable
        using System;
        using System.Globalization;
        using System.Numerics;
        using StaticGrad;

        namespace Structs
        {
            public record struct Pose(double X, double Y, double Theta);

            public static partial class Functions
            {
                [Differentiable]
                public static double PoseCost(Pose pose, double targetX)
                {
                    var dx = pose.X + Math.Cos(pose.Theta) - targetX;
                    var dy = pose.Y + Math.Sin(pose.Theta);
                    return dx * dx + dy * dy;
                }

                [Differentiable]
                public static float Shade(Vector3 normal, Vector3 light) => Vector3.Dot(normal, light) / (1f + normal.LengthSquared());
            }

            public static class Program
            {
                public static void Main()
                {
                    var pose = new Pose(0.3, -0.2, 0.7);
                    var dPose = default(Pose);
                    double dTarget = 0;
                    Functions.PoseCostBackward(pose, 1.5, ref dPose, ref dTarget);
                    const double h = 1e-6;
                    double Fd(Func<double, double> f) => (f(h) - f(-h)) / (2 * h);
                    Print("pose", new[] { dPose.X, dPose.Y, dPose.Theta, dTarget }, new[]
                    {
                        Fd(e => Functions.PoseCost(pose with { X = pose.X + e }, 1.5)),
                        Fd(e => Functions.PoseCost(pose with { Y = pose.Y + e }, 1.5)),
                        Fd(e => Functions.PoseCost(pose with { Theta = pose.Theta + e }, 1.5)),
                        Fd(e => Functions.PoseCost(pose, 1.5 + e)),
                    });

                    var normal = new Vector3(0.2f, 0.9f, -0.4f);
                    var light = new Vector3(0.5f, 0.3f, 0.8f);
                    var dNormal = Vector3.Zero;
                    var dLight = Vector3.Zero;
                    Functions.ShadeBackward(normal, light, ref dNormal, ref dLight);
                    const float k = 1e-2f;
                    double FdF(Func<float, float> f) => (f(k) - f(-k)) / (2.0 * k);
                    Print("shade", new double[] { dNormal.X, dNormal.Y, dNormal.Z, dLight.X }, new[]
                    {
                        FdF(e => Functions.Shade(normal + new Vector3(e, 0, 0), light)),
                        FdF(e => Functions.Shade(normal + new Vector3(0, e, 0), light)),
                        FdF(e => Functions.Shade(normal + new Vector3(0, 0, e), light)),
                        FdF(e => Functions.Shade(normal, light + new Vector3(e, 0, 0))),
                    });
                }

                private static void Print(string name, double[] gradient, double[] fd) =>
                    Console.WriteLine(name + ": value=0 grad=" + Join(gradient) + " fd=" + Join(fd));

                private static string Join(double[] values) => string.Join(";", Array.ConvertAll(values, v => v.ToString("R", CultureInfo.InvariantCulture)));
            }
        }
        """;

    [Fact]
    public void Vector3_and_record_struct_methods_build_clean_and_their_gradients_match_finite_differences()
    {
        var properties = """
            <AnalysisLevel>latest-all</AnalysisLevel>
            <WarningLevel>9999</WarningLevel>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
            <LangVersion>latest</LangVersion>
            <Nullable>enable</Nullable>
            <StaticGradForward>true</StaticGradForward>
            """;
        var directory = package.CreateConsumer("Structs", Source, properties);

        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release");

        Assert.True(
            !BuildDiagnostics.Parse(build.Output).Any(d => d.File.EndsWith(".g.cs", StringComparison.Ordinal)),
            "Findings in generated files:\n" + string.Join("\n", build.Output.Split('\n').Where(l => l.Contains(".g.cs(", StringComparison.Ordinal)).Distinct()));
        build.EnsureSuccess("dotnet build of the struct consumer");
        var run = ProcessRunner.Dotnet(directory, "run", "-c", "Release", "--no-build").EnsureSuccess("dotnet run of the struct consumer");
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "pose"), relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "shade"), relativeTolerance: 1e-2, absoluteTolerance: 1e-3);
    }
}
