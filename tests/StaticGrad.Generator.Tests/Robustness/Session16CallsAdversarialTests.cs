using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 16's calls branches: lstm16 (a [Differentiable] callee whose body is the logistic
/// 1/(1+exp(−z)) differentiated from its value, <c>Derivatives/ResultRules.cs</c>, <c>Lowering/CalleeResultForms.cs</c>,
/// <c>ReverseValueCache</c>) and ba16 (the Jacobian's reverse sweeps reading <c>Math</c> values from the user's
/// single-assigned locals, <c>ReverseModeTransformer.JacobianBuiltins.cs</c>, and the restored-variable set taken from
/// the IR). ONE compiled batch (<see cref="CompiledBatch"/>, every opt-in output on by the project's properties) holds
/// the scalar methods, checked with <see cref="CompiledBatch.AssertAcceptedAndGradientMatches"/>, and the Jacobian
/// methods, whose probes (<c>Value</c>: the result's floating fields; <c>Rows</c>: the Jacobian's value, then its rows
/// field-major) are compiled one tree per case against the batch's image. Every entry of every row is compared with
/// central differences of the method's own result: double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2,
/// 2e-2·max(1, |fd|); the value to 1e-9 (float 1e-5) relative. HessSig's H·v and dense Hessian against differences of
/// its generated gradient (<see cref="HessianFiniteDifferences"/>), tangents against central differences, and an
/// incremental run after editing only the callee's file against a fresh run.
/// Defects found (both also at bff4b70, before session 16) and fixed on main, now asserted refused with one SG1002:
/// Virt/VirtPlain and Calls16_virtual_call_through_a_field_is_refused (a [Differentiable] virtual method called through
/// a static field of the unsealed base type whose object overrides it: accepted with no diagnostic, the backward calls
/// the base's non-virtual backward, so both the returned value and the gradient are the base's; the lowering's
/// <c>ConstantText</c> receiver branch has no virtual check) and Eff/EffMin/EffJ (a helper without a derivative called
/// as a statement sets a static field the body reads: the reverse reads the field's final value, not the one the
/// forward used).
/// </summary>
public sealed class Session16CallsAdversarialTests
{
    private const int PointsPerFunction = 3;

