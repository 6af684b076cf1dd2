using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 17's rules branches: div17 (the quotient rule from the saved quotient, d(u/v) = g/v and
/// −(g/v)·q with q read from the statement's target, <c>Derivatives/QuotientRule.cs</c>, <c>ReverseValueCache.QuotientOf</c>,
/// a target read across if arms) and ba17 (<c>{Name}Jacobian</c>'s one width-k reverse sweep,
/// <c>ReverseModeTransformer.JacobianWidth.cs</c>/<c>.JacobianPartials.cs</c>). ONE compiled batch (<see cref="CompiledBatch"/>,
/// every opt-in output on by the project's properties) holds the scalar methods (gradients against central differences by
/// <see cref="CompiledBatch.AssertAcceptedAndGradientMatches"/>; H·v and dense Hessians of quotient methods against
/// differences of the generated gradient; tangents against central differences) and the Jacobian methods (every row
/// against central differences of the method's own result by <see cref="JacobianProbeCheck"/>).
/// </summary>
public sealed class Session17RulesAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string ScalarSource = """
        using System;
        using StaticGrad;

        namespace ReviewQuot17;

        public struct Pq
        {
            public double X;
            public double Y;
        }

        public static partial class S
        {
            // q = u / v, then q = q / v: the first statement's target is overwritten by the second.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double Rediv(double x, double y)
            {
                var q = x / y;
                q = q / y;
                return q * x + q;
            }

            // x = x / y with x the numerator, then y = y / x with y the divisor of the first and the target of the second.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable(Hessian = true, Forward = true)]
            public static double SelfDiv(double x, double y)
            {
                x = x / y;
                y = y / x;
                x = y / x;
                return x * y + x;
            }

            // y = x / y: the target is the divisor itself.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable(Hessian = true, Forward = true)]
            public static double TargetIsDivisor(double x, double y)
            {
                y = x / y;
                return y * y + x;
            }

            // a[i] = a[i] / a[j] with i == j (u = v = the target), and a[i] = x / a[i] (divisor = target element).
            // domain: a[4]=0.5..2 x=0.5..2
            [Differentiable]
            public static double SameElement(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int k = 0; k < a.Length; k++)
                {
                    b[k] = a[k] * x;
                }

                int i = 1, j = 1;
                b[i] = b[i] / (b[j] + 1.0);
                b[2] = x / b[2];
                b[3] = b[3] / b[3];
                b[0] = b[0] / b[1];
                return b[0] * b[1] + b[2] * b[2] + b[3] + b[i] * x;
            }

            // Compound q /= v, twice, then the divisor changed.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double Compound(double x, double y)
            {
                var q = x * x + 1.0;
                q /= y;
                q /= (x * x + y);
                y = y * 3.0;
                return q * y;
            }

            // The quotient inside a larger expression (no statement target), twice the same quotient.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double Inner(double x, double y)
            {
                var r = (x / y) * (x / y) + Math.Sin(x / y) - y / (x * x + 1.0);
                return r + (x + y) / y;
            }

            // The divisor changed after the statement: the reverse must read the old v and the old q.
            // domain: x=-2..2 y=0.5..2
            [Differentiable(Hessian = true, Forward = true)]
            public static double DivisorChanged(double x, double y)
            {
                var v = y + 0.5;
                var q = x / v;
                v = v * v + x;
                var r = q * v;
                q = r / v;
                return q + r;
            }

            // A struct field as target.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double FieldTarget(double x, double y)
            {
                var p = new Pq { X = x, Y = y };
                p.X = p.X / p.Y;
                p.Y = p.Y / p.X;
                p.X = p.X / (p.X + p.Y);
                return p.X * p.Y + p.X;
            }

            // A tuple element as target.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double TupleTarget(double x, double y)
            {
                var t = (x, y);
                t.Item1 = t.Item1 / t.Item2;
                t.Item2 = t.Item1 / (t.Item2 + t.Item1);
                return t.Item1 * t.Item2 + t.Item2;
            }

            // A carried quotient in a loop: s = s / (a[i] + 2) + a[i], and t = x / t (target = divisor) each iteration.
            // domain: a[5]=-1..1 x=0.5..2
            [Differentiable]
            public static double LoopCarried(double[] a, double x)
            {
                var s = x;
                var t = x;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s / (a[i] + 2.0) + a[i];
                    t = x / (t + a[i] * a[i]);
                }

                return s * t;
            }

            // A reduction (fused) whose summand is a local quotient, and the divisor a loop-local.
            // domain: a[5]=-1..1 x=0.5..2
            [Differentiable]
            public static double LoopFused(double[] a, double x)
            {
                var sum = 0.0;
                for (int i = 0; i < a.Length; i++)
                {
                    var d = a[i] * a[i] + x;
                    var q = a[i] / d;
                    q = q / d;
                    sum += q * x;
                }

                return sum;
            }

            // Two loops deep (iteration slots), quotients into a local array row.
            // domain: a[6]=-1..1 x=0.5..2
            [Differentiable]
            public static double LoopSlotted(double[] a, double x)
            {
                var total = 0.0;
                for (int r = 0; r < 2; r++)
                {
                    var acc = x;
                    for (int c = 0; c < 3; c++)
                    {
                        var q = a[r * 3 + c] / (acc + 1.0);
                        acc = q * q + acc;
                    }

                    total += acc / x;
                }

                return total;
            }

            // Assigned in both arms of an if and read (and overwritten) after the if.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double BothArmsOverwritten(double x, double y)
            {
                double t;
                if (x > 0.0)
                {
                    t = x / y;
                }
                else
                {
                    t = y / (x - 3.0);
                }

                var u = t * y;
                t = t * t;
                return t + u;
            }

            // Assigned before the if, overwritten in one arm with a quotient of itself, the other arm a second quotient; read after.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double ArmsSelf(double x, double y)
            {
                var t = x / y;
                if (x > 0.0)
                {
                    t = t / y;
                    t = t / (x + 1.0);
                }
                else
                {
                    t = (t + y) / (y * y);
                }

                return t * x;
            }

            // Nested ifs: the target assigned in arms of two different ifs, read after both.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double NestedArms(double x, double y)
            {
                var t = 0.0;
                if (x > 0.0)
                {
                    if (y > 1.0)
                    {
                        t = x / y;
                    }
                    else
                    {
                        t = y / (x + 1.0);
                    }
                }
                else
                {
                    t = x / (y + 1.0);
                }

                if (y > 1.2)
                {
                    t = t / y;
                }
                else
                {
                    t = y / (t * t + 1.0);
                }

                return t * t;
            }

            // ?: with quotients in both branches as the statement's whole right side, then overwritten.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double Conditional(double x, double y)
            {
                var q = x > 0.0 ? x / y : y / (x - 2.0);
                var r = q;
                q = x > 0.5 ? q / y : q;
                return q * r;
            }

            // Early return right after the quotient, otherwise overwritten.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double EarlyReturn(double x, double y)
            {
                var q = x / y;
                if (q > 0.4)
                {
                    return q * q;
                }

                q = q / (y + 1.0);
                if (q < -0.5)
                {
                    return q * y;
                }

                q = x / q;
                return q;
            }

            // Integer division mixed in: a double divided by an int, an int quotient as divisor.
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double IntMixed(double x, double y)
            {
                int n = 7;
                var q = x / n;
                q = q / (n / 2) + x / y;
                var m = n / 3;
                q = q / (y + m);
                return q * y;
            }

            // Float.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static float FloatQ(float x, float y)
            {
                var q = x / y;
                q = q / (y * y + 1f);
                var r = x / q;
                return r * q + q;
            }

            // A float quotient stored in a double target (widening) and a double into a float.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double Widened(float x, double y)
            {
                double q = x / (float)y;
                float r = (float)(y / x);
                var s = y / q;
                return q * r + s;
            }

            // v near 0 (small positive divisor) and huge/tiny magnitudes.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double Tiny(double x, double y)
            {
                var v = y * 1e-170;
                var q = (x * 1e-170) / v;
                var w = y * 1e200;
                var r = (x * 1e200) / w;
                return q * r + q / (r + 1.0);
            }

            // The statement's target read by the reverse, but the quotient is a [NoGrad] numerator.
            // domain: x=0.5..2 k=0.5..2
            [Differentiable]
            public static double NoGradNumerator(double x, [NoGrad] double k)
            {
                var q = k / x;
                q = k / (q + x);
                return q * x;
            }

            // Hessian probe: quotients whose targets are overwritten.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable(Hessian = true, Forward = true)]
            public static double HessQ(double x, double y)
            {
                var q = x / y;
                q = q / (x + 2.0);
                var r = y / q;
                return q * q + r + x / (y * y + 1.0);
            }

            // Hessian probe with a branch in both arms.
            // domain: x=-2..2 y=0.5..2
            [Differentiable(Hessian = true, Forward = true)]
            public static double HessArms(double x, double y)
            {
                double t;
                if (x > 0.0)
                {
                    t = x / y;
                }
                else
                {
                    t = y / (x - 3.0);
                }

                return t * t + t / y;
            }

            // The target element reached by two index variables equal at run time.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double IndexAlias(double x, double y)
            {
                var b = new double[3];
                int i = 1, j = 1;
                b[i] = x / y;
                b[j] = b[j] * x + y;
                b[2] = x / b[i];
                return b[1] * b[2] + b[i];
            }

            // The target changed by ++ and +=, and by a deconstructing swap.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double IncrSwap(double x, double y)
            {
                var q = x / y;
                q++;
                q += x;
                var r = y / q;
                (q, r) = (r, q);
                return q * r * r + q;
            }

            // A quotient in an arm, the variable overwritten in the other arm of a later if (not exclusive).
            // domain: x=-2..2 y=0.5..2
            [Differentiable]
            public static double TwoIfs(double x, double y)
            {
                var t = y;
                if (x > 0.0)
                {
                    t = x / y;
                }

                if (y > 1.0)
                {
                    t = t * x;
                }
                else
                {
                    t = y / (t + 3.0);
                }

                return t * y;
            }

            // A carried quotient in a while loop left by break, and a return from inside a loop.
            // domain: x=0.5..2 y=0.5..2
            [Differentiable]
            public static double LoopBreak(double x, double y)
            {
                var t = y;
                var k = 0;
                while (true)
                {
                    t = x / (t + 1.0);
                    k++;
                    if (k >= 3)
                    {
                        break;
                    }

                    x = x / (y + t);
                }

                for (int i = 0; i < 3; i++)
                {
                    t = t / y + x;
                    if (t > 50.0)
                    {
                        return t / x;
                    }
                }

                return t * x;
            }

            // Rosenbrock-style merged updates: x[i] and x[i+1] updated in one iteration.
            // domain: a[5]=-1..1 x=0.5..2
            [Differentiable]
            public static double Merged(double[] a, double x)
            {
                var g = new double[a.Length];
                for (int i = 0; i + 1 < a.Length; i++)
                {
                    var d = a[i + 1] - a[i] * a[i];
                    g[i] += -4.0 * x * d * a[i] - 2.0 * (1.0 - a[i]);
                    g[i + 1] += 2.0 * x * d;
                }

                var s = 0.0;
                for (int i = 0; i < g.Length; i++)
                {
                    s += g[i] * g[i] * a[i];
                }

                return s;
            }

            // Aliased indices: i + 1 == j on purpose, the same element updated three times, an update under a branch.
            // domain: a[5]=-1..1 x=0.5..2
            [Differentiable]
            public static double MergedAlias(double[] a, double x)
            {
                var g = new double[a.Length];
                for (int i = 0; i + 1 < a.Length; i++)
                {
                    int j = i + 1;
                    var d = a[j] - a[i] * x;
                    g[i] += d * a[i];
                    g[j] += d * x;
                    g[i + 1] += d / (x + a[i] * a[i]);
                    g[i] *= a[j] + 2.0;
                    g[i] += d;
                    if (d > 0.0)
                    {
                        g[i + 1] += d * d;
                    }
                }

                var s = 0.0;
                for (int i = 0; i < g.Length; i++)
                {
                    s += g[i] * a[i] + g[i] * g[i];
                }

                return s;
            }
        }
        """;

    private const string JacobianSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace ReviewJac17
        {
            public struct R3
            {
                public double A;
                public double B;
                public double C;
            }

            public struct F3
            {
                public float A;
                public int N;
                public float B;
                public float C;
            }

            public partial class Lens
            {
                private readonly double _k;

                public Lens(double k) => _k = k;

                [Differentiable(Jacobian = true)]
                public (double U, double V) Bend(double x, double y)
                {
                    var q = x / (y + _k);
                    var r = q / _k;
                    return (q * r, r / q + _k);
                }
            }

            public static partial class J
            {
                [Differentiable]
                public static double Soft(double z) => Math.Log(1.0 + Math.Exp(z));

                // A divisor overwritten right after the quotient, a second quotient by the new divisor (the reciprocal kept too long?).
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) DivOver(double x, double y)
                {
                    var q = x / y;
                    y = x * x + y;
                    var r = q / y;
                    y = q / y + 1.0;
                    var s = x / y;
                    return (q, r + s, y);
                }

                // x = x / y; y = y / x; each target the other's divisor.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) Swap(double x, double y)
                {
                    x = x / y;
                    y = y / x;
                    x = x / y;
                    return (x, y);
                }

                // y = x / y (target = divisor), x /= y compound.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) TargetDivisor(double x, double y)
                {
                    y = x / y;
                    x /= y;
                    x /= y + 1.0;
                    return (x * y, y);
                }

                // Locals reused across fields and overwritten between their uses; fields computed from each other.
                [Differentiable(Jacobian = true)]
                public static R3 Reuse(double x, double y, double z)
                {
                    var t = x / y;
                    var a = t * z;
                    t = t / (z + 1.0);
                    var b = a / t + t;
                    t = z;
                    var c = b / a + t / x;
                    return new R3 { A = a, B = b, C = c };
                }

                // A field equal to a parameter, a constant field, a field equal to another field.
                [Differentiable(Jacobian = true)]
                public static (double P, double K, double Q, double Same) Odd(double x, double y)
                {
                    var q = x / y;
                    return (y, 3.0, q, q);
                }

                // Branches with quotients and a variable reassigned in both arms, read by both fields.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) Branchy(double x, double y)
                {
                    double t;
                    if (x > 0.0)
                    {
                        t = x / y;
                    }
                    else
                    {
                        t = y / (x - 2.0);
                    }

                    var u = t / y;
                    t = t * u;
                    return (t, u / (t + 2.0));
                }

                // Early return in the middle with quotients on both paths.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) EarlyQ(double x, double y)
                {
                    var q = x / y;
                    if (q < 0.0)
                    {
                        return (q / y, y / (1.0 - q));
                    }

                    q = q / (x + y);
                    return (q * x, x / q);
                }

                // Non-ASCII names.
                [Differentiable(Jacobian = true)]
                public static (double Ä, double Ω) Unicode(double λ, double μ)
                {
                    var é = λ / μ;
                    var ß = é / (λ + μ);
                    return (é * ß, ß / é + μ);
                }

                // Hostile names: what the width-k sweep emits, keywords.
                [Differentiable(Jacobian = true)]
                public static (double _dx_0, double _dx_1) Names(double _t0, double _r0, double @double)
                {
                    var _p0 = _t0 / _r0;
                    var _p1 = _p0 / @double;
                    var seed = _p1 / (_t0 + 1.0);
                    var dXdA = seed / _r0;
                    var _dx_0 = dXdA * _p0;
                    var @in = _dx_0 / @double;
                    return (@in + _p1, seed / _p0);
                }

                // A [NoGrad] divisor overwritten, and a [NoGrad] numerator.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) NoGradQ(double x, [NoGrad] double w, double y)
                {
                    var q = x / w;
                    w = w * 2.0;
                    var r = w / y;
                    var s = q / (r + y);
                    return (s, q / w + r);
                }

                // Float struct with 3 floating fields and an int field.
                [Differentiable(Jacobian = true)]
                public static F3 Floaty(float x, float y)
                {
                    var q = x / y;
                    q = q / (x * x + 1f);
                    var r = y / q;
                    return new F3 { A = q, N = 2, B = r, C = q / r };
                }

                // A call to a [Differentiable] helper next to quotients.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) Helper(double x, double y)
                {
                    var q = x / y;
                    var s = Soft(q);
                    q = s / q;
                    return (q, s / y);
                }

                // Jacobian with the same quotient read after the divisor is swapped twice.
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) Rotate(double x, double y, double z)
                {
                    var t = x;
                    x = y / z;
                    y = z / t;
                    z = t / x;
                    return (x / y, y / z, z / x);
                }

                // A divisor that is a sum: one of its variables overwritten between two quotients by the same text.
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) SumDiv(double x, double y, double z)
                {
                    var q = x / (y + z);
                    z = z * 2.0 + x;
                    var r = q / (y + z);
                    return (q, r, z / (y + z));
                }

                // A divisor with a Math call whose argument is overwritten.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) ExpDiv(double x, double y)
                {
                    var q = x / Math.Exp(y);
                    y = y * y;
                    var r = q / Math.Exp(y);
                    return (q * r, r / Math.Exp(y));
                }

                // The divisor overwritten only in one arm of a branch between two quotients by it.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArmDiv(double x, double y)
                {
                    var q = x / y;
                    if (x > 0.0)
                    {
                        y = y + x;
                    }

                    var r = q / y;
                    return (r, x / y + q);
                }

                // Generic math.
                [Differentiable(Jacobian = true)]
                public static (T A, T B) Gen<T>(T x, T y) where T : IFloatingPointIeee754<T>
                {
                    var q = x / y;
                    y = y * y + T.One;
                    var r = q / y;
                    return (q * r, r / q);
                }

                // A float quotient held by a double target, and Jacobian with Hessian and Forward on.
                [Differentiable(Jacobian = true, Hessian = true, Forward = true)]
                public static (float A, float B) WidenJ(float x, float y)
                {
                    double q = x / y;
                    float r = y / (float)q;
                    q = q / (r + 1.0);
                    return ((float)q, r / x);
                }

                // √′ through the reciprocal of the root's value shared with quotients by it, the root then overwritten; x = Math.Sqrt(x).
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) SqrtDiv(double x, double y)
                {
                    var s = Math.Sqrt(x * x + y);
                    var q = y / s;
                    s = s + x;
                    var r = x / s;
                    x = Math.Sqrt(y + x * x);
                    var t = q / x;
                    x = x / y;
                    return (q + r, s / t, x);
                }

                // Conditional with quotients.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) Cond(double x, double y)
                {
                    var q = x > 0.0 ? x / y : y / (x - 2.0);
                    var r = q > 0.3 ? q / y : y / (q + 3.0);
                    return (q * r, r / (q * q + 1.0));
                }
            }
        }
        """;

    private static string Probe2(string call, string jac, string f1, string f2, int inputs) =>
        "public static double[] Value(double[] p) { var v = " + call + "; return new double[] { v." + f1 + ", v." + f2 + " }; }\n"
        + "public static double[] Rows(double[] p)\n{\n    var d = new double[" + (2 * inputs) + "];\n    var v = " + jac + ";\n    return new double[] { v." + f1 + ", v." + f2 + " }.Concat(d).ToArray();\n}\n";

    private static string Refs(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "ref d[" + i + "]"));

    /// <summary>Per case: differentiable inputs, floating fields, float, the probe's body (Value and Rows).</summary>
    private static readonly Dictionary<string, (int Inputs, int Fields, bool IsFloat, string Probe)> s_cases = new()
    {
        ["DivOver"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.DivOver(p[0], 0.5 + p[1]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.DivOverJacobian(p[0], 0.5 + p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["Swap"] = (2, 2, false, Probe2("J.Swap(2.0 + p[0], 0.5 + p[1])", "J.SwapJacobian(2.0 + p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["TargetDivisor"] = (2, 2, false, Probe2("J.TargetDivisor(p[0], 0.5 + p[1])", "J.TargetDivisorJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Reuse"] = (3, 3, false, """
            public static double[] Value(double[] p) { var v = J.Reuse(p[0], 0.5 + p[1], 0.5 + p[2]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[9];
                var v = J.ReuseJacobian(p[0], 0.5 + p[1], 0.5 + p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["Odd"] = (2, 4, false, """
            public static double[] Value(double[] p) { var v = J.Odd(p[0], 0.5 + p[1]); return new double[] { v.P, v.K, v.Q, v.Same }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[8];
                var v = J.OddJacobian(p[0], 0.5 + p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7]);
                return new double[] { v.P, v.K, v.Q, v.Same }.Concat(d).ToArray();
            }
            """),
        ["Branchy"] = (2, 2, false, Probe2("J.Branchy(p[0], 0.5 + p[1])", "J.BranchyJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["EarlyQ"] = (2, 2, false, Probe2("J.EarlyQ(p[0], 0.5 + p[1])", "J.EarlyQJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Unicode"] = (2, 2, false, Probe2("J.Unicode(p[0], 0.5 + p[1])", "J.UnicodeJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "Ä", "Ω", 2)),
        ["Names"] = (3, 2, false, Probe2("J.Names(p[0], 0.5 + p[1], 0.5 + p[2])", "J.NamesJacobian(p[0], 0.5 + p[1], 0.5 + p[2], " + Refs(6) + ")", "_dx_0", "_dx_1", 3)),
        ["NoGradQ"] = (2, 2, false, Probe2("J.NoGradQ(p[0], 1.3, 0.5 + p[1])", "J.NoGradQJacobian(p[0], 1.3, 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Floaty"] = (2, 3, true, """
            public static double[] Value(double[] p) { var v = J.Floaty((float)p[0], (float)(0.5 + p[1])); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[6];
                var v = J.FloatyJacobian((float)p[0], (float)(0.5 + p[1]), ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["Helper"] = (2, 2, false, Probe2("J.Helper(p[0], 0.5 + p[1])", "J.HelperJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Rotate"] = (3, 3, false, """
            public static double[] Value(double[] p) { var v = J.Rotate(2.0 + p[0], 0.5 + p[1], 0.5 + p[2]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[9];
                var v = J.RotateJacobian(2.0 + p[0], 0.5 + p[1], 0.5 + p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["SumDiv"] = (3, 3, false, """
            public static double[] Value(double[] p) { var v = J.SumDiv(p[0], 0.5 + p[1], 0.5 + p[2]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[9];
                var v = J.SumDivJacobian(p[0], 0.5 + p[1], 0.5 + p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["ExpDiv"] = (2, 2, false, Probe2("J.ExpDiv(p[0], p[1])", "J.ExpDivJacobian(p[0], p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["ArmDiv"] = (2, 2, false, Probe2("J.ArmDiv(p[0], 0.5 + p[1])", "J.ArmDivJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Gen"] = (2, 2, false, Probe2("J.Gen<double>(p[0], 0.5 + p[1])", "J.GenJacobian<double>(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["WidenJ"] = (2, 2, true, """
            public static double[] Value(double[] p) { var v = J.WidenJ((float)(1.5 + p[0]), (float)(0.5 + p[1])); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[4];
                var v = J.WidenJJacobian((float)(1.5 + p[0]), (float)(0.5 + p[1]), ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["SqrtDiv"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.SqrtDiv(p[0], 0.5 + p[1]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.SqrtDivJacobian(p[0], 0.5 + p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["Cond"] = (2, 2, false, Probe2("J.Cond(p[0], 0.5 + p[1])", "J.CondJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "A", "B", 2)),
        ["Bend"] = (2, 2, false, Probe2("new Lens(1.3).Bend(p[0], 0.5 + p[1])", "new Lens(1.3).BendJacobian(p[0], 0.5 + p[1], " + Refs(4) + ")", "U", "V", 2)),
    };

    private const string HessianProbe = """
        using System;
        using ReviewQuot17;

        namespace ReviewQuot17.Probes;

        public static class Check
        {
            public static void HessQG(double[] p, double[] g) => S.HessQBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessQHv(double[] p, double[] v, double[] hv) => S.HessQHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessQH(double[] p, double[] h) => S.HessQHessian(p[0], p[1], h);

            public static void HessArmsG(double[] p, double[] g) => S.HessArmsBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessArmsHv(double[] p, double[] v, double[] hv) => S.HessArmsHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessArmsH(double[] p, double[] h) => S.HessArmsHessian(p[0], p[1], h);

            public static void SelfDivG(double[] p, double[] g) => S.SelfDivBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double SelfDivHv(double[] p, double[] v, double[] hv) => S.SelfDivHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void SelfDivH(double[] p, double[] h) => S.SelfDivHessian(p[0], p[1], h);

            public static void DivisorChangedG(double[] p, double[] g) => S.DivisorChangedBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double DivisorChangedHv(double[] p, double[] v, double[] hv) => S.DivisorChangedHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void DivisorChangedH(double[] p, double[] h) => S.DivisorChangedHessian(p[0], p[1], h);

            public static double HessQT(double[] p, double[] v) => S.HessQTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessQF(double[] p) => S.HessQ(p[0], p[1]);
            public static double SelfDivT(double[] p, double[] v) => S.SelfDivTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double SelfDivF(double[] p) => S.SelfDiv(p[0], p[1]);
            public static double TargetIsDivisorT(double[] p, double[] v) => S.TargetIsDivisorTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double TargetIsDivisorF(double[] p) => S.TargetIsDivisor(p[0], p[1]);
            public static double HessArmsT(double[] p, double[] v) => S.HessArmsTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessArmsF(double[] p) => S.HessArms(p[0], p[1]);
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(ScalarSource);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { ScalarSource, JacobianSource }, s_methods));

    private static readonly Lazy<(Assembly? Assembly, Dictionary<string, string> Failures)> s_probes = new(() =>
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var trees = s_cases.ToDictionary(
            c => CSharpSyntaxTree.ParseText("using System;\nusing System.Linq;\nusing System.Numerics;\nusing ReviewJac17;\nnamespace ReviewJac17.Probes;\npublic static class P_" + c.Key + "\n{\n" + c.Value.Probe + "\n}\n", GeneratorHarness.ParseOptions, path: "Probe_" + c.Key + ".cs"),
            c => c.Key);
        var hessianTree = CSharpSyntaxTree.ParseText(HessianProbe, GeneratorHarness.ParseOptions, path: "HessianProbe.cs");
        trees[hessianTree] = "Hessians";
        var loaded = ProbeCompilation.Load(batch, trees, "Probes17", out var context);
        s_probeContext = context;
        return loaded;
    });

    // Held so that the probes' collectible context is not finalized (and unloaded) while the tests use it.
    private static AssemblyLoadContext? s_probeContext;

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    public static TheoryData<string> Cases() => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Rules17_gradient_matches_central_finite_differences(string key) =>
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rules17_jacobian_rows_match_central_finite_differences(string name)
    {
        var batch = s_batch.Value;
        var key = (name == "Bend" ? "Lens." : "J.") + name;
        var generated = batch.GeneratedSource.GetValueOrDefault(key)
            ?? "(no generated file; the compiler core reports: " + string.Join("\n", CompilerExplanation.Explain(GeneratorHarness.CreateCompilation(ScalarSource, JacobianSource), new HashSet<string> { key }).GetValueOrDefault(key) ?? new List<string>()) + ")";
        Assert.False(batch.Failures.ContainsKey(key), key + ": " + batch.Failures.GetValueOrDefault(key));
        var diagnostics = batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new List<Diagnostic>();
        Assert.True(diagnostics.Count == 0, key + " diagnostics:\n" + string.Join("\n", diagnostics));
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey(name) && assembly is not null, name + ": the probe calling the Jacobian does not compile:\n" + failures.GetValueOrDefault(name) + "\n" + generated);
        var type = assembly!.GetType("ReviewJac17.Probes.P_" + name)!;
        var value = type.GetMethod("Value")!.CreateDelegate<Func<double[], double[]>>();
        var rows = type.GetMethod("Rows")!.CreateDelegate<Func<double[], double[]>>();
        var (inputs, fields, isFloat, _) = s_cases[name];
        var problems = JacobianProbeCheck.Problems(name, 17, value, rows, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems.Take(12)) + "\n" + generated);
    }

    /// <summary>The straight-line (branches and early returns included) Jacobian cases take the one width-k sweep; the helper call keeps per-field sweeps.</summary>
    [Theory]
    [InlineData("DivOver", true)]
    [InlineData("Reuse", true)]
    [InlineData("Branchy", true)]
    [InlineData("Names", true)]
    [InlineData("SumDiv", true)]
    [InlineData("Helper", false)]
    public void Rules17_width_k_sweep_is_taken(string name, bool oneSweep)
    {
        var generated = s_batch.Value.GeneratedSource.GetValueOrDefault("J." + name) ?? string.Empty;
        Assert.True(oneSweep == generated.Contains("// One reverse sweep for", StringComparison.Ordinal), generated);
    }

    [Theory]
    [InlineData("HessQ")]
    [InlineData("HessArms")]
    [InlineData("SelfDiv")]
    [InlineData("DivisorChanged")]
    public void Rules17_hessian_of_quotients_matches_differences_of_the_gradient(string name)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the Hessian probe does not compile:\n" + failures.GetValueOrDefault("Hessians"));
        var check = assembly!.GetType("ReviewQuot17.Probes.Check")!;
        foreach (var point in new[] { new[] { 0.6, 0.85 }, new[] { 1.7, 1.3 }, new[] { -1.2, 0.8 } })
        {
            if (name is "SelfDiv" && point[0] < 0)
            {
                continue;
            }

            try
            {
                HessianFiniteDifferences.AssertHessianVector(check, name, point, false, name);
                HessianFiniteDifferences.AssertDenseHessian(check, name, point, false, name);
            }
            catch (TargetInvocationException e)
            {
                throw new Xunit.Sdk.XunitException(name + ": the generated Hessian code threw " + e.InnerException + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("S." + name));
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException(e.Message + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("S." + name));
            }
        }
    }

    [Theory]
    [InlineData("HessQ")]
    [InlineData("SelfDiv")]
    [InlineData("TargetIsDivisor")]
    [InlineData("HessArms")]
    public void Rules17_tangent_of_quotients_matches_central_differences(string name)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the probe does not compile:\n" + failures.GetValueOrDefault("Hessians"));
        var check = assembly!.GetType("ReviewQuot17.Probes.Check")!;
        var tangent = check.GetMethod(name + "T")!.CreateDelegate<Func<double[], double[], double>>();
        var f = check.GetMethod(name + "F")!.CreateDelegate<Func<double[], double>>();
        foreach (var (point, v) in new[] { (new[] { 0.6, 0.85 }, new[] { 0.3, 1.1 }), (new[] { 1.2, 1.6 }, new[] { -0.7, 0.4 }) })
        {
            const double h = 1e-6;
            var fd = (f(new[] { point[0] + (h * v[0]), point[1] + (h * v[1]) }) - f(new[] { point[0] - (h * v[0]), point[1] - (h * v[1]) })) / (2 * h);
            var t = tangent(point, v);
            Assert.True(Math.Abs(t - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name} tangent at [{string.Join(", ", point)}] along [{string.Join(", ", v)}]: {t:R}, central differences {fd:R}");
        }
    }
}
