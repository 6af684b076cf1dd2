namespace StaticGrad.Package.Tests;

/// <summary>
/// A consumer whose [Differentiable] methods take a <c>System.Numerics.Vector3</c> and a user's <c>record struct</c>,
/// walk and spread the rows of a jagged array, build a struct with a computing constructor, and (Hessian = true) add
/// structs with a user operator marked for second derivatives, reads primary-constructor parameters as configuration,
/// and (Hessian = true) differentiates a <c>double[,]</c> matrix whose H·v takes grid-shaped directions,
/// built from the packed package with every warning on (C# latest, Nullable, forward mode opted in) and run: no finding
/// in a generated file, and the printed gradients agree with central finite differences computed by the program
/// itself (double: step 1e-6, |g − fd| ≤ 1e-8 + 1e-6·|fd|; float: step 1e-2, |g − fd| ≤ 1e-3 + 1e-2·|fd|; H·v against
/// differences of the gradient: |Hv − fd| ≤ 1e-7 + 1e-5·|fd|).
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

            public partial struct Twist
            {
                public double A;
                public double B;

                [Differentiable(Hessian = true)]
                public static Twist operator +(Twist p, Twist q)
                {
                    var a = p.A * q.B;
                    return new Twist { A = a, B = p.B + Math.Exp(0.5 * q.A) };
                }
            }

            public struct Temperature
            {
                public double Kelvin;

                public Temperature(double celsius) { Kelvin = Math.Max(celsius, -273.15) + 273.15; }
            }

            /// <summary>Configuration in primary-constructor parameters, read by the method as constants.</summary>
            public sealed partial class Drag(double coefficient, int order)
            {
                [Differentiable]
                public double Loss(double v)
                {
                    var s = coefficient * v;
                    for (var i = 1; i < order; i++)
                    {
                        s *= v;
                    }

                    return s + Math.Sin(coefficient * v);
                }
            }

            public static partial class Functions
            {
                [Differentiable(Hessian = true)]
                public static double Form(double[,] a, double[] x)
                {
                    var s = 0.0;
                    for (var i = 0; i < a.GetLength(0); i++)
                    {
                        for (var j = 0; j < a.GetLength(1); j++)
                        {
                            s += x[i] * a[i, j] * x[j];
                        }
                    }

                    return Math.Log(1 + s * s);
                }

                [Differentiable]
                public static double PoseCost(Pose pose, double targetX)
                {
                    var dx = pose.X + Math.Cos(pose.Theta) - targetX;
                    var dy = pose.Y + Math.Sin(pose.Theta);
                    return dx * dx + dy * dy;
                }

                [Differentiable]
                public static float Shade(Vector3 normal, Vector3 light) => Vector3.Dot(normal, light) / (1f + normal.LengthSquared());

                [Differentiable]
                public static double RowCost(double[][] rows, double x)
                {
                    var table = new double[rows.Length][];
                    for (var i = 0; i < table.Length; i++)
                    {
                        table[i] = new double[rows[i].Length];
                        for (var j = 0; j < table[i].Length; j++)
                        {
                            table[i][j] = rows[i][j] * x;
                        }
                    }

                    var s = new Temperature(x).Kelvin * 0.01;
                    foreach (var row in table)
                    {
                        foreach (var v in row)
                        {
                            s += Math.Sin(v);
                        }
                    }

                    double[] joined = [x, .. rows[1]];
                    foreach (var v in joined)
                    {
                        s += v * v;
                    }

                    return s;
                }

                [Differentiable(Hessian = true)]
                public static double Spring(double x, double y)
                {
                    var a = new Twist { A = x, B = y };
                    var c = a + new Twist { A = y, B = x * y };
                    return c.A * c.B + Math.Sin(c.B);
                }
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

                    double[][] Rows(double e, int i, int j)
                    {
                        var r = new[] { new[] { 0.4, -0.2 }, new[] { 0.9, 0.1, -0.6 } };
                        r[i][j] += e;
                        return r;
                    }

                    var dRows = new[] { new double[2], new double[3] };
                    double dX = 0;
                    Functions.RowCostBackward(Rows(0, 0, 0), 0.8, dRows, ref dX);
                    Print("rows", new[] { dRows[0][0], dRows[1][0], dRows[1][2], dX }, new[]
                    {
                        Fd(e => Functions.RowCost(Rows(e, 0, 0), 0.8)),
                        Fd(e => Functions.RowCost(Rows(e, 1, 0), 0.8)),
                        Fd(e => Functions.RowCost(Rows(e, 1, 2), 0.8)),
                        Fd(e => Functions.RowCost(Rows(0, 0, 0), 0.8 + e)),
                    });

                    // H·v of an operator-built function against differences of its gradient along v.
                    double[] Gradient(double x, double y)
                    {
                        double gx = 0, gy = 0;
                        Functions.SpringBackward(x, y, ref gx, ref gy);
                        return new[] { gx, gy };
                    }

                    double hx = 0, hy = 0;
                    Functions.SpringHessianVector(0.7, -0.4, 0.6, -0.8, ref hx, ref hy);
                    Print("hessian", new[] { hx, hy }, new[]
                    {
                        Fd(e => Gradient(0.7 + 0.6 * e, -0.4 - 0.8 * e)[0]),
                        Fd(e => Gradient(0.7 + 0.6 * e, -0.4 - 0.8 * e)[1]),
                    });

                    var drag = new Drag(0.8, 3);
                    double dV = 0;
                    drag.LossBackward(1.3, ref dV);
                    Print("drag", new[] { dV }, new[] { Fd(e => drag.Loss(1.3 + e)) });

                    // H·v of a form whose 2-D matrix is differentiated: direction and product are grids too.
                    double[,] A(double e) => new[,] { { 0.5 + 0.3 * e, -0.2 - 0.1 * e }, { 0.4 + 0.2 * e, 0.9 - 0.4 * e } };
                    double[] X(double e) => new[] { 0.7 + 0.5 * e, -0.3 + 0.6 * e };
                    double[] FormGradient(double e)
                    {
                        var ga = new double[2, 2];
                        var gx = new double[2];
                        Functions.FormBackward(A(e), X(e), ga, gx);
                        return new[] { ga[0, 0], ga[0, 1], ga[1, 0], ga[1, 1], gx[0], gx[1] };
                    }

                    var hva = new double[2, 2];
                    var hvx = new double[2];
                    Functions.FormHessianVector(A(0), X(0), new[,] { { 0.3, -0.1 }, { 0.2, -0.4 } }, new[] { 0.5, 0.6 }, hva, hvx);
                    Print("grid hessian", new[] { hva[0, 0], hva[0, 1], hva[1, 0], hva[1, 1], hvx[0], hvx[1] },
                        new[] { 0, 1, 2, 3, 4, 5 }.Select(c => Fd(e => FormGradient(e)[c])).ToArray());
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
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "rows"), relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "hessian"), relativeTolerance: 1e-5, absoluteTolerance: 1e-7);
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "drag"), relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        PrintedGradient.AssertClose(PrintedGradient.Find(run.Output, "grid hessian"), relativeTolerance: 1e-5, absoluteTolerance: 1e-7);
    }
}