    /// <summary>Scalar methods for the harness (callers of the logistic and of its lookalikes, quotients).</summary>
    private const string ScalarSource = """
        using System;
        using StaticGrad;
        using ReviewJac16;

        namespace ReviewCalls16;

        public static partial class S
        {
            // Lookalikes (not the logistic) as the whole right side of carried statements in a loop, next to one that is
            // the logistic through a named constant, an overload pair and an extension call.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double Looks(double[] a, double x)
            {
                double p = x, q = x, r = x, u = x, v = x, e = x;
                for (int i = 0; i < a.Length; i++)
                {
                    p = H.PlusC(p * a[i] + x);
                    q = H.OtherZ(q * a[i] - x);
                    r = H.WithLocal(r * a[i] + x);
                    u = H.SigConst(u * a[i] - x);
                    v = H.Ov(v * a[i], x) + H.Ov(v);
                    e = (e * a[i]).Sx();
                }

                return p * q + r * u + v * e;
            }

            // The 1/(1+exp(z)) and 2/(1+exp(-z)) lookalikes straight-line, target overwritten.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double NoMinusTwo(double x, double y)
            {
                var s = H.NoMinus(x * y);
                s = H.TwoOver(s + x);
                var t = H.NoMinus(s) * y;
                s = y;
                return t + s * H.TwoOver(t);
            }

            // s = Sig(s) and a[i] = Sig(a[i]) in nested loops; the element read again after its target was overwritten.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SelfArr(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    b[i] = a[i] * x;
                }

                for (int k = 0; k < 2; k++)
                {
                    for (int i = 0; i < b.Length; i++)
                    {
                        b[i] = H.Sig(b[i]);
                        b[i] = H.Sig(b[i] * x + b[(i + 1) % b.Length]);
                    }
                }

                var s = x;
                s = H.Sig(s);
                s = H.Sig(s) * s;
                return s + b[0] * b[b.Length - 1];
            }

            // Straight-line: the value used after its target is overwritten; the argument reads the old target.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Straight(double x, double y)
            {
                var s = H.Sig(x * y);
                var t = s * y;
                s = H.Sig(s + t);
                t = t * s;
                s = x;
                return t + s * H.Sig(t);
            }

            // A double target holding a float callee's value (the value cache must not hand a double to a float local).
            // domain: x=-2..2
            [Differentiable]
            public static float Widen(float x)
            {
                double y = H.SigF(x * 0.5f);
                var z = y * y + H.SigF(x);
                return (float)z + x;
            }

            // The same in a loop (the carried target read by the reverse).
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static float WidenLoop(float[] a, float x)
            {
                double y = 0;
                double total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    y = H.SigF(a[i] * x + (float)y);
                    total += y * a[i];
                }

                return (float)total;
            }

            // Struct field targets.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double FieldTarget(double x, double y)
            {
                var p = new P2(x, y);
                p.X = H.Sig(p.X * y);
                p.Y = H.Sig(p.X + p.Y);
                p.X = H.Sig(p.Y - p.X);
                return p.X * p.Y + p.X;
            }

            // A virtual logistic overridden by a non-logistic body (called through the base type).
            // domain: x=-1..1
            [Differentiable]
            public static double Virt(double x)
            {
                var y = H.G.Act(x * 0.7);
                return y * x;
            }

            // The same with a non-logistic base (is the dispatch defect older than the result form?).
            // domain: x=-1..1
            [Differentiable]
            public static double VirtPlain(double x)
            {
                var y = H.C.Act(x * 0.7);
                return y * x;
            }

            // [NoGrad] arguments of the logistic (inactive argument: no partial).
            // domain: x=-1..1 w=-1..1
            [Differentiable]
            public static double Inactive(double x, [NoGrad] double w)
            {
                var s = H.Sig(w);
                var t = H.Sig(x * w);
                return s * t + H.Sig(s) + H.Sig(w * 0.5) * x;
            }

            // The generic logistic (not a form: generic) called with double, and a recursion through the logistic.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double GenAndRec(double x, double y) => H.SigT(x * y) * H.Rec(x + y, 3);

            // The logistic in a while loop writing array elements, with an early return.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double WhileEarly(double[] a, double x)
            {
                var b = new double[a.Length];
                var i = 0;
                while (i < a.Length)
                {
                    b[i] = H.Sig(a[i] + x);
                    if (b[i] > 0.9)
                    {
                        return b[i] * x;
                    }

                    b[i] = H.Sig(b[i] * x) - b[i];
                    i++;
                }

                return b[0] + b[a.Length - 1] * x;
            }

            // The float logistic: self-overwrite, nested.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatSelf(float x, float y)
            {
                x = H.SigF(x * y);
                y = H.SigF(H.SigF(x) + y);
                return x * y + H.SigF(x - y);
            }

            // Quotients: divisions by values overwritten later, x/x, nested quotients, integer division.
            // domain: x=0.5..2 y=0.5..2 n=1..6
            [Differentiable]
            public static double Quotients(double x, double y, int n)
            {
                var q = x / y;
                var t = y;
                t = t * x;
                var r = q / t + x / x + x / (y / (x + 3));
                t = t / (n / 2 + 1);
                r += Math.Exp(q) / t + (n / 3) * x / y;
                y = y / x;
                return r + q / y;
            }

            // A Hessian caller of a Hessian logistic.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double HessSig(double x, double y)
            {
                var s = H.SigH(x * y);
                s = H.SigH(s + x) * y;
                return s * s + H.SigH(y);
            }

            // The logistic nested in its own argument with the target read again (loop and straight-line), and array targets.
            // domain: a[3]=-1..1 x=-1..1 y=-1..1
            [Differentiable]
            public static double NestedSelf(double[] a, double x, double y)
            {
                var s = x;
                var u = y;
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    s = H.Sig(H.Sig(s) * y + a[i]);
                    u = H.Sig(u * H.Sig(u + a[i]));
                    b[i] = H.Sig(a[i] * s);
                    b[i] = H.Sig(b[i] * H.Sig(b[i]));
                    b[(i + 1) % b.Length] = H.Sig(b[i] * x - b[(i + 2) % b.Length]);
                }

                var t = H.Sig(H.Sig(s) * u);
                t = H.Sig(t * H.Sig(t));
                return s * u + t + b[0] * b[a.Length - 1];
            }

            // Grid, jagged and stackalloc span elements as targets of the logistic, read again and overwritten.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double GridTarget(double[] a, double x)
            {
                var g = new double[2, 2];
                var r = new double[2][];
                r[0] = new double[2];
                r[1] = new double[2];
                Span<double> sp = stackalloc double[4];
                for (int i = 0; i < 2; i++)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        g[i, j] = H.Sig(a[(2 * i) + j] * x);
                        g[i, j] = H.Sig(g[i, j] + x);
                        r[i][j] = H.Sig(g[i, j] * a[i]);
                        r[i][j] = H.Sig(r[i][j] * x) * r[i][j];
                        sp[(2 * i) + j] = H.Sig(r[i][j] - x);
                        sp[(2 * i) + j] = H.Sig(sp[(2 * i) + j]);
                    }
                }

                return (g[0, 0] * g[1, 1]) + (r[0][1] * r[1][0]) + (sp[0] * sp[3]);
            }

            // A callee that writes its parameter before the return (not the form) next to the logistic, in a loop.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ParamWritten(double[] a, double x)
            {
                double p = x, q = x;
                for (int i = 0; i < a.Length; i++)
                {
                    p = H.Doubled(p * a[i] + x);
                    q = H.Sig(q * a[i] - p);
                }

                return p * q;
            }

            // A Hessian caller whose loop reads the logistic from its carried target.
            // domain: x=-1..1 y=-1..1
            [Differentiable(Hessian = true)]
            public static double HessLoop(double x, double y)
            {
                var s = x;
                var total = 0.0;
                for (int i = 0; i < 3; i++)
                {
                    s = H.SigH((s * y) + (i * x));
                    total += s * s;
                }

                return total + (s * x);
            }

            // A helper without a derivative run for its effect sets a static field that the Math calls read: the reverse
            // must use the value the forward read (the backward's reverse evaluates cos/sin again after the last set).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Eff(double x, double y)
            {
                H.SetFactor(1.0);
                var c = Math.Cos(H.Factor * y);
                H.SetFactor(2.0);
                var s = x * Math.Sin(H.Factor * y);
                return (c * x) + s;
            }

            // The smallest form: the partial of x * H.Factor read in the reverse after the effect changed the field.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double EffMin(double x, double y)
            {
                H.SetFactor(1.0);
                var a = x * H.Factor;
                H.SetFactor(2.0);
                return a * y;
            }

            // A ref local to an element as the logistic's target; foreach and do-while carrying the value; a moving index.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double RefAndLoops(double[] a, double x)
            {
                var b = new double[a.Length + 1];
                b[0] = x;
                for (int i = 0; i < a.Length; i++)
                {
                    ref var e = ref b[i + 1];
                    e = H.Sig((b[i] * a[i]) + x);
                    e = H.Sig(e * x) + e;
                }

                var s = x;
                foreach (var v in a)
                {
                    s = H.Sig((s * v) + b[1]);
                }

                var j = 0;
                do
                {
                    b[j + 1] = H.Sig(b[j] * s);
                    j = j + 1;
                    if (b[j] > 0.95)
                    {
                        break;
                    }

                    b[j] = b[j] * H.Sig(b[j]);
                }
                while (j < a.Length);

                return s + (b[a.Length] * x) + b[1];
            }
        }
        """;

