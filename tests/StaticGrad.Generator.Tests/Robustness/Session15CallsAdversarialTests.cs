using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 15's calls branch (<c>[Differentiable(Jacobian = true)]</c> → <c>{Name}Jacobian</c>)
/// and of the hessrand fix (the Jvp's zero tangent of a grid or jagged argument). ONE compiled batch
/// (<see cref="CompiledBatch"/>, every opt-in output on by the project's properties, so Forward and Tensor are combined
/// with every Jacobian) holds the scalar methods, checked with <see cref="CompiledBatch.AssertAcceptedAndGradientMatches"/>
/// (the harness's tolerances), and the Jacobian methods. Probes (<c>Value</c>: the method's floating result fields
/// flattened; <c>Rows</c>: the Jacobian's value, then its rows field-major) are compiled against the batch's image, one
/// tree per case so that a case whose generated code or probe does not compile fails alone. Every entry of every row is
/// compared with central differences of the method's own result field: double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, 2e-2·max(1, |fd|); the value to 1e-9 (float 1e-5) relative. Hessians of the hessrand cases: H·v and the
/// dense Hessian against central differences of the generated gradient (<see cref="HessianFiniteDifferences"/>).
/// Failing when written (defects for the lead): Greek/GreekMin (a non-ASCII variable overwritten: the second field's row
/// is silently wrong, RestoredBySweeps' ASCII-only regex misses its restore) and LoopArr/LoopJagged/TupleGrid (a tuple or
/// struct result with a T[,] or T[][] parameter: CS1503 in the struct-result backward, Span adjoint for a grid).
/// </summary>
public sealed class Session15CallsAdversarialTests
{
    private const int PointsPerFunction = 3;

    /// <summary>Scalar methods for the harness: grids and jagged arrays handed to Hessian callees, and callers of Jacobian methods.</summary>
    private const string ScalarSource = """
        using System;
        using StaticGrad;

        namespace ReviewCalls15;

        public static partial class S
        {
            [Differentiable(Hessian = true)]
            public static double RowsDot(double[][] r, double y)
            {
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        s += r[i][j] * Math.Sin(y * (j + 1)) * (i + 1);
                    }
                }

                return s * y;
            }

            // domain: r[3x2]=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double RowEnds(double[][] r, double y) => r[0][0] * y * y + r[2][1] * Math.Exp(y);

            [Differentiable(Hessian = true)]
            public static float GridF(float[,] g, float y)
            {
                var s = 0f;
                for (var i = 0; i < g.GetLength(0); i++)
                {
                    for (var j = 0; j < g.GetLength(1); j++)
                    {
                        s += g[i, j] * MathF.Cos(y * (i - j));
                    }
                }

                return s * y;
            }

            [Differentiable(Hessian = true)]
            public static double GridD(double[,] g, double y)
            {
                var s = 0.0;
                for (var i = 0; i < g.GetLength(0); i++)
                {
                    for (var j = 0; j < g.GetLength(1); j++)
                    {
                        s += g[i, j] * g[i, j] * y + Math.Sin(g[i, j] * y);
                    }
                }

                return s;
            }

            // Ragged constant rows (3, 1, 2) handed to a Hessian callee: the zero tangent must have ragged rows.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double RaggedConst(double x, double y)
            {
                var g = new double[3][];
                for (var i = 0; i < 3; i++)
                {
                    g[i] = new double[3 - i];
                    for (var j = 0; j < g[i].Length; j++)
                    {
                        g[i][j] = 0.5 + (0.25 * i) - (0.125 * j);
                    }
                }

                return x * RowsDot(g, y) + y * RowsDot(g, x * y);
            }

            // A float local grid of constants handed to a float Hessian callee.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static float FloatGrid(float x, float y)
            {
                var g = new float[2, 3];
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        g[i, j] = 0.25f * (i + 1) - (0.5f * j);
                    }
                }

                return x * GridF(g, y) + GridF(g, x * y) * y;
            }

            // An empty jagged array and a jagged array with an empty row, handed in a loop.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double EmptyRows(double x, double y)
            {
                var e = new double[0][];
                for (var i = 0; i < e.Length; i++)
                {
                    e[i] = new double[2];
                }
                var g = new double[2][];
                for (var i = 0; i < 2; i++)
                {
                    g[i] = new double[2 * i];
                    for (var j = 0; j < g[i].Length; j++)
                    {
                        g[i][j] = 0.75 - j;
                    }
                }

                var s = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    s += RowsDot(e, x) + RowsDot(g, y + k * x) * x;
                }

                return s;
            }

            // A local grid whose entries depend on x (a varied grid) beside a constant one in the same call chain.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double VariedAndConstGrid(double x, double y)
            {
                var a = new double[2, 2];
                var c = new double[2, 2];
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        a[i, j] = x * (i + 1) - y * j;
                        c[i, j] = 0.5 * (i - j);
                    }
                }

                return GridD(a, y) * GridD(c, x);
            }

            // A [NoGrad] jagged parameter handed to a Hessian callee.
            // domain: x=-1..1 y=-1..1 r[3x2]=-1..1
            [Differentiable(Hessian = true)]
            public static double NoGradJagged(double x, double y, [NoGrad] double[][] r) => x * RowsDot(r, y) + RowsDot(r, x * y);

            // Ragged rows whose values depend on x (a varied jagged local) handed to a Hessian callee.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double RaggedVaried(double x, double y)
            {
                var g = new double[3][];
                for (var i = 0; i < 3; i++)
                {
                    g[i] = new double[i + 1];
                    for (var j = 0; j < g[i].Length; j++)
                    {
                        g[i][j] = x * (i + 1) - (y * j);
                    }
                }

                return RowsDot(g, y) * x;
            }

            // Float ragged rows (1, 2, 3) of constants handed to a float Hessian callee.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static float RaggedFloat(float x, float y)
            {
                var g = new float[3][];
                for (var i = 0; i < 3; i++)
                {
                    g[i] = new float[i + 1];
                    for (var j = 0; j < g[i].Length; j++)
                    {
                        g[i][j] = 0.5f - (0.25f * j) + i;
                    }
                }

                return x * ReviewJac15.J3.RowsF(g, y) + ReviewJac15.J3.RowsF(g, x * y);
            }

            // A [NoGrad] grid parameter handed to a Hessian callee.
            // domain: x=-1..1 y=-1..1 m[2x3]=-1..1
            [Differentiable(Hessian = true)]
            public static double NoGradGrid(double x, double y, [NoGrad] double[,] m) => GridD(m, x * y) + x * GridD(m, y);

            // A scalar method calling a Jacobian method (its backward is what the caller uses).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double UsesJacobianCallee(double x, double y)
            {
                var t = ReviewJac15.J.Tri(x, y, x * y);
                return t.A * t.C + Math.Sin(t.B);
            }
        }
        """;

