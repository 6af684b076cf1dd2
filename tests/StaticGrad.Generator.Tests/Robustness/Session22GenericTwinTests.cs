using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// What the random programs' generic twins (RandomPrograms/GenericTwins.cs) found in session 22, one test per defect. Each
/// generic method has a double twin with the same body; the double instantiation's value, gradient and tangent must equal
/// the twin's bit for bit (the same operations in the same order), the float instantiation must run, and the twin's
/// gradient must match central finite differences within 1e-6·max(1, |fd|) plus 1e-9·max(1, |f|) (step 1e-6).
/// <list type="bullet">
/// <item><c>Autograd.Detach</c> had double and float overloads only: a generic-math body could not detach at all (CS1503
/// in the user's own code). The runtime now has <c>Detach&lt;T&gt;</c>, which the compiler reads as Detach like the others.</item>
/// <item><c>T.SinCos(x)</c> was refused (SG1002, "only System.Numerics operations with a rule …") where <c>Math.SinCos</c>
/// is lowered to Sin and Cos: the generic call is now lowered the same way.</item>
/// </list>
/// </summary>
public sealed class Session22GenericTwinTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session22GenericTwins;

        public static partial class GT
        {
            // A detached factor (its derivative is zero) and a detached loop-carried value.
            [Differentiable(Forward = true)]
            public static T Detached<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                T s = Autograd.Detach(x * x) * a[0];
                for (int i = 1; i < a.Length; i++)
                {
                    s = s * T.CreateChecked(0.5) + Autograd.Detach(s) * T.Sin(a[i] * x);
                }

                return s;
            }

            [Differentiable(Forward = true)]
            public static double DetachedD(double[] a, double x)
            {
                double s = Autograd.Detach(x * x) * a[0];
                for (int i = 1; i < a.Length; i++)
                {
                    s = s * 0.5 + Autograd.Detach(s) * Math.Sin(a[i] * x);
                }

                return s;
            }

            public static double DetachedReference(double[] a, double x, double[] a0, double x0)
            {
                // The function whose derivative the detached one is: the detached values frozen at the base point.
                double s0 = x0 * x0 * a0[0];
                double s = x0 * x0 * a[0];
                for (int i = 1; i < a.Length; i++)
                {
                    var frozen = s0;
                    s0 = s0 * 0.5 + s0 * Math.Sin(a0[i] * x0);
                    s = s * 0.5 + frozen * Math.Sin(a[i] * x);
                }

                return s;
            }

            // SinCos in a loop, its two results used apart and together, and SinCosPi.
            [Differentiable(Forward = true)]
            public static T Rotations<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                T s = x;
                for (int i = 0; i < a.Length; i++)
                {
                    var (sin, cos) = T.SinCos(s * a[i]);
                    s = sin * cos + cos * x;
                }

                var (sp, cp) = T.SinCosPi(s);
                return s + sp * cp;
            }

            [Differentiable(Forward = true)]
            public static double RotationsD(double[] a, double x)
            {
                double s = x;
                for (int i = 0; i < a.Length; i++)
                {
                    var (sin, cos) = Math.SinCos(s * a[i]);
                    s = sin * cos + cos * x;
                }

                var (sp, cp) = double.SinCosPi(s);
                return s + sp * cp;
            }

            private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

            private static double[] Draw(Random random, int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();

            public static string[] Check(string name)
            {
                var problems = new System.Collections.Generic.List<string>();
                var random = new Random(22);
                foreach (var n in new[] { 1, 2, 3, 7 })
                {
                    var a = Draw(random, n);
                    var x = random.NextDouble() + 0.2;
                    var direction = Draw(random, n);
                    var (g1, g2) = (new double[n], new double[n]);
                    double dx1 = 0, dx2 = 0;
                    var (v1, v2) = name == "Detached"
                        ? (DetachedBackward<double>(a, x, g1, ref dx1, 0.75), DetachedDBackward(a, x, g2, ref dx2, 0.75))
                        : (RotationsBackward<double>(a, x, g1, ref dx1, 0.75), RotationsDBackward(a, x, g2, ref dx2, 0.75));
                    if (!Same(v1, v2) || !Same(dx1, dx2) || !g1.Zip(g2, Same).All(b => b))
                    {
                        problems.Add(name + " n=" + n + ": generic double Backward " + v1.ToString("R") + ", " + dx1.ToString("R") + " vs the twin's " + v2.ToString("R") + ", " + dx2.ToString("R"));
                    }

                    var (t1, t2) = name == "Detached"
                        ? (DetachedTangent<double>(a, x, direction, 0.5), DetachedDTangent(a, x, direction, 0.5))
                        : (RotationsTangent<double>(a, x, direction, 0.5), RotationsDTangent(a, x, direction, 0.5));
                    if (!Same(t1.Value, t2.Value) || !Same(t1.Tangent, t2.Tangent))
                    {
                        problems.Add(name + " n=" + n + ": generic double Tangent " + t1.Tangent.ToString("R") + " vs the twin's " + t2.Tangent.ToString("R"));
                    }

                    var af = a.Select(v => (float)v).ToArray();
                    var gf = new float[n];
                    float dxf = 0;
                    var vf = name == "Detached" ? DetachedBackward<float>(af, (float)x, gf, ref dxf, 0.75f) : RotationsBackward<float>(af, (float)x, gf, ref dxf, 0.75f);
                    if (Math.Abs(vf - v2) > 2e-3 * Math.Max(1, Math.Abs(v2)) || Math.Abs(dxf - dx2) > 2e-3 * Math.Max(1, Math.Abs(dx2)))
                    {
                        problems.Add(name + " n=" + n + ": float Backward " + vf + ", " + dxf + " vs " + v2 + ", " + dx2);
                    }

                    // The twin against central differences (of the frozen-detach reference for Detached).
                    Func<double[], double, double> f = name == "Detached" ? (p, q) => DetachedReference(p, q, a, x) : RotationsD;
                    var fx = (f(a, x + 1e-6) - f(a, x - 1e-6)) / 2e-6;
                    if (Math.Abs(fx - dx2 / 0.75) > 1e-6 * Math.Max(1, Math.Abs(fx)) + 1e-9 * Math.Max(1, Math.Abs(v2)))
                    {
                        problems.Add(name + " n=" + n + ": d/dx " + (dx2 / 0.75).ToString("R") + " vs central differences " + fx.ToString("R"));
                    }

                    for (var i = 0; i < n; i++)
                    {
                        var keep = a[i];
                        var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
                        (up[i], down[i]) = (keep + 1e-6, keep - 1e-6);
                        var fd = (f(up, x) - f(down, x)) / 2e-6;
                        if (Math.Abs(fd - g2[i] / 0.75) > 1e-6 * Math.Max(1, Math.Abs(fd)) + 1e-9 * Math.Max(1, Math.Abs(v2)))
                        {
                            problems.Add(name + " n=" + n + ": d/da[" + i + "] " + (g2[i] / 0.75).ToString("R") + " vs central differences " + fd.ToString("R"));
                        }
                    }
                }

                return problems.ToArray();
            }
        }
        """;

    private static readonly Lazy<Type> s_type = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return GeneratorHarness.Load(output.OutputCompilation).GetType("Session22GenericTwins.GT")!;
    });

    [Fact]
    public void GenericDetachCompilesAndMatchesItsDoubleTwin() =>
        Assert.Empty((string[])s_type.Value.GetMethod("Check")!.Invoke(null, new object[] { "Detached" })!);

    [Fact]
    public void GenericSinCosIsLoweredAsMathSinCosAndMatchesItsDoubleTwin() =>
        Assert.Empty((string[])s_type.Value.GetMethod("Check")!.Invoke(null, new object[] { "Rotations" })!);
}
