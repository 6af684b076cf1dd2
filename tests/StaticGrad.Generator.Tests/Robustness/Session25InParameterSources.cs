namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// The sources of <see cref="Session25InParameterTests"/>: [Differentiable] methods taking <c>in</c> parameters, callers
/// passing <c>in</c> or plain arguments (array elements and their fields among them), local functions with <c>in</c>
/// parameters, and a consumer that calls each generated method the way a user does: each <c>{Name}Value(p)</c> returns
/// the method's value at the point <c>p</c>, <c>{Name}Gradient(p, g)</c> the Backward's value with its gradient in
/// <c>g</c>, <c>{Name}Tangent(p, v)</c> the Tangent's directional derivative along <c>v</c>.
/// </summary>
internal static class Session25InParameterSources
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session25In
        {
            public struct State
            {
                public double Position;
                public double Velocity;
                public int Steps;
            }

            public static partial class M
            {
                [Differentiable(Forward = true, Hessian = true)]
                public static double Energy(in double x, double k) => (0.5 * k * x * x) + Math.Sin(x);

                [Differentiable(Forward = true)]
                public static float Dot3(in Vector3 a, in Vector3 b) => Vector3.Dot(a, b) + (a.X * MathF.Cos(b.Y));

                [Differentiable(Forward = true)]
                public static double StateEnergy(in State s, double k)
                {
                    var e = 0.5 * s.Velocity * s.Velocity;
                    for (var i = 0; i < s.Steps; i++)
                    {
                        e += k * s.Position * s.Position / (i + 1);
                    }

                    return e;
                }

                [Differentiable]
                public static double Springs(double[] a, double x)
                {
                    var ps = new Vector3[4];
                    for (var k = 0; k < 4; k++)
                    {
                        ps[k] = new Vector3((float)(a[k] * x), (float)a[k + 1], 1f);
                    }

                    var total = 0.0;
                    for (var i = 0; i < 3; i++)
                    {
                        total += Dot3(in ps[i], ps[i + 1]);
                    }

                    return total;
                }

                [Differentiable]
                public static double Chain(double[] a, double x)
                {
                    var states = new State[3];
                    for (var k = 0; k < 3; k++)
                    {
                        states[k].Position = a[k] * x;
                        states[k].Velocity = a[k + 1];
                        states[k].Steps = k + 1;
                    }

                    var total = 0.0;
                    for (var i = 0; i < states.Length; i++)
                    {
                        total += Energy(in states[i].Position, a[4]) + StateEnergy(in states[i], x) + Energy(states[i].Velocity, 2.0);
                    }

                    return total;
                }

                [Differentiable]
                public static double LocalFunctions(double[] a, double x)
                {
                    double Scale(in double v, in double w) => (v * w) + Math.Exp(v);
                    double Weighted(in double v)
                    {
                        var t = v * x;
                        return t * t;
                    }

                    var s = 0.0;
                    for (var i = 0; i < 4; i++)
                    {
                        s += Scale(in a[i], x) + Weighted(a[i + 1]);
                    }

                    return s;
                }

                [Differentiable]
                public static double Guarded(in Vector3 p, double[] a)
                {
                    if (p.X < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(p));
                    }

                    var s = 0.0;
                    for (var i = 0; i < (int)p.Y; i++)
                    {
                        for (var j = 0; j <= i; j++)
                        {
                            s += a[i] * p.Z * a[j];
                            if (s > 10)
                            {
                                return s;
                            }
                        }
                    }

                    return s + p.X;
                }

                [Differentiable(Forward = true)]
                public static double Hygiene(in double dx, in double seed, in double _result, in Vector3 da, double _tape) =>
                    (dx * seed) + (_result * da.X) + Math.Sin(da.Y * _tape);
            }

            public delegate double ArrayBackward(double[] a, double x, Span<double> da, ref double dx, double seed);

            public static partial class Consumer
            {
                public static double EnergyValue(double[] p)
                {
                    var x = p[0];
                    return M.Energy(in x, p[1]);
                }

                public static double EnergyGradient(double[] p, double[] g)
                {
                    double dx = 0, dk = 0;
                    var x = p[0];
                    var value = M.EnergyBackward(in x, p[1], ref dx, ref dk);
                    g[0] = dx;
                    g[1] = dk;
                    return value;
                }

                public static double EnergyTangent(double[] p, double[] v) => M.EnergyTangent(p[0], p[1], v[0], v[1]).Tangent;

                public static double EnergyHessianVector(double[] p, double[] v, double[] hv)
                {
                    double hx = 0, hk = 0;
                    var x = p[0];
                    var value = M.EnergyHessianVector(in x, p[1], v[0], v[1], ref hx, ref hk);
                    hv[0] = hx;
                    hv[1] = hk;
                    return value;
                }

                public static double Dot3Value(double[] p) => M.Dot3(V(p, 0), V(p, 3));

                public static double Dot3Gradient(double[] p, double[] g)
                {
                    Vector3 da = default, db = default;
                    var a = V(p, 0);
                    var value = M.Dot3Backward(in a, V(p, 3), ref da, ref db);
                    (g[0], g[1], g[2], g[3], g[4], g[5]) = (da.X, da.Y, da.Z, db.X, db.Y, db.Z);
                    return value;
                }

                public static double Dot3Tangent(double[] p, double[] v) => M.Dot3Tangent(V(p, 0), V(p, 3), V(v, 0), V(v, 3)).Tangent;

                public static double StateEnergyValue(double[] p)
                {
                    var s = S(p);
                    return M.StateEnergy(in s, p[2]);
                }

                public static double StateEnergyGradient(double[] p, double[] g)
                {
                    State ds = default;
                    double dk = 0;
                    var s = S(p);
                    var value = M.StateEnergyBackward(in s, p[2], ref ds, ref dk);
                    (g[0], g[1], g[2]) = (ds.Position, ds.Velocity, dk);
                    return ds.Steps == 0 ? value : double.NaN;
                }

                public static double StateEnergyTangent(double[] p, double[] v) => M.StateEnergyTangent(S(p), p[2], S(v), v[2]).Tangent;

                public static double SpringsValue(double[] p) => M.Springs(p[..5], p[5]);

                public static double SpringsGradient(double[] p, double[] g) => ArrayGradient(M.SpringsBackward, p, g);

                public static double ChainValue(double[] p) => M.Chain(p[..5], p[5]);

                public static double ChainGradient(double[] p, double[] g) => ArrayGradient(M.ChainBackward, p, g);

                public static double LocalFunctionsValue(double[] p) => M.LocalFunctions(p[..5], p[5]);

                public static double LocalFunctionsGradient(double[] p, double[] g) => ArrayGradient(M.LocalFunctionsBackward, p, g);

                public static double GuardedValue(double[] p)
                {
                    var v = V(p, 0);
                    return M.Guarded(in v, p[3..]);
                }

                public static double GuardedGradient(double[] p, double[] g)
                {
                    Vector3 dp = default;
                    var a = p[3..];
                    var da = new double[a.Length];
                    var v = V(p, 0);
                    var value = M.GuardedBackward(in v, a, ref dp, da);
                    (g[0], g[1], g[2]) = (dp.X, dp.Y, dp.Z);
                    da.CopyTo(g, 3);
                    return value;
                }

                public static double HygieneValue(double[] p)
                {
                    var (dx, seed, result) = (p[0], p[1], p[2]);
                    return M.Hygiene(in dx, in seed, in result, V(p, 3), p[6]);
                }

                public static double HygieneGradient(double[] p, double[] g)
                {
                    double d0 = 0, d1 = 0, d2 = 0, d6 = 0;
                    Vector3 d3 = default;
                    var value = M.HygieneBackward(p[0], p[1], p[2], V(p, 3), p[6], ref d0, ref d1, ref d2, ref d3, ref d6);
                    (g[0], g[1], g[2], g[3], g[4], g[5], g[6]) = (d0, d1, d2, d3.X, d3.Y, d3.Z, d6);
                    return value;
                }

                public static double HygieneTangent(double[] p, double[] v) => M.HygieneTangent(p[0], p[1], p[2], V(p, 3), p[6], v[0], v[1], v[2], V(v, 3), v[6]).Tangent;

                private static double ArrayGradient(ArrayBackward backward, double[] p, double[] g)
                {
                    var da = new double[5];
                    double dx = 0;
                    var value = backward(p[..5], p[5], da, ref dx, 1.0);
                    da.CopyTo(g, 0);
                    g[5] = dx;
                    return value;
                }

                private static Vector3 V(double[] p, int at) => new((float)p[at], (float)p[at + 1], (float)p[at + 2]);

                private static State S(double[] p) => new() { Position = p[0], Velocity = p[1], Steps = 3 };
            }
        }
        """;

    /// <summary>An <c>in T</c> parameter of a generic method (generic math: C# 11 and later).</summary>
    public const string GenericSource = """
        using System.Numerics;
        using StaticGrad;

        namespace Session25In
        {
            public static partial class G
            {
                [Differentiable(Forward = true)]
                public static T Cube<T>(in T x, T y)
                    where T : IFloatingPointIeee754<T> => (x * x * x) + (x * y);
            }

            public static partial class Consumer
            {
                public static double CubeValue(double[] p) => G.Cube(p[0], p[1]);

                public static double CubeGradient(double[] p, double[] g)
                {
                    double dx = 0, dy = 0;
                    var x = p[0];
                    var value = G.CubeBackward(in x, p[1], ref dx, ref dy, 1.0);
                    (g[0], g[1]) = (dx, dy);
                    return value;
                }

                public static double CubeTangent(double[] p, double[] v) => G.CubeTangent(p[0], p[1], v[0], v[1]).Tangent;

                public static double CubeFloatValue(double[] p) => G.Cube((float)p[0], (float)p[1]);

                public static double CubeFloatGradient(double[] p, double[] g)
                {
                    float dx = 0, dy = 0;
                    var x = (float)p[0];
                    var value = G.CubeBackward(in x, (float)p[1], ref dx, ref dy, 1f);
                    (g[0], g[1]) = (dx, dy);
                    return value;
                }
            }
        }
        """;

    /// <summary><c>ref readonly</c> (C# 12) and <c>scoped in</c> (C# 11) parameters, and a caller passing them.</summary>
    public const string RefReadOnlySource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session25RefReadOnly
        {
            public static partial class R
            {
                [Differentiable(Forward = true, Hessian = true)]
                public static double Norm(ref readonly double x, scoped in double y) => Math.Sqrt((x * x) + (y * y) + 1.0);

                [Differentiable(Forward = true)]
                public static float Length(ref readonly Vector3 v, scoped in Vector3 w) => (v - w).Length() + (0.5f * v.Z);

                [Differentiable]
                public static float Distance(in Vector3 v, scoped in Vector3 w) => (v - w).Length();

                [Differentiable]
                public static double Caller(double[] a, double x)
                {
                    double Half(ref readonly double v, scoped in double w) => 0.5 * v * w;
                    var s = 0.0;
                    for (var i = 0; i + 1 < a.Length; i++)
                    {
                        s += Half(in a[i], a[i + 1] * x);
                    }

                    var v = new Vector3((float)a[0], (float)(a[1] * x), 2f);
                    var w = new Vector3(1f, (float)a[2], (float)a[3]);
                    return s + Distance(in v, w);
                }
            }

            public static partial class Consumer
            {
                public static double NormValue(double[] p) => R.Norm(in p[0], in p[1]);

                public static double NormGradient(double[] p, double[] g)
                {
                    double dx = 0, dy = 0;
                    var value = R.NormBackward(in p[0], in p[1], ref dx, ref dy);
                    (g[0], g[1]) = (dx, dy);
                    return value;
                }

                public static double NormTangent(double[] p, double[] v) => R.NormTangent(in p[0], in p[1], v[0], v[1]).Tangent;

                public static double LengthValue(double[] p)
                {
                    var (v, w) = (new Vector3((float)p[0], (float)p[1], (float)p[2]), new Vector3((float)p[3], (float)p[4], (float)p[5]));
                    return R.Length(in v, in w);
                }

                public static double LengthGradient(double[] p, double[] g)
                {
                    Vector3 dv = default, dw = default;
                    var value = R.LengthBackward(new Vector3((float)p[0], (float)p[1], (float)p[2]), new Vector3((float)p[3], (float)p[4], (float)p[5]), ref dv, ref dw);
                    (g[0], g[1], g[2], g[3], g[4], g[5]) = (dv.X, dv.Y, dv.Z, dw.X, dw.Y, dw.Z);
                    return value;
                }

                public static double CallerValue(double[] p) => R.Caller(p[..4], p[4]);

                public static double CallerGradient(double[] p, double[] g)
                {
                    var da = new double[4];
                    double dx = 0;
                    var value = R.CallerBackward(p[..4], p[4], da, ref dx);
                    da.CopyTo(g, 0);
                    g[4] = dx;
                    return value;
                }
            }
        }
        """;

    /// <summary>The two ways an <c>in</c> parameter can change while the callee reads it: both refused.</summary>
    public const string AliasingSource = """
        using System;
        using StaticGrad;

        namespace Session25Aliasing
        {
            public static partial class A
            {
                [Differentiable]
                public static double CapturedWrite(double x)
                {
                    var total = x;
                    double Bump(in double v)
                    {
                        total += 1;
                        return v * total;
                    }

                    return Bump(in total);
                }

                [Differentiable]
                public static double ArrayWrite(in double x, double[] a)
                {
                    a[0] = 2 * x;
                    return x * a[0];
                }

                [Differentiable]
                public static double Norm(ref readonly double x) => x * x;

                [Differentiable]
                public static double PassesRefReadOnly(double[] a) => Norm(in a[0]);
            }
        }
        """;
}