    /// <summary>The Jacobian methods (no probes: a probe calling a Jacobian that failed to compile must fail alone).</summary>
    private const string JacobianSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace ReviewJac15;

        public struct Mixed
        {
            public int N;
            public double P;
            public bool Flag;
            public double Q;
        }

        public struct P2
        {
            public double X;
            public double Y;

            public P2(double x, double y)
            {
                X = x;
                Y = y;
            }

            public static P2 operator +(P2 a, P2 b) => new P2(a.X + b.X, a.Y + b.Y);

            public static P2 operator *(double s, P2 v) => new P2(s * v.X, s * v.Y);
        }

        public struct Body
        {
            public P2 Position;
            public int Id;
            public double Mass;
        }

        // Fields X and XdA with parameters adb and b: d + X + dAdb and d + XdA + db are one name.
        public struct Odd
        {
            public double X;
            public double XdA;
        }

        public record struct Pose(double X, double Y, double Theta);

        public partial struct Lens
        {
            public double K;
            public int Mode;

            [Differentiable(Jacobian = true)]
            public readonly (double U, double V) Bend(double x, double y) => (K * x * y, (K * K) + Math.Sin(x) * Mode);
        }

        public static partial class J
        {
            // Read by bodies: a generated name must not hide them.
            public static double dAdx = 3.0;
            public static double value = 0.5;
            public static double seed = 0.25;

            [Differentiable(Jacobian = true)]
            public static (double A, double B, double C) Tri(double x, double y, double z) => (x * y, Math.Sin(y * z), x + z * z);

            [Differentiable(Jacobian = true)]
            public static (double, double, double, double) Quad(double x, double y)
            {
                var u = x * y;
                u = Math.Exp(0.3 * u) * x;
                x = x * u;
                return (u, x, u * x, y * y * u);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, (double B, double C) D) Nested(double x, double y) => (x * y, (Math.Cos(x), x * y * y));

            [Differentiable(Jacobian = true)]
            public static (double, double, double, double, double, double, double, double) Eight(double x, double y)
                => (x, y, x * y, x * x, y * y, Math.Sin(x), Math.Cos(y), x * y * y);

            [Differentiable(Jacobian = true)]
            public static Mixed Inactive(double x, double y)
            {
                var p = x * Math.Exp(y);
                return new Mixed { N = 3, P = p, Flag = x > y, Q = p * y - x };
            }

            [Differentiable(Jacobian = true)]
            public static Vector3 Vec3(float x, float y)
            {
                var a = MathF.Sin(x) * y;
                return new Vector3(a, x * y, a * a + x);
            }

            [Differentiable(Jacobian = true)]
            public static Vector4 Vec4(float x, float y, float z) => new Vector4(x * y, y * z, z * x, x + y + z);

            [Differentiable(Jacobian = true)]
            public static Complex Cx(double a, double b) => new Complex(a * b, a - (b * b));

            [Differentiable(Jacobian = true)]
            public static (float A, double B) MixedFD(float x, double y) => (x * x * (float)y, Math.Sin(y) * x);

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Const(double x, double y) => (x * y, 3.0);

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Same(double x, double y) => (x * Math.Sin(y), x * Math.Sin(y));

            [Differentiable(Jacobian = true)]
            public static (double A, double B) EarlyRet(double x, double y)
            {
                var t = x * y;
                if (t > 0.6)
                {
                    x = x * t;
                    return (x + y, x * t);
                }

                y = y * y + t;
                if (y > 1.5)
                {
                    return (y * x, Math.Log(y));
                }

                t = t * t;
                return (t, t * y);
            }

            [Differentiable]
            public static P2 Rot(double x, double a) => new P2(x * Math.Cos(a), x * Math.Sin(a));

            [Differentiable(Jacobian = true)]
            public static (double U, double V) ViaCallee(double x, double a)
            {
                var p = Rot(x, a);
                a = a * p.X;
                var q = Rot(p.Y, a);
                x = q.X * x;
                return (p.X * q.Y + x, q.X - p.Y);
            }

            [Differentiable(Jacobian = true)]
            public static P2 ViaOperator(double s, double x, double y)
            {
                var v = new P2(x, y);
                var w = (s * v) + v;
                w = s * w;
                return w + new P2(x * y, s);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Overwrite(double x, double y)
            {
                x = Math.Sin(x);
                y *= x;
                x += y;
                y = y * y;
                return (x * y, x - y);
            }

            [Differentiable(Jacobian = true)]
            public static P2 StructLocal(double x, double y)
            {
                var p = new P2(x, y);
                p.X = p.X * p.Y;
                p.Y = Math.Sin(p.X) + p.Y;
                p.X = p.X * p.Y;
                return new P2(p.X * x, p.Y * y);
            }

            [Differentiable(Jacobian = true)]
            public static (double S, double T) SpanArr(ReadOnlySpan<double> v, double[] w, double k) => (v[0] * w[1] * k, (v[1] * v[1]) + (w[0] * k));

            [Differentiable(Jacobian = true)]
            public static (double S, double T) LoopArr(double[] v, double[,] g, double k)
            {
                var s = 0.0;
                var t = 1.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * g[i % 2, i % 3] * k;
                    t *= 1.0 + (0.1 * v[i] * v[i]);
                }

                return (s, t * k);
            }