    /// <summary>The helpers (logistic, lookalikes, virtual pair) and the Jacobian methods.</summary>
    private const string JacobianSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace ReviewJac16
        {
            public struct P2
            {
                public double X;
                public double Y;

                public P2(double x, double y)
                {
                    X = x;
                    Y = y;
                }
            }

            public partial class Gate
            {
                [Differentiable]
                public virtual double Act(double z) => 1.0 / (1.0 + Math.Exp(-z));
            }

            // The overrides are not [Differentiable] (a derived type elsewhere); calls through the base type run them.
            public partial class Sq : Gate
            {
                public override double Act(double z) => z * z * 0.5;
            }

            public partial class Cube
            {
                [Differentiable]
                public virtual double Act(double z) => z * z * z;
            }

            public partial class CubeSq : Cube
            {
                public override double Act(double z) => z * z * 0.5;
            }

            public static partial class H
            {
                public static readonly Gate G = new Sq();
                public static double Factor = 1.0;

                public static void SetFactor(double v) => Factor = v;
                public static readonly Cube C = new CubeSq();
                private const double One = 1.0;

                [Differentiable]
                public static double Sig(double z) => 1.0 / (1.0 + Math.Exp(-z));

                [Differentiable]
                public static float SigF(float z) => 1f / (1f + MathF.Exp(-z));

                [Differentiable(Hessian = true)]
                public static double SigH(double z) => 1.0 / (1.0 + Math.Exp(-z));

                [Differentiable]
                public static double SigConst(double z) => One / (One + Math.Exp(-z));

                [Differentiable]
                public static double NoMinus(double z) => 1.0 / (1.0 + Math.Exp(z));

                [Differentiable]
                public static double TwoOver(double z) => 2.0 / (1.0 + Math.Exp(-z));

                [Differentiable]
                public static double PlusC(double z) => 1.0 / (1.0 + Math.Exp(-z)) + 0.25;

                [Differentiable]
                public static double OtherZ(double z) => 1.0 / (1.0 + Math.Exp(-(z * 0.5)));

                [Differentiable]
                public static double WithLocal(double z)
                {
                    var e = Math.Exp(-z);
                    return 1.0 / (1.0 + e);
                }

                [Differentiable]
                public static double Ov(double z) => 1.0 / (1.0 + Math.Exp(-z));

                [Differentiable]
                public static double Ov(double z, double k) => k / (1.0 + Math.Exp(-z));

                [Differentiable]
                public static double Sx(this double z) => 1 / (Math.Exp(-z) + 1);

                [Differentiable]
                public static T SigT<T>(T z)
                    where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

                [Differentiable]
                public static double Doubled(double z)
                {
                    z = z * 2;
                    return 1.0 / (1.0 + Math.Exp(-z));
                }

                [Differentiable]
                public static double Rec(double z, int n) => n <= 0 ? Sig(z) : Rec(Sig(z) * 1.5, n - 1);
            }

            public partial class Cam16
            {
                private readonly double _k;

                public Cam16(double k) => _k = k;

                [Differentiable(Jacobian = true)]
                public (double U, double V) Look(double x, double y)
                {
                    var c = Math.Cos(y * _k);
                    var s = Math.Sin(y * _k);
                    var g = H.Sig(x * c);
                    return (g * s + Math.Cos(y * _k), x * Math.Sin(y * _k) - g * c);
                }
            }

            public static partial class J
            {
                [Differentiable(Jacobian = true)]
                public static (double A, double B) JSig(double x, double y)
                {
                    var s = H.Sig(x * y);
                    var t = H.Sig(s + x);
                    s = s * t;
                    return (s, H.Sig(y) * t);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) JSelf(double x, double y)
                {
                    x = H.Sig(x);
                    var u = x * y;
                    x = H.Sig(x + u);
                    return (x, u * x, H.Sig(u));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) EarlyDef(double x, double y)
                {
                    var a = x * Math.Sin(y);
                    if (x < 0)
                    {
                        return (a, x * y);
                    }

                    var s = Math.Sin(y);
                    return (a + s, s * x);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) EarlyDef2(double x, double y)
                {
                    var c = Math.Cos(y);
                    var a = x * Math.Sin(y);
                    if (x < 0)
                    {
                        return (a * c, x * y);
                    }

                    var s = Math.Sin(y);
                    var b = Math.Cos(y) * s;
                    return (a + b, s * x * c);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) BranchDef(double x, double y)
                {
                    double a;
                    if (x > 0)
                    {
                        var c = Math.Cos(y);
                        a = x * c + Math.Sin(y);
                    }
                    else
                    {
                        a = y * Math.Cos(y);
                    }

                    var d = Math.Cos(y) * a;
                    return (a, d);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) UseBeforeDef(double x, double y)
                {
                    var a = x * Math.Cos(y) + Math.Sin(y);
                    var c = Math.Cos(y);
                    var s = Math.Sin(y);
                    return (a * c, a * s + c);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) Hostile16(double seed, double dXdA, double θ)
                {
                    var _t0 = Math.Cos(θ);
                    var _dx_0 = Math.Sin(θ);
                    var @class = seed * _t0 - dXdA * _dx_0;
                    var λ = Math.Exp(seed * 0.5);
                    return (@class * λ, seed * _dx_0 + dXdA * _t0, λ * Math.Cos(θ));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArgIncr(double x, double y)
                {
                    var t = x * y;
                    var c = Math.Cos(t);
                    t++;
                    var e = Math.Sin(t) * y;
                    return (c * x, e + Math.Cos(t));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArgSwap(double x, double y)
                {
                    var u = x * 2;
                    var v = y;
                    var c = Math.Cos(u);
                    (u, v) = (v, u);
                    return (c * v, Math.Sin(u) * v + Math.Cos(u));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArgField(double x, double y)
                {
                    var p = new P2(x, y);
                    var c = Math.Cos(p.X);
                    p.X = p.X * 2 + y;
                    return (c * p.Y, Math.Sin(p.X) * p.Y + Math.Cos(p.X));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArgFieldCompound(double x, double y)
                {
                    var p = new P2(x, y);
                    var c = Math.Cos(p.X);
                    p.X *= 2;
                    return (c * p.Y, Math.Sin(p.X) * p.Y + Math.Cos(p.X));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) ArgStructWhole(double x, double y)
                {
                    var p = new P2(x, y);
                    var c = Math.Cos(p.X);
                    p = new P2(y * 3, x);
                    return (c * p.Y, Math.Sin(p.X) * p.Y + Math.Cos(p.X));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C, double D) FromEach(double x, double y)
                {
                    var a = Math.Exp(x * y);
                    var b = a * Math.Sin(x);
                    var c = b / a + H.Sig(b);
                    return (a, b, c, 2.5);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) Quot(double x, double y)
                {
                    var q = x / y;
                    var t = y;
                    t = t * x;
                    var r = q / t + x / x + x / (y / (x + 3));
                    t = t / q;
                    return (q, r / t, (x * 3) / 2);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) IntDiv(double x, double y, int n) => (x * (n / 2) / y, y / (n / 3 + 1) * x);

                [Differentiable(Jacobian = true)]
                public static Vector3 JF(float x, float y)
                {
                    var c = MathF.Cos(y);
                    var s = MathF.Sin(y);
                    var g = H.SigF(x * s);
                    return new Vector3(x * c - g * s, x * MathF.Sin(y) + c * H.SigF(y), g * MathF.Cos(y));
                }

                [Differentiable(Jacobian = true)]
                public static (T A, T B) GenJ<T>(T x, T y)
                    where T : IFloatingPointIeee754<T>
                {
                    var c = T.Cos(y);
                    var s = T.Sin(y);
                    return (x * c - T.Sin(y), x * s + T.Cos(y) * c);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) WithNoGrad(double x, [NoGrad] double w, double y)
                {
                    var c = Math.Cos(w);
                    var s = Math.Sin(w * y);
                    return (x * c - y * s, H.Sig(w) * x + Math.Sin(w * y) * Math.Cos(w));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) Kw(double @class, double @in)
                {
                    var @double = Math.Exp(@class);
                    var @int = Math.Sin(@in);
                    return (@double * @int, Math.Exp(@class) + Math.Sin(@in) * @class);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) Reused(double x, double y)
                {
                    var t = Math.Cos(x);
                    var a = t * y;
                    t = Math.Sin(y);
                    var b = t * x + Math.Cos(x) * Math.Sin(y);
                    return (a, b);
                }

                // Branches: the logistic value read from its target in one branch only; a field assigned in both.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) BranchSig(double x, double y)
                {
                    var s = 0.0;
                    var e = Math.Exp(y * 0.5);
                    if (x > 0)
                    {
                        s = H.Sig(x * e);
                        s = s * Math.Exp(y * 0.5);
                    }
                    else
                    {
                        s = x * y;
                    }

                    var t = H.Sig(s) * e;
                    return (s + t, t * Math.Exp(y * 0.5));
                }

                // A Math local whose argument is a local assigned only in one branch of an earlier if.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) CondArg(double x, double y)
                {
                    double u;
                    if (x > 0)
                    {
                        u = x * y;
                    }
                    else
                    {
                        u = y - x;
                    }

                    var c = Math.Cos(u);
                    return (c * x, Math.Sin(u) + Math.Cos(u) * y);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) IntInverse(double x, double y, int n)
                {
                    n = n + 1;
                    var a = x * n;
                    n = n + 2;
                    var c = Math.Cos(y * n);
                    return ((a * y) + c, x * n * c);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) NestedEarly(double x, double y)
                {
                    var a = x;
                    if (y > 0)
                    {
                        a = x * Math.Cos(y);
                        if (x < 0)
                        {
                            return (a, y);
                        }

                        a = a * Math.Sin(y);
                    }

                    var c = Math.Cos(y);
                    var s = Math.Sin(y);
                    return (a * c, a + (s * c));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) Compound(double x, double y)
                {
                    var c = Math.Cos(y);
                    x += y;
                    x *= c;
                    y = -y;
                    var s = Math.Sin(y);
                    x -= s * y;
                    return (x, (y * c) + Math.Sin(y));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) Chain(double x, double y)
                {
                    var a = Math.Sin(x * y);
                    var b = a;
                    b = b * Math.Sin(x * y);
                    return (a * b, Math.Sin(x * y) + a);
                }

                [Differentiable(Jacobian = true)]
                public static Vector2 VecField(float x, float y)
                {
                    var v = new Vector2(x, y);
                    var c = MathF.Cos(v.X);
                    v.X = v.X * v.Y;
                    v.Y = MathF.Sin(v.X) + c;
                    return new Vector2((v.X * v.Y) + MathF.Cos(v.X), v.Y * c);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) TupleLocal(double x, double y)
                {
                    var (p, q) = (x * y, x + y);
                    var c = Math.Cos(p);
                    (p, q) = (q * p, p - q);
                    return ((c * q) + Math.Cos(p), Math.Sin(p) * q);
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C) SigCarry(double x, double y)
                {
                    var s = H.Sig(x);
                    var e = Math.Exp(s * y);
                    s = H.Sig(s * e);
                    var t = H.Sig(s + y);
                    s = H.Sig(t * s) * Math.Exp(s * y);
                    return (s, t * e, H.Sig(H.Sig(t) * s));
                }

                [Differentiable(Jacobian = true)]
                public static (double A, double B) EarlySig(double x, double y)
                {
                    var s = H.Sig(x * y);
                    if (x < 0)
                    {
                        return (H.Sig(s + y), s);
                    }

                    s = H.Sig(s * x);
                    var t = G16<int>.Sig(s - y);
                    return (H.Sig(s) * t, s * y);
                }

                // Locals named like the Jacobian's own variables, holding Math values the sweeps read.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) HostileLocals(double x, double y)
                {
                    var seed = Math.Cos(y);
                    var value = Math.Sin(y);
                    var dAdx = Math.Exp(x * 0.5);
                    var _dAdx = x * seed;
                    var seed_Item1 = Math.Cos(x);
                    var xForward = x * value + Math.Exp(x * 0.5);
                    var _m0 = Math.Sin(x);
                    xForward = xForward * Math.Cos(y);
                    return ((_dAdx * dAdx) + Math.Sin(y), (xForward * seed_Item1) + (_m0 * Math.Cos(x)) + (Math.Sin(x) * value));
                }

                // The same in the Jacobian, whose sweeps may read c for Math.Cos(H.Factor * y) (the forward's local).
                [Differentiable(Jacobian = true)]
                public static (double A, double B) EffJ(double x, double y)
                {
                    H.SetFactor(1.0);
                    var c = Math.Cos(H.Factor * y);
                    H.SetFactor(2.0);
                    var s = x * Math.Sin(H.Factor * y);
                    return (c * x, s + c);
                }

                // A local function writing a captured parameter between a Math local and a Math call of the same text.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) LocalWrite(double x, double y)
                {
                    var c = Math.Cos(y);
                    Twice();
                    return (c * x, Math.Sin(y) * x);

                    void Twice() => y *= 2;
                }

                // The same local name in sibling blocks holding different Math values.
                [Differentiable(Jacobian = true)]
                public static (double A, double B) Siblings(double x, double y)
                {
                    double a;
                    if (x > 0)
                    {
                        var c = Math.Cos(y);
                        a = (x * c) + Math.Sin(y);
                    }
                    else
                    {
                        var c = Math.Sin(y);
                        a = (Math.Cos(y) * c) + (x * Math.Sin(y));
                    }

                    var k = Math.Exp(y);

                    return (a * k, (Math.Exp(y) * x) + a);
                }
            }

            public static partial class G16<T>
            {
                [Differentiable]
                public static double Sig(double z) => 1.0 / (1.0 + Math.Exp(-z));
            }
        }
        """;

    /// <summary>Per case: differentiable inputs, floating fields, float, the probe's body (Value and Rows).</summary>
    private static readonly Dictionary<string, (int Inputs, int Fields, bool IsFloat, string Probe)> s_cases = new()
    {
        ["JSig"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.JSig(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.JSigJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["JSelf"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.JSelf(p[0], p[1]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.JSelfJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["EarlyDef"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.EarlyDef(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.EarlyDefJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["EarlyDef2"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.EarlyDef2(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.EarlyDef2Jacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["BranchDef"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.BranchDef(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.BranchDefJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["UseBeforeDef"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.UseBeforeDef(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.UseBeforeDefJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Hostile16"] = (3, 3, false, """
            public static double[] Value(double[] p) { var v = J.Hostile16(p[0], p[1], p[2]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[9];
                var v = J.Hostile16Jacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["ArgIncr"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ArgIncr(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ArgIncrJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["ArgSwap"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ArgSwap(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ArgSwapJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["ArgField"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ArgField(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ArgFieldJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["ArgFieldCompound"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ArgFieldCompound(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ArgFieldCompoundJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["ArgStructWhole"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.ArgStructWhole(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ArgStructWholeJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["FromEach"] = (2, 4, false, """
            public static double[] Value(double[] p) { var v = J.FromEach(p[0], p[1]); return new double[] { v.A, v.B, v.C, v.D }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[8];
                var v = J.FromEachJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7]);
                return new double[] { v.A, v.B, v.C, v.D }.Concat(d).ToArray();
            }
            """),
        ["Quot"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.Quot(p[0], p[1]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.QuotJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["IntDiv"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.IntDiv(p[0], p[1], 5); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.IntDivJacobian(p[0], p[1], 5, ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["JF"] = (2, 3, true, """
            public static double[] Value(double[] p) { var v = J.JF((float)p[0], (float)p[1]); return new double[] { v.X, v.Y, v.Z }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[6];
                var v = J.JFJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.X, v.Y, v.Z }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["GenJ"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.GenJ(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.GenJJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["WithNoGrad"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.WithNoGrad(p[0], 0.7, p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.WithNoGradJacobian(p[0], 0.7, p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Kw"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Kw(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.KwJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Reused"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Reused(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ReusedJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["BranchSig"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.BranchSig(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.BranchSigJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["CondArg"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.CondArg(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.CondArgJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["IntInverse"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.IntInverse(p[0], p[1], 2); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.IntInverseJacobian(p[0], p[1], 2, ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["NestedEarly"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.NestedEarly(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.NestedEarlyJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Compound"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Compound(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.CompoundJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Chain"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Chain(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.ChainJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["VecField"] = (2, 2, true, """
            public static double[] Value(double[] p) { var v = J.VecField((float)p[0], (float)p[1]); return new double[] { v.X, v.Y }; }
            public static double[] Rows(double[] p)
            {
                var d = new float[4];
                var v = J.VecFieldJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.X, v.Y }.Concat(d.Select(e => (double)e)).ToArray();
            }
            """),
        ["TupleLocal"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.TupleLocal(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.TupleLocalJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["SigCarry"] = (2, 3, false, """
            public static double[] Value(double[] p) { var v = J.SigCarry(p[0], p[1]); return new double[] { v.A, v.B, v.C }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[6];
                var v = J.SigCarryJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }
            """),
        ["EarlySig"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.EarlySig(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.EarlySigJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["HostileLocals"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.HostileLocals(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.HostileLocalsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["EffJ"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.EffJ(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.EffJJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["LocalWrite"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.LocalWrite(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.LocalWriteJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Siblings"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = J.Siblings(p[0], p[1]); return new double[] { v.A, v.B }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = J.SiblingsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.A, v.B }.Concat(d).ToArray();
            }
            """),
        ["Look"] = (2, 2, false, """
            public static double[] Value(double[] p) { var v = new Cam16(1.3).Look(p[0], p[1]); return new double[] { v.U, v.V }; }
            public static double[] Rows(double[] p)
            {
                var d = new double[4];
                var v = new Cam16(1.3).LookJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new double[] { v.U, v.V }.Concat(d).ToArray();
            }
            """),
    };

    private const string HessianProbe = """
        using System;
        using ReviewCalls16;

        namespace ReviewCalls16.Probes;

        public static class Check
        {
            public static void HessSigG(double[] p, double[] g) => S.HessSigBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessSigHv(double[] p, double[] v, double[] hv) => S.HessSigHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessSigH(double[] p, double[] h) => S.HessSigHessian(p[0], p[1], h);

            public static void HessLoopG(double[] p, double[] g) => S.HessLoopBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessLoopHv(double[] p, double[] v, double[] hv) => S.HessLoopHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessLoopH(double[] p, double[] h) => S.HessLoopHessian(p[0], p[1], h);

            // Tangents (Forward is on for every method of the batch) and the methods themselves.
            public static double HessSigT(double[] p, double[] v) => S.HessSigTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessSigF(double[] p) => S.HessSig(p[0], p[1]);
            public static double HessLoopT(double[] p, double[] v) => S.HessLoopTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessLoopF(double[] p) => S.HessLoop(p[0], p[1]);
            public static double StraightT(double[] p, double[] v) => S.StraightTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double StraightF(double[] p) => S.Straight(p[0], p[1]);
            public static double NoMinusTwoT(double[] p, double[] v) => S.NoMinusTwoTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double NoMinusTwoF(double[] p) => S.NoMinusTwo(p[0], p[1]);
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
            c => CSharpSyntaxTree.ParseText("using System;\nusing System.Linq;\nusing System.Numerics;\nusing ReviewJac16;\nnamespace ReviewJac16.Probes;\npublic static class P_" + c.Key + "\n{\n" + c.Value.Probe + "\n}\n", GeneratorHarness.ParseOptions, path: "Probe_" + c.Key + ".cs"),
            c => c.Key);
        var hessianTree = CSharpSyntaxTree.ParseText(HessianProbe, GeneratorHarness.ParseOptions, path: "HessianProbe.cs");
        trees[hessianTree] = "Hessians";
        var loaded = ProbeCompilation.Load(batch, trees, "Probes16", out var context);
        s_probeContext = context;
        return loaded;
    });

    // Held so that the probes' collectible context is not finalized (and unloaded) while the tests use it.
    private static AssemblyLoadContext? s_probeContext;

    /// <summary>The methods refused since the fixes of this review, with a fragment of their one SG1002.</summary>
    private static readonly Dictionary<string, string> s_refused = new()
    {
        ["S.Virt"] = "calls of virtual methods ('Act' may run an override",
        ["S.VirtPlain"] = "calls of virtual methods ('Act' may run an override",
        ["S.Eff"] = "('SetFactor' writes 'H.Factor'",
        ["S.EffMin"] = "('SetFactor' writes 'H.Factor'",
        ["J.EffJ"] = "('SetFactor' writes 'H.Factor'",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> Cases() => new(s_cases.Keys.Where(name => !s_refused.ContainsKey("J." + name)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Calls16_a_call_the_reverse_cannot_follow_is_one_error(string key)
    {
        var batch = s_batch.Value;
        var reason = batch.Failures.GetValueOrDefault(key)
            ?? string.Join("\n", CompilerExplanation.Explain(GeneratorHarness.CreateCompilation(ScalarSource, JacobianSource), new HashSet<string> { key }).GetValueOrDefault(key) ?? new List<string>());
        Assert.False(batch.GeneratedSource.ContainsKey(key), key + " was generated");
        Assert.Single(reason.Split('\n'), line => line.Contains("SG1002", StringComparison.Ordinal));
        Assert.Contains(s_refused[key], reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Calls16_gradient_matches_central_finite_differences(string key) =>
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calls16_jacobian_rows_match_central_finite_differences(string name)
    {
        var batch = s_batch.Value;
        var key = (name == "Look" ? "Cam16." : "J.") + name;
        var generated = batch.GeneratedSource.GetValueOrDefault(key)
            ?? "(no generated file; the compiler core reports: " + string.Join("\n", CompilerExplanation.Explain(GeneratorHarness.CreateCompilation(ScalarSource, JacobianSource), new HashSet<string> { key }).GetValueOrDefault(key) ?? new List<string>()) + ")";
        Assert.False(batch.Failures.ContainsKey(key), key + ": " + batch.Failures.GetValueOrDefault(key));
        var diagnostics = batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new List<Diagnostic>();
        Assert.True(diagnostics.Count == 0, key + " diagnostics:\n" + string.Join("\n", diagnostics));
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey(name) && assembly is not null, name + ": the probe calling the Jacobian does not compile:\n" + failures.GetValueOrDefault(name) + "\n" + generated);
        var type = assembly!.GetType("ReviewJac16.Probes.P_" + name)!;
        var value = type.GetMethod("Value")!.CreateDelegate<Func<double[], double[]>>();
        var rows = type.GetMethod("Rows")!.CreateDelegate<Func<double[], double[]>>();
        var (inputs, fields, isFloat, _) = s_cases[name];
        var problems = JacobianProbeCheck.Problems(name, 16, value, rows, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems.Take(12)) + "\n" + generated);
    }

    [Theory]
    [InlineData("HessSig")]
    [InlineData("HessLoop")]
    public void Calls16_hessian_of_a_logistic_caller_matches_differences_of_the_gradient(string name)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the Hessian probe does not compile:\n" + failures.GetValueOrDefault("Hessians") + "\n" + s_batch.Value.Failures.GetValueOrDefault("S.HessSig"));
        var check = assembly!.GetType("ReviewCalls16.Probes.Check")!;
        foreach (var point in new[] { new[] { 0.6, -0.45 }, new[] { -1.2, 0.8 } })
        {
            try
            {
                HessianFiniteDifferences.AssertHessianVector(check, name, point, false, name);
                HessianFiniteDifferences.AssertDenseHessian(check, name, point, false, name);
            }
            catch (TargetInvocationException e)
            {
                throw new Xunit.Sdk.XunitException(name + ": the generated Hessian code threw " + e.InnerException + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("S." + name));
            }
        }
    }

    /// <summary>The Tangent (Forward on by the project's properties) of logistic callers against central differences of the method.</summary>
    [Theory]
    [InlineData("HessSig")]
    [InlineData("HessLoop")]
    [InlineData("Straight")]
    [InlineData("NoMinusTwo")]
    public void Calls16_tangent_of_a_logistic_caller_matches_central_differences(string name)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the probe does not compile:\n" + failures.GetValueOrDefault("Hessians"));
        var check = assembly!.GetType("ReviewCalls16.Probes.Check")!;
        var tangent = check.GetMethod(name + "T")!.CreateDelegate<Func<double[], double[], double>>();
        var f = check.GetMethod(name + "F")!.CreateDelegate<Func<double[], double>>();
        foreach (var (point, v) in new[] { (new[] { 0.6, -0.45 }, new[] { 0.3, 1.1 }), (new[] { -1.2, 0.8 }, new[] { -0.7, 0.4 }) })
        {
            const double h = 1e-6;
            var fd = (f(new[] { point[0] + (h * v[0]), point[1] + (h * v[1]) }) - f(new[] { point[0] - (h * v[0]), point[1] - (h * v[1]) })) / (2 * h);
            var t = tangent(point, v);
            Assert.True(Math.Abs(t - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name} tangent at [{string.Join(", ", point)}] along [{string.Join(", ", v)}]: {t:R}, central differences {fd:R}");
        }
    }

    /// <summary>Jacobian = true with Hessian = true (and Forward) on tuple and struct results: no crash, no error in generated code, at most one diagnostic per method.</summary>
    [Fact]
    public void Calls16_jacobian_with_hessian_and_forward_is_accepted_or_one_diagnostic()
    {
        const string source = """
            using System;
            using System.Numerics;
            using StaticGrad;

            namespace ReviewDiag16;

            public static partial class D
            {
                [Differentiable]
                public static double Sig(double z) => 1.0 / (1.0 + Math.Exp(-z));

                [Differentiable(Jacobian = true, Hessian = true)]
                public static (double A, double B) TupleBoth(double x, double y) => (Sig(x * y), x * Math.Cos(y));

                [Differentiable(Jacobian = true, Hessian = true, Forward = true)]
                public static Vector3 StructAll(float x, float y)
                {
                    var c = MathF.Cos(y);
                    return new Vector3(x * c, x * MathF.Sin(y), c * MathF.Cos(y));
                }

                [Differentiable(Jacobian = true, Forward = true)]
                public static (double A, double B, double C) ForwardToo(double x, double y)
                {
                    var c = Math.Cos(y);
                    var s = Sig(x * c);
                    return (s, s * Math.Cos(y), 1.5);
                }
            }
            """;
        var output = GeneratorHarness.Run(source);
        var analyzer = output.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal)).ToList();
        var all = analyzer.Concat(output.GeneratorDiagnostics).ToList();
        var text = string.Join("\n", all);
        var generatedErrors = output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
        Assert.True(generatedErrors.Count == 0, "errors in generated code:\n" + string.Join("\n", generatedErrors) + "\n" + text);
        foreach (var method in new[] { "TupleBoth", "StructAll", "ForwardToo" })
        {
            var at = source.IndexOf(" " + method + "(", StringComparison.Ordinal) + 1;
            var end = source.IndexOf("\n\n", at, StringComparison.Ordinal) is var e && e > 0 ? e : source.Length;
            var here = all.Where(d => d.Location.SourceSpan.Start >= at - 80 && d.Location.SourceSpan.Start < end).Select(d => d.Id + " " + d.Location.SourceSpan.Start).Distinct().ToList();
            var jacobian = output.OutputCompilation.SyntaxTrees.Any(t => t.ToString().Contains(method + "Jacobian(", StringComparison.Ordinal));
            Assert.True(here.Count <= 1, method + ": more than one diagnostic:\n" + text);
            Assert.True(jacobian || here.Count == 1, method + ": no Jacobian generated and no diagnostic saying why:\n" + text);
        }
    }

    /// <summary>
    /// A [Differentiable] virtual method (here the logistic) called through a field of the unsealed base type whose object
    /// is a derived type overriding it without [Differentiable]: the call runs the override, the caller's backward the
    /// base's non-virtual backward (or, for the logistic, σ·(1 − σ) of the override's value). Expected: one SG1002 at the
    /// call, as for a virtual call on <c>this</c> (docs/body-language-statements.md).
    /// </summary>
    [Theory]
    [InlineData("1.0 / (1.0 + Math.Exp(-z))")]
    [InlineData("z * z * z")]
    public void Calls16_virtual_call_through_a_field_is_refused(string body)
    {
        var source = """
            using System;
            using StaticGrad;

            namespace ReviewVirt16;

            public partial class Gate
            {
                [Differentiable]
                public virtual double Act(double z) => BODY;
            }

            public class Sq : Gate
            {
                public override double Act(double z) => z * z * 0.5;
            }

            public static partial class U
            {
                public static readonly Gate G = new Sq();

                [Differentiable]
                public static double Virt(double x) => G.Act(x * 0.7) * x;
            }
            """.Replace("BODY", body, StringComparison.Ordinal);
        var output = GeneratorHarness.Run(source);
        var errors = output.AnalyzerDiagnostics.Concat(output.GeneratorDiagnostics).Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        var at = source.IndexOf("G.Act(", StringComparison.Ordinal);
        Assert.True(
            errors.Count == 1 && errors[0].Id == "SG1002" && errors[0].Location.SourceSpan.Start >= at && errors[0].Location.SourceSpan.Start <= at + 2,
            "expected one SG1002 at G.Act(...), got:\n" + string.Join("\n", output.AnalyzerDiagnostics.Concat(output.GeneratorDiagnostics)) + "\n" + string.Join("\n", output.Sources.Where(s => s.HintName.StartsWith("U.", StringComparison.Ordinal)).Select(s => s.Source)));
    }

    /// <summary>
    /// The result form is decided from the callee's body, which may be in another file: editing that file alone (the
    /// logistic made 2/(1+exp(−z))) must give the caller a backward that no longer writes σ·(1 − σ), as a clean build
    /// would (the incremental driver, as in the IDE and in a build server).
    /// </summary>
    [Fact]
    public void Calls16_editing_the_callee_out_of_the_logistic_form_regenerates_the_caller()
    {
        const string callee = """
            using System;
            using StaticGrad;

            namespace Inc16;

            public static partial class C
            {
                [Differentiable]
                public static double Sig(double z) => 1.0 / (1.0 + Math.Exp(-z));
            }
            """;
        const string caller = """
            using System;
            using StaticGrad;

            namespace Inc16;

            public static partial class U
            {
                [Differentiable]
                public static double Loop(double[] a, double x)
                {
                    var s = x;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s = C.Sig(s * a[i] + x);
                    }

                    return s;
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(caller, callee);
        var driver = GeneratorHarness.CreateDriver(trackSteps: false).RunGenerators(compilation);
        string LoopSource(GeneratorDriver d) => string.Join("\n", d.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Where(s => s.HintName.Contains("Loop", StringComparison.Ordinal) && !s.HintName.Contains("Tangent", StringComparison.Ordinal)).Select(s => s.SourceText.ToString()));
        var before = LoopSource(driver);
        Assert.True(before.Length > 0 && !before.Contains("SigBackward(", StringComparison.Ordinal), "the logistic caller calls the backward before the edit:\n" + before + string.Join(", ", driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName)));

        var oldTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        var edited = compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(callee.Replace("1.0 / (1.0", "2.0 / (1.0", StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: "Source1.cs"));
        var after = LoopSource(driver.RunGenerators(edited));
        var fresh = LoopSource(GeneratorHarness.CreateDriver(trackSteps: false).RunGenerators(edited));
        Assert.True(fresh.Contains("SigBackward(", StringComparison.Ordinal), "a fresh run after the edit still uses the result form:\n" + fresh);
        Assert.True(after == fresh, "the incremental run after editing only the callee's file differs from a fresh run (stale result form):\n" + after + "\n--- fresh:\n" + fresh);
    }
}