            [Differentiable(Jacobian = true)]
            public static (double S, double T) LoopJagged(double[][] r, double k)
            {
                var s = 0.0;
                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        s += r[i][j] * (j + 1) * k;
                    }
                }

                return (s, s * s + k);
            }

            [Differentiable(Jacobian = true)]
            public static Vector2 LoopFloat(float[] v, float k)
            {
                var s = 0f;
                for (var i = 0; i < v.Length; i++)
                {
                    s += MathF.Sin(v[i] * k);
                }

                return new Vector2(s, s * k);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) NoGradP(double x, [NoGrad] double w, [NoGrad] double[] d, double y) => (x * w + d[0] * y, Math.Exp(x * d[1]) * y);

            [Differentiable(Jacobian = true)]
            public static (T A, T B) Gen<T>(T x, T y)
                where T : IFloatingPointIeee754<T>
                => (x * y, T.Sin(x) + y * y);

            [Differentiable(Jacobian = true)]
            public static Body Nest(double m, double v)
            {
                var b = new Body { Id = 4, Mass = m * v };
                b.Position = new P2(v * v, m);
                return b;
            }

            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Hostile(double seed, double _result, double dXdCamera, double camera, double value)
                => (seed * _result + dXdCamera * camera, value * seed - camera * camera);

            [Differentiable(Jacobian = true)]
            public static Odd OddNames(double adb, double b) => new Odd { X = adb * b, XdA = adb + (b * b) };

            // Reads the static fields dAdx, value and seed (the Jacobian's adjoint of x for A is named dAdx).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) ReadsFields(double x, double y) => (x * dAdx + y * value, x * seed);

            [Differentiable(Jacobian = true, Forward = true, Hessian = true)]
            public static (double A, double B) AllOptIns(double x, double y) => (x * x * y, Math.Sin(x * y));
        }

        public static partial class J2
        {
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Swap(double x, double y)
            {
                var a = x * y;
                var b = x + y;
                (a, b) = (b * a, a);
                (a, b) = (Math.Sin(b), a * b);
                return (a * b, a - b);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) DetachNoGrad(double x, double y)
            {
                var t = 0.0;
                using (Autograd.NoGrad())
                {
                    t = x * y;
                }

                var u = Autograd.Detach(x * x) * y;
                x = x * t + u;
                return (x * y, t * x + u);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B, double C) Identity(double x, double y) => (x, y, x);

            [Differentiable(Jacobian = true)]
            public static Pose RecordResult(double x, double y) => new Pose(x * y, y - x, Math.Atan2(y, x));

            [Differentiable(Jacobian = true)]
            public static Vector2 VecLocal(float x, float y)
            {
                var v = new Vector2(x, y);
                v = v * x;
                v = v + new Vector2(y, y * y);
                return new Vector2(v.X * v.Y, v.Length());
            }

            [Differentiable]
            public static double Sum(double[] v, double k)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += Math.Sin(v[i] * k);
                }

                return s;
            }

            // No loop in the body: one forward sweep, the callee's backward writes each field's adjoint span.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) ArrCallee(double[] v, double k) => (Sum(v, k), Sum(v, k * k) * k + v[0]);

            [Differentiable(Jacobian = true)]
            public static (T A, T B) GenLoop<T>(T[] v, T k)
                where T : IFloatingPointIeee754<T>
            {
                var s = T.Zero;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * v[i] * k;
                }

                return (s, T.Exp(s * k));
            }

            // Not a Jacobian: a tuple result and a grid parameter (the struct-result backward's adjoint for it).
            [Differentiable]
            public static (double A, double B) TupleGrid(double[,] g, double k) => (g[0, 0] * k, g[0, 1] * g[1, 0]);

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Esc(double @class, double @double) => (@class * @double, @class - @double);

            [Differentiable(Jacobian = true)]
            public static Complex CxLocal(double x, double y)
            {
                var c = new Complex(x, y);
                c = c * c;
                c = c + new Complex(y, x * y);
                return c * new Complex(x, 1.0);
            }

            [Differentiable]
            public static double Scaled(double x, [NoGrad] double w) => x * w * w;

            // The callee's [NoGrad] parameter receives a varied argument (its BackwardIncludingNoGrad).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) NoGradArg(double x, double y) => (Scaled(x, y), Scaled(y, x) * x);

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Over(double x, double y) => (x * y, x - y);

            [Differentiable(Jacobian = true)]
            public static (float A, float B) Over(float x, float y) => (x * x * y, x + y);

            [Differentiable(Jacobian = true)]
            public static (double A, double B) LocalFn(double x, double y)
            {
                double Sq(double v) => v * v * y;
                var a = Sq(x);
                x = Sq(a) + x;
                return (a * x, Sq(x - a));
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Cond(double x, double y, int n)
            {
                x = x > 0 ? x * x : -x * y;
                y = Math.Max(x, y) * n;
                x = Math.Abs(x - y) + x;
                return (x * y, n > 2 ? x : y);
            }
        }

        public static partial class J3
        {
            // A float jagged Hessian callee (the harness has no float[][]: it lives here).
            [Differentiable(Hessian = true)]
            public static float RowsF(float[][] r, float y)
            {
                var s = 0f;
                for (var i = 0; i < r.Length; i++)
                {
                    for (var j = 0; j < r[i].Length; j++)
                    {
                        s += r[i][j] * MathF.Sin(y * (j + 1));
                    }
                }

                return s * y;
            }

            // A [Differentiable] method named like the Jacobian's adjoint of x for A, called by the body.
            [Differentiable]
            public static double dAdx(double v) => v * v * v;

            [Differentiable(Jacobian = true)]
            public static (double A, double B) CallsDAdx(double x, double y) => (dAdx(x) * y, dAdx(y));

            // Increments of a double parameter and local (restored by the reverse sweeps).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Incr(double x, double y)
            {
                var t = x * y;
                x++;
                t--;
                var u = t * x;
                ++x;
                x *= u;
                return (x * t, (x * x * y) + u);
            }

            // Escaped keyword names, overwritten.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) EscOverwrite(double @double, double @class)
            {
                var @int = @double * @class;
                @double = Math.Sin(@double * @int);
                @int = @int * @double;
                return (@int * @class, @double * @int);
            }

            // Non-ASCII names (θ, α), overwritten: what a reverse sweep restores must be set back before the next one.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Greek(double θ, double r)
            {
                var α = r * θ;
                θ = Math.Sin(θ) * α;
                α = α * θ;
                return (α * r, θ * α);
            }

            // The smallest: one non-ASCII parameter overwritten once.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) GreekMin(double θ, double r)
            {
                θ = Math.Sin(θ) * r;
                return (θ * r, θ * θ);
            }

            [Differentiable]
            public static (double P, double Q) Split2(double a, double b) => (a * b, Math.Sin(a) + b);

            // A tuple-returning callee called twice, its result variable and argument overwritten.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) TupleCallee(double x, double y)
            {
                var r = Split2(x, y);
                x = r.P * x;
                r = Split2(x, r.Q);
                return (r.P * x, r.Q * y);
            }

            [Differentiable(Jacobian = true, IncludingNoGrad = true)]
            public static (double A, double B) WithIncluding(double x, [NoGrad] double w, double y)
            {
                var t = x * w;
                x = t * y;
                return (x * x, t + y * w);
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) Ext(this double x, double y, double k = 2.0) => (x * y * k, x - (k * y));
        }

        public partial class Pc(double scale)
        {
            [Differentiable(Jacobian = true)]
            public (double A, double B) Scale(double x, double y) => (x * scale * y, scale - (x * x));
        }

        public sealed partial class Cam
        {
            private readonly double _focal;

            public Cam(double focal) => _focal = focal;

            [Differentiable(Jacobian = true)]
            public (double U, double V) Project(double x, double y, double z) => (_focal * x / z, _focal * y / z);

            [Differentiable(Jacobian = true)]
            public (double U, double V) Sweep(double[] v, double z)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += _focal * v[i] / z;
                }

                return (s, s * s * _focal);
            }
        }
        """;

    /// <summary>Per case: differentiable inputs, floating fields, float, the probe's body (Value and Rows).</summary>
    private static readonly Dictionary<string, (int Inputs, int Fields, bool IsFloat, string Probe)> s_cases = new()
    {
        ["Tri"] = (3, 3, false, """
            public static double[] Value(double[] p) { var v = J.Tri(p[0], p[1], p[2]); return new[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[9];
                var v = J.TriJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["Quad"] = (2, 4, false, """
            public static double[] Value(double[] p) { var v = J.Quad(p[0], p[1]); return new[] { v.Item1, v.Item2, v.Item3, v.Item4 }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[8];
                var v = J.QuadJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7]);
                return new[] { v.Item1, v.Item2, v.Item3, v.Item4 }.Concat(d).ToArray();
            }
            """),
        ["Nested"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.Nested(p[0], p[1]); return new[] { v.A, v.D.B, v.D.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.NestedJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.D.B, v.D.C }.Concat(d).ToArray();
            }
            """),
        ["Eight"] = (2, 8, false, """
            public static double[] Value(double[] p) { var v = J.Eight(p[0], p[1]); return new[] { v.Item1, v.Item2, v.Item3, v.Item4, v.Item5, v.Item6, v.Item7, v.Item8 }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[16];
                var v = J.EightJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8], ref d[9], ref d[10], ref d[11], ref d[12], ref d[13], ref d[14], ref d[15]);
                return new[] { v.Item1, v.Item2, v.Item3, v.Item4, v.Item5, v.Item6, v.Item7, v.Item8 }.Concat(d).ToArray();
            }
            """),
        ["Inactive"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Inactive(p[0], p[1]); return new[] { v.P, v.Q }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.InactiveJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                if (v.N != 3 || v.Flag != (p[0] > p[1])) throw new InvalidOperationException("inactive fields " + v.N + " " + v.Flag);
                return new[] { v.P, v.Q }.Concat(d).ToArray();
            }
            """),
        ["Vec3"] = (2, 3, true, """
            public static double[] Value(double[] p) { var v = J.Vec3((float)p[0], (float)p[1]); return new double[] { v.X, v.Y, v.Z }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[6];
                var v = J.Vec3Jacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.X, v.Y, v.Z }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["Vec4"] = (3, 4, true, """
            public static double[] Value(double[] p) { var v = J.Vec4((float)p[0], (float)p[1], (float)p[2]); return new double[] { v.X, v.Y, v.Z, v.W }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[12];
                var v = J.Vec4Jacobian((float)p[0], (float)p[1], (float)p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8], ref d[9], ref d[10], ref d[11]);
                return new double[] { v.X, v.Y, v.Z, v.W }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["Cx"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Cx(p[0], p[1]); return new[] { v.Real, v.Imaginary }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.CxJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.Real, v.Imaginary }.Concat(d).ToArray();
            }
            """),
        ["MixedFD"] = (2, 2, true, """
            public static double[] Value(double[] p) { var v = J.MixedFD((float)p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                float a = 0, c = 0;
                double b = 0, e = 0;
                var v = J.MixedFDJacobian((float)p[0], p[1], ref a, ref b, ref c, ref e);
                return new double[] { v.A, v.B, a, b, c, e };
            }
            """),
        ["Const"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Const(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ConstJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Same"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Same(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.SameJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["EarlyRet"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.EarlyRet(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.EarlyRetJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["ViaCallee"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ViaCallee(p[0], p[1]); return new[] { v.U, v.V }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ViaCalleeJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.U, v.V }.Concat(d).ToArray();
            }
            """),
        ["ViaOperator"] = (3, 2, false, """
            public static double[] Value(double[] p) { var v = J.ViaOperator(p[0], p[1], p[2]); return new[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.ViaOperatorJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }
            """),
        ["Overwrite"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Overwrite(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.OverwriteJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["StructLocal"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.StructLocal(p[0], p[1]); return new[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.StructLocalJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }
            """),
        ["SpanArr"] = (5, 2, false, """
            public static double[] Value(double[] p) { var v = J.SpanArr(p.AsSpan(0, 2), new[] { p[2], p[3] }, p[4]); return new[] { v.S, v.T }; }
            public static double[] Rows(double[] p)
            {
                var dv = new double[2]; var dw = new double[2]; double dk = 0;
                var ev = new double[2]; var ew = new double[2]; double ek = 0;
                var v = J.SpanArrJacobian(p.AsSpan(0, 2), new[] { p[2], p[3] }, p[4], dv, dw, ref dk, ev, ew, ref ek);
                return new[] { v.S, v.T, dv[0], dv[1], dw[0], dw[1], dk, ev[0], ev[1], ew[0], ew[1], ek };
            }
            """),
        ["LoopArr"] = (10, 2, false, """
            private static double[,] G(double[] p) => new double[,] { { p[3], p[4], p[5] }, { p[6], p[7], p[8] } };
            public static double[] Value(double[] p) { var v = J.LoopArr(new[] { p[0], p[1], p[2] }, G(p), p[9]); return new[] { v.S, v.T }; }
            public static double[] Rows(double[] p)
            {
                var dv = new double[3]; var dg = new double[2, 3]; double dk = 0;
                var ev = new double[3]; var eg = new double[2, 3]; double ek = 0;
                var v = J.LoopArrJacobian(new[] { p[0], p[1], p[2] }, G(p), p[9], dv, dg, ref dk, ev, eg, ref ek);
                return new[] { v.S, v.T }.Concat(dv).Concat(dg.Cast<double>()).Append(dk).Concat(ev).Concat(eg.Cast<double>()).Append(ek).ToArray();
            }
            """),
        ["LoopJagged"] = (5, 2, false, """
            private static double[][] R(double[] p) => new[] { new[] { p[0], p[1], p[2] }, new[] { p[3] } };
            public static double[] Value(double[] p) { var v = J.LoopJagged(R(p), p[4]); return new[] { v.S, v.T }; }
            public static double[] Rows(double[] p)
            {
                var dr = new[] { new double[3], new double[1] }; double dk = 0;
                var er = new[] { new double[3], new double[1] }; double ek = 0;
                var v = J.LoopJaggedJacobian(R(p), p[4], dr, ref dk, er, ref ek);
                return new[] { v.S, v.T }.Concat(dr[0]).Concat(dr[1]).Append(dk).Concat(er[0]).Concat(er[1]).Append(ek).ToArray();
            }
            """),
        ["LoopFloat"] = (4, 2, true, """
            public static double[] Value(double[] p) { var v = J.LoopFloat(new[] { (float)p[0], (float)p[1], (float)p[2] }, (float)p[3]); return new double[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var dv = new float[3]; float dk = 0; var ev = new float[3]; float ek = 0;
                var v = J.LoopFloatJacobian(new[] { (float)p[0], (float)p[1], (float)p[2] }, (float)p[3], dv, ref dk, ev, ref ek);
                return new double[] { v.X, v.Y }.Concat(dv.Select(e => (double)e)).Append(dk).Concat(ev.Select(e => (double)e)).Append(ek).ToArray();
            }
            """),
        ["NoGradP"] = (2, 2, false, """
            private static readonly double[] D = { 0.7, -0.4 };
            public static double[] Value(double[] p) { var v = J.NoGradP(p[0], 1.3, D, p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.NoGradPJacobian(p[0], 1.3, D, p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Gen"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Gen(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.GenJacobian<double>(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Nest"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.Nest(p[0], p[1]); return new[] { v.Position.X, v.Position.Y, v.Mass }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.NestJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                if (v.Id != 4) throw new InvalidOperationException("Id " + v.Id);
                return new[] { v.Position.X, v.Position.Y, v.Mass }.Concat(d).ToArray();
            }
            """),
        ["Hostile"] = (5, 2, false, """
            public static double[] Value(double[] p) { var v = J.Hostile(p[0], p[1], p[2], p[3], p[4]); return new[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[10];
                var v = J.HostileJacobian(p[0], p[1], p[2], p[3], p[4], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8], ref d[9]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }
            """),
        ["OddNames"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.OddNames(p[0], p[1]); return new[] { v.X, v.XdA }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.OddNamesJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.XdA }.Concat(d).ToArray();
            }
            """),
        ["ReadsFields"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ReadsFields(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ReadsFieldsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["AllOptIns"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.AllOptIns(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.AllOptInsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Swap"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.Swap(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.SwapJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Identity"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J2.Identity(p[0], p[1]); return new[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J2.IdentityJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["RecordResult"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J2.RecordResult(p[0], p[1]); return new[] { v.X, v.Y, v.Theta }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J2.RecordResultJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.X, v.Y, v.Theta }.Concat(d).ToArray();
            }
            """),
        ["DetachNoGrad"] = (2, 2, false, """
            // t = x·y (under NoGrad) and x·x (detached) frozen at the point Rows was last called at, when p is next to it.
            private static double[] B;
            public static double[] Value(double[] p)
            {
                var b = B != null && Math.Abs(p[0] - B[0]) + Math.Abs(p[1] - B[1]) < 1e-3 ? B : p;
                double x = p[0], y = p[1];
                var t = b[0] * b[1];
                var u = b[0] * b[0] * y;
                x = x * t + u;
                return new[] { x * y, t * x + u };
            }
            public static double[] Rows(double[] p)
            {
                B = (double[])p.Clone();
                var d = new double[4];
                var v = J2.DetachNoGradJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                var w = J2.DetachNoGrad(p[0], p[1]);
                if (w.A != v.A || w.B != v.B) throw new InvalidOperationException("value");
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Cond"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.Cond(p[0], p[1], 3); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.CondJacobian(p[0], p[1], 3, ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["VecLocal"] = (2, 2, true, """
            public static double[] Value(double[] p) { var v = J2.VecLocal((float)p[0], (float)p[1]); return new double[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[4];
                var v = J2.VecLocalJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.X, v.Y }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["Bend"] = (2, 2, false, """
            public static double[] Value(double[] p) { var l = new Lens { K = 1.3, Mode = 2 }; var v = l.Bend(p[0], p[1]); return new[] { v.U, v.V }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var l = new Lens { K = 1.3, Mode = 2 };
                var v = l.BendJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.U, v.V }.Concat(d).ToArray();
            }
            """),
        ["ArrCallee"] = (4, 2, false, """
            public static double[] Value(double[] p) { var v = J2.ArrCallee(new[] { p[0], p[1], p[2] }, p[3]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var dv = new double[3]; double dk = 0; var ev = new double[3]; double ek = 0;
                var v = J2.ArrCalleeJacobian(new[] { p[0], p[1], p[2] }, p[3], dv, ref dk, ev, ref ek);
                return new[] { v.A, v.B }.Concat(dv).Append(dk).Concat(ev).Append(ek).ToArray();
            }
            """),
        ["GenLoop"] = (4, 2, false, """
            public static double[] Value(double[] p) { var v = J2.GenLoop(new[] { p[0], p[1], p[2] }, p[3]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var dv = new double[3]; double dk = 0; var ev = new double[3]; double ek = 0;
                var v = J2.GenLoopJacobian<double>(new[] { p[0], p[1], p[2] }, p[3], dv, ref dk, ev, ref ek);
                return new[] { v.A, v.B }.Concat(dv).Append(dk).Concat(ev).Append(ek).ToArray();
            }
            """),
        ["Sweep"] = (4, 2, false, """
            public static double[] Value(double[] p) { var v = new Cam(1.7).Sweep(new[] { p[0], p[1], p[2] }, p[3]); return new[] { v.U, v.V }; }
            public static double[] Rows(double[] p)
            {
                var dv = new double[3]; double dk = 0; var ev = new double[3]; double ek = 0;
                var v = new Cam(1.7).SweepJacobian(new[] { p[0], p[1], p[2] }, p[3], dv, ref dk, ev, ref ek);
                return new[] { v.U, v.V }.Concat(dv).Append(dk).Concat(ev).Append(ek).ToArray();
            }
            """),
        ["Esc"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.Esc(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.EscJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["CxLocal"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.CxLocal(p[0], p[1]); return new[] { v.Real, v.Imaginary }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.CxLocalJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.Real, v.Imaginary }.Concat(d).ToArray();
            }
            """),
        ["NoGradArg"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.NoGradArg(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.NoGradArgJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["CallsDAdx"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.CallsDAdx(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.CallsDAdxJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Ext"] = (3, 2, false, """
            public static double[] Value(double[] p) { var v = J3.Ext(p[0], p[1], p[2]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J3.ExtJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Scale"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = new Pc(0.8).Scale(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = new Pc(0.8).ScaleJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Incr"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.Incr(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.IncrJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["EscOverwrite"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.EscOverwrite(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.EscOverwriteJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Greek"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.Greek(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.GreekJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["GreekMin"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.GreekMin(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.GreekMinJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["TupleCallee"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.TupleCallee(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.TupleCalleeJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["WithIncluding"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J3.WithIncluding(p[0], 0.7, p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J3.WithIncludingJacobian(p[0], 0.7, p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Over"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.Over(p[0], p[1]); var f = J2.Over((float)p[0], (float)p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.OverJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                var e = new float[4];
                var f = J2.OverJacobian((float)p[0], (float)p[1], ref e[0], ref e[1], ref e[2], ref e[3]);
                var x = (float)p[0]; var y = (float)p[1];
                if (Math.Abs(e[0] - 2 * x * y) > 1e-4 || Math.Abs(e[1] - x * x) > 1e-4 || e[2] != 1f || e[3] != 1f) throw new InvalidOperationException("float overload " + string.Join(", ", e));
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["LocalFn"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J2.LocalFn(p[0], p[1]); return new[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J2.LocalFnJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Project"] = (3, 2, false, """
            public static double[] Value(double[] p) { var v = new Cam(1.7).Project(p[0], p[1], p[2]); return new[] { v.U, v.V }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = new Cam(1.7).ProjectJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.U, v.V }.Concat(d).ToArray();
            }
            """),
    };

    /// <summary>Hessian checks of the hessrand cases (every parameter scalar, in order).</summary>
    private const string HessianProbe = """
        using System;
        using ReviewCalls15;

        namespace ReviewCalls15.Probes;

        public static class Check
        {
            public static void RaggedConstG(double[] p, double[] g) => S.RaggedConstBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double RaggedConstHv(double[] p, double[] v, double[] hv) => S.RaggedConstHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void RaggedConstH(double[] p, double[] h) => S.RaggedConstHessian(p[0], p[1], h);

            public static void FloatGridG(double[] p, double[] g) { float a = 0, b = 0; S.FloatGridBackward((float)p[0], (float)p[1], ref a, ref b); g[0] = a; g[1] = b; }
            public static double FloatGridHv(double[] p, double[] v, double[] hv) { float a = 0, b = 0; var r = S.FloatGridHessianVector((float)p[0], (float)p[1], (float)v[0], (float)v[1], ref a, ref b); hv[0] = a; hv[1] = b; return r; }
            public static void FloatGridH(double[] p, double[] h) { var f = new float[4]; S.FloatGridHessian((float)p[0], (float)p[1], f); for (var i = 0; i < 4; i++) h[i] = f[i]; }

            public static void RaggedFloatG(double[] p, double[] g) { float a = 0, b = 0; S.RaggedFloatBackward((float)p[0], (float)p[1], ref a, ref b); g[0] = a; g[1] = b; }
            public static double RaggedFloatHv(double[] p, double[] v, double[] hv) { float a = 0, b = 0; var r = S.RaggedFloatHessianVector((float)p[0], (float)p[1], (float)v[0], (float)v[1], ref a, ref b); hv[0] = a; hv[1] = b; return r; }
            public static void RaggedFloatH(double[] p, double[] h) { var f = new float[4]; S.RaggedFloatHessian((float)p[0], (float)p[1], f); for (var i = 0; i < 4; i++) h[i] = f[i]; }

            public static void EmptyRowsG(double[] p, double[] g) => S.EmptyRowsBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double EmptyRowsHv(double[] p, double[] v, double[] hv) => S.EmptyRowsHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void EmptyRowsH(double[] p, double[] h) => S.EmptyRowsHessian(p[0], p[1], h);

            public static void VariedAndConstGridG(double[] p, double[] g) => S.VariedAndConstGridBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double VariedAndConstGridHv(double[] p, double[] v, double[] hv) => S.VariedAndConstGridHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void VariedAndConstGridH(double[] p, double[] h) => S.VariedAndConstGridHessian(p[0], p[1], h);

            private static readonly double[][] R = { new[] { 0.3, -0.7 }, new[] { 1.1 }, new[] { -0.2, 0.4, 0.9 } };
            public static void NoGradJaggedG(double[] p, double[] g) => S.NoGradJaggedBackward(p[0], p[1], R, ref g[0], ref g[1]);
            public static double NoGradJaggedHv(double[] p, double[] v, double[] hv) => S.NoGradJaggedHessianVector(p[0], p[1], R, v[0], v[1], ref hv[0], ref hv[1]);
            public static void NoGradJaggedH(double[] p, double[] h) => S.NoGradJaggedHessian(p[0], p[1], R, h);

            public static void RaggedVariedG(double[] p, double[] g) => S.RaggedVariedBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double RaggedVariedHv(double[] p, double[] v, double[] hv) => S.RaggedVariedHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void RaggedVariedH(double[] p, double[] h) => S.RaggedVariedHessian(p[0], p[1], h);

            private static readonly double[,] M = { { 0.3, -0.7, 0.5 }, { 1.1, 0.2, -0.4 } };
            public static void NoGradGridG(double[] p, double[] g) => S.NoGradGridBackward(p[0], p[1], M, ref g[0], ref g[1]);
            public static double NoGradGridHv(double[] p, double[] v, double[] hv) => S.NoGradGridHessianVector(p[0], p[1], M, v[0], v[1], ref hv[0], ref hv[1]);
            public static void NoGradGridH(double[] p, double[] h) => S.NoGradGridHessian(p[0], p[1], M, h);
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(ScalarSource);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { ScalarSource, JacobianSource }, s_methods));

    /// <summary>The probes compiled against the batch's image, one tree per case; a case whose tree does not compile is in Failures.</summary>
    private static readonly Lazy<(Assembly? Assembly, Dictionary<string, string> Failures)> s_probes = new(() =>
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var trees = s_cases.ToDictionary(
            c => CSharpSyntaxTree.ParseText("using System;\nusing System.Linq;\nusing ReviewJac15;\nnamespace ReviewJac15.Probes;\npublic static class P_" + c.Key + "\n{\n" + c.Value.Probe + "\n}\n", GeneratorHarness.ParseOptions, path: "Probe_" + c.Key + ".cs"),
            c => c.Key);
        var hessianTree = CSharpSyntaxTree.ParseText(HessianProbe, GeneratorHarness.ParseOptions, path: "HessianProbe.cs");
        trees[hessianTree] = "Hessians";
        var loaded = ProbeCompilation.Load(batch, trees, "Probes15", out var context);
        s_probeContext = context;
        return loaded;
    });

    // Held so that the probes' collectible context is not finalized (and unloaded) while the tests use it.
    private static AssemblyLoadContext? s_probeContext;

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    public static TheoryData<string> Cases() => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Calls15_gradient_matches_central_finite_differences(string key) =>
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calls15_jacobian_rows_match_central_finite_differences(string name)
    {
        var batch = s_batch.Value;
        var key = name switch
        {
            "Project" or "Sweep" => "Cam.",
            "CallsDAdx" or "Ext" or "Incr" or "EscOverwrite" or "Greek" or "GreekMin" or "TupleCallee" or "WithIncluding" => "J3.",
            "Scale" => "Pc.",
            "Bend" => "Lens.",
            "Swap" or "DetachNoGrad" or "Identity" or "RecordResult" or "VecLocal" or "Cond" or "ArrCallee" or "GenLoop" or "Over" or "LocalFn" or "Esc" or "CxLocal" or "NoGradArg" => "J2.",
            _ => "J.",
        } + name;
        var generated = batch.GeneratedSource.GetValueOrDefault(key)
            ?? "(no generated file; the compiler core reports: " + string.Join("\n", CompilerExplanation.Explain(GeneratorHarness.CreateCompilation(ScalarSource, JacobianSource), new HashSet<string> { key }).GetValueOrDefault(key) ?? new List<string>()) + ")";
        Assert.False(batch.Failures.ContainsKey(key), key + ": " + batch.Failures.GetValueOrDefault(key));
        var diagnostics = batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new List<Diagnostic>();
        Assert.True(diagnostics.Count == 0, key + " diagnostics:\n" + string.Join("\n", diagnostics));
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey(name) && assembly is not null, name + ": the probe calling the Jacobian does not compile:\n" + failures.GetValueOrDefault(name) + "\n" + generated);
        var type = assembly!.GetType("ReviewJac15.Probes.P_" + name)!;
        var value = type.GetMethod("Value")!.CreateDelegate<Func<double[], double[]>>();
        var rows = type.GetMethod("Rows")!.CreateDelegate<Func<double[], double[]>>();
        var (inputs, fields, isFloat, _) = s_cases[name];
        var problems = JacobianProbeCheck.Problems(name, 15, value, rows, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems.Take(12)) + "\n" + generated);
    }

    [Theory]
    [InlineData("RaggedConst", false)]
    [InlineData("FloatGrid", true)]
    [InlineData("EmptyRows", false)]
    [InlineData("VariedAndConstGrid", false)]
    [InlineData("NoGradJagged", false)]
    [InlineData("RaggedVaried", false)]
    [InlineData("NoGradGrid", false)]
    [InlineData("RaggedFloat", true)]
    public void Calls15_hessians_of_grid_arguments_match_differences_of_the_gradient(string name, bool isFloat)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the Hessian probes do not compile:\n" + failures.GetValueOrDefault("Hessians") + "\n" + s_batch.Value.Failures.GetValueOrDefault("S." + name));
        var check = assembly!.GetType("ReviewCalls15.Probes.Check")!;
        var point = new[] { 0.6, -0.45 };
        try
        {
            HessianFiniteDifferences.AssertHessianVector(check, name, point, isFloat, name);
            HessianFiniteDifferences.AssertDenseHessian(check, name, point, isFloat, name);
        }
        catch (TargetInvocationException e)
        {
            throw new Xunit.Sdk.XunitException(name + ": the generated Hessian code threw " + e.InnerException + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("S." + name));
        }
    }

    /// <summary>A tuple-result method (no Jacobian) with a T[,] parameter: its generated backward compiles (the Jacobian's fallback calls it).</summary>
    [Fact]
    public void Calls15_tuple_result_with_a_grid_parameter_compiles()
    {
        var batch = s_batch.Value;
        Assert.False(batch.Failures.ContainsKey("J2.TupleGrid"), batch.Failures.GetValueOrDefault("J2.TupleGrid"));
        Assert.True(batch.GeneratedSource.ContainsKey("J2.TupleGrid"), "no backward generated for J2.TupleGrid");
    }

    /// <summary>Jacobian = true on a scalar method, on a method with struct parameters, and a taken name: one located error each, from the analyzer (what a build shows).</summary>
    [Fact]
    public void Calls15_unsupported_jacobian_is_one_diagnostic()
    {
        const string source = """
            using System;
            using System.Numerics;
            using StaticGrad;

            namespace ReviewDiag15;

            public static partial class D
            {
                [Differentiable(Jacobian = true)]
                public static double Scalar(double x) => x * x;

                [Differentiable(Jacobian = true, Hessian = true)]
                public static float ScalarHessian(float x) => x * x * x;

                [Differentiable(Jacobian = true)]
                public static Vector2 FromStruct(Vector2 v, double k) => v * (float)k;

                [Differentiable(Jacobian = true)]
                public static (double A, double B) Taken(double x) => (x, x * x);

                public static double TakenJacobian(double x) => x;

                // A 'ref' parameter: SG1004 (not differentiable at all), and nothing more for the Jacobian ('in' is read as a
                // value since session 25, so 'x' adds nothing).
                [Differentiable(Jacobian = true)]
                public static (double A, double B) RefIn(in double x, ref double y) => (x * y, x - (y * y));
            }
            """;
        var output = GeneratorHarness.Run(source);
        var analyzer = output.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal)).ToList();
        var text = string.Join("\n", analyzer.Concat(output.GeneratorDiagnostics));
        foreach (var (method, id) in new[] { ("Scalar", "SG1002"), ("ScalarHessian", "SG1002"), ("FromStruct", "SG1002"), ("Taken", "SG1020") })
        {
            var at = source.IndexOf(" " + method + "(", StringComparison.Ordinal) + 1;
            var here = analyzer.Where(d => d.Location.SourceSpan.Start == at).ToList();
            Assert.True(here.Count == 1 && here[0].Id == id, method + ": expected one " + id + " at the name, got:\n" + text);
        }

        Assert.True(analyzer.Count(d => d.Id == "SG1004") == 1, "expected SG1004 for 'ref double y', got:\n" + text);
        Assert.True(analyzer.Count == 5, "expected five diagnostics, got:\n" + text);
        Assert.DoesNotContain(output.OutputCompilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    /// <summary>The Jacobian (both paths) compiled at LangVersion 9, the generated code included.</summary>
    [Fact]
    public void Calls15_jacobian_compiles_at_language_version_9()
    {
        const string source = """
            using System;
            using System.Numerics;
            using StaticGrad;

            namespace ReviewLang9
            {
                public static partial class L
                {
                    [Differentiable(Jacobian = true)]
                    public static (double A, double B) Straight(double x, double y)
                    {
                        var t = x * y;
                        x = x * t;
                        return (x + y, Math.Sin(t));
                    }

                    [Differentiable(Jacobian = true)]
                    public static Vector2 Looped(float[] v, float k)
                    {
                        var s = 0f;
                        for (var i = 0; i < v.Length; i++)
                        {
                            s += v[i] * k;
                        }

                        return new Vector2(s, s * k);
                    }
                }
            }
            """;
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        var compilation = CSharpCompilation.Create(
            "Lang9" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, options, path: "Lang9.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: options, optionsProvider: BuildProperties.AllOutputs)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var errors = diagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(output.SyntaxTrees.Any(t => t.ToString().Contains("StraightJacobian(", StringComparison.Ordinal)), "no StraightJacobian generated");
        Assert.True(errors.Count == 0, "errors at LangVersion 9:\n" + string.Join("\n", errors) + "\n" + string.Join("\n", output.SyntaxTrees.Skip(1).Where(t => errors.Any(e => e.Location.SourceTree == t)).Select(t => t.FilePath + "\n" + t)));
    }
}
