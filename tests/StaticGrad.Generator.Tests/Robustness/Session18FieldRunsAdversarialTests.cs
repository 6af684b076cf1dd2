using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 18's ba18 (ReverseModeTransformer.JacobianFieldRuns.cs, JacobianWidth.cs WideBlock /
/// WideStatement): the width-k Jacobian sweep written field by field over each run of statements without a branch.
/// The cases try to make a moved field update read a value the run changes after it, or to make the grouping
/// mis-parse a line: locals reassigned several times in a run, parameters overwritten from themselves and each other,
/// two fields the same expression, four fields (one a parameter, one constant), fields reading each other's locals, a
/// struct result, a local array's element writes in the run, a span parameter, ?: and Math.Max/Min/Abs/Clamp (kinks at
/// 0; the probe's points are at least 0.3 away), divisions by restored variables, Sin/Cos of overwritten arguments,
/// float, checked, compound assignments, tuple deconstruction and a tuple swap, hostile names (_p0, _t1, _s0, dx, dX,
/// dXddx, value, _dXda, dXdResult_Item1, verbatim @names, field/parameter names whose adjoint spellings collide), an
/// int local and an int index reassigned in a run, a stackalloc span and an array parameter, Exp/Log/Sqrt/Tanh/Pow/
/// Atan2 and a [Differentiable] callee, fields that are the same local or parameter twice, a double and a float field,
/// struct fields written several times around an if, runs inside both sides of (nested) ifs, and an if splitting runs.
/// A ref struct result is compiled on its own (it must compile or be refused). ONE compilation at LangVersion 9 (the generated code must have no warning:
/// TreatWarningsAsErrors); every entry of every row against central differences by <see cref="JacobianProbeCheck"/>
/// (double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2, ≤ 2e-2·max(1, |fd|); value to 1e-9 relative).
/// </summary>
public sealed class Session18FieldRunsAdversarialTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Review18
        {
            public struct Pair
            {
                public double X;
                public double Y;
            }

            public struct Triple
            {
                public double X;
                public double Y;
                public double Z;
            }

            public static partial class F
            {
                private static double[] Cat(double[] v, double[] d) => v.Concat(d).ToArray();

                // A local reassigned several times in one run, each time from itself and others.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Reassigned(double a, double b, double c)
                {
                    var x = a * b;
                    x = x * b;
                    x = x + c;
                    x = x * x - a;
                    var y = x * c;
                    x = x + y * a;
                    return (x * y, x - y * b);
                }

                public static double[] ReassignedValue(double[] p) { var v = Reassigned(p[0], p[1], p[2]); return new[] { v.X, v.Y }; }

                public static double[] ReassignedRows(double[] p)
                {
                    var d = new double[6];
                    var v = ReassignedJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Parameters overwritten from themselves (and from each other) in one run.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) ParamSelf(double a, double b)
                {
                    a = a * a + b;
                    b = b * a;
                    a = a * b - a;
                    b = b + a * a;
                    return (a * b, a + b);
                }

                public static double[] ParamSelfValue(double[] p) { var v = ParamSelf(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] ParamSelfRows(double[] p)
                {
                    var d = new double[4];
                    var v = ParamSelfJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Two fields that are the same expression.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) SameField(double a, double b)
                {
                    var t = a * b;
                    t = t * t + a;
                    return (t * b, t * b);
                }

                public static double[] SameFieldValue(double[] p) { var v = SameField(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] SameFieldRows(double[] p)
                {
                    var d = new double[4];
                    var v = SameFieldJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Four fields, one of them a parameter unchanged, one a constant.
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C, double D) Four(double a, double b, double c)
                {
                    var u = a * b;
                    u = u * c + b;
                    var w = u * u;
                    u = u - w * a;
                    return (u, a, w * c, 2.0);
                }

                public static double[] FourValue(double[] p) { var v = Four(p[0], p[1], p[2]); return new[] { v.A, v.B, v.C, v.D }; }

                public static double[] FourRows(double[] p)
                {
                    var d = new double[12];
                    var v = FourJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8], ref d[9], ref d[10], ref d[11]);
                    return Cat(new[] { v.A, v.B, v.C, v.D }, d);
                }

                // A field that is a parameter unchanged while the parameter is overwritten... before the return? No: a parameter
                // read unchanged as one field, another field from a reassigned local.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y, double Z) ParamField(double a, double b)
                {
                    var t = a * b;
                    t = t * a;
                    return (b, t, a);
                }

                public static double[] ParamFieldValue(double[] p) { var v = ParamField(p[0], p[1]); return new[] { v.X, v.Y, v.Z }; }

                public static double[] ParamFieldRows(double[] p)
                {
                    var d = new double[6];
                    var v = ParamFieldJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                    return Cat(new[] { v.X, v.Y, v.Z }, d);
                }

                // Fields depending on each other's locals (the locals overwritten after the other reads them).
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) CrossLocals(double a, double b)
                {
                    var p = a * b;
                    var q = p + a;
                    p = q * p;
                    q = p - q * b;
                    var x = p * q;
                    var y = q * x;
                    p = y - x;
                    return (x + p, y * p);
                }

                public static double[] CrossLocalsValue(double[] p) { var v = CrossLocals(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] CrossLocalsRows(double[] p)
                {
                    var d = new double[4];
                    var v = CrossLocalsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // A struct result with fields.
                [Differentiable(Jacobian = true)]
                public static Pair StructResult(double a, double b)
                {
                    var t = a * b;
                    t = t * t + b;
                    var r = new Pair();
                    r.X = t * a;
                    r.Y = t - a * b;
                    return r;
                }

                public static double[] StructResultValue(double[] p) { var v = StructResult(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] StructResultRows(double[] p)
                {
                    var d = new double[4];
                    var v = StructResultJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // A local array with element writes inside the run, an element overwritten from itself.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) ArrayRun(double a, double b)
                {
                    var w = new double[2];
                    w[0] = a * b;
                    w[1] = w[0] * a;
                    w[0] = w[0] * w[1] + b;
                    w[1] = w[1] - w[0] * b;
                    return (w[0] * w[1], w[0] + w[1]);
                }

                public static double[] ArrayRunValue(double[] p) { var v = ArrayRun(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] ArrayRunRows(double[] p)
                {
                    var d = new double[4];
                    var v = ArrayRunJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // A span parameter read, a local reassigned from elements.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) SpanRun(ReadOnlySpan<double> v, double k)
                {
                    var s = v[0] * k;
                    s = s * v[1] + v[0];
                    var t = s * s;
                    s = t - v[1] * s;
                    return (s * v[0], t + s * k);
                }

                public static double[] SpanRunValue(double[] p) { var r = SpanRun(new[] { p[0], p[1] }, p[2]); return new[] { r.X, r.Y }; }

                public static double[] SpanRunRows(double[] p)
                {
                    double[] dX = new double[2], dY = new double[2];
                    double dXk = 0, dYk = 0;
                    var r = SpanRunJacobian(new[] { p[0], p[1] }, p[2], dX, ref dXk, dY, ref dYk);
                    return new[] { r.X, r.Y }.Concat(dX).Append(dXk).Concat(dY).Append(dYk).ToArray();
                }

                // ?: and Math.Max/Min/Abs/Clamp with overwritten arguments (kinks at 0; inputs are at least 0.3 away).
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Kinks(double a, double b)
                {
                    var t = a * b;
                    var m = a > 0.0 ? t * b : t * a;
                    t = Math.Abs(t) + m;
                    var u = Math.Max(a, 0.0) * t + Math.Min(b, 5.0);
                    t = Math.Clamp(a, 0.0, 5.0) * t - u;
                    m = m * Math.Abs(a);
                    return (t * m, u + m * t);
                }

                public static double[] KinksValue(double[] p) { var v = Kinks(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] KinksRows(double[] p)
                {
                    var d = new double[4];
                    var v = KinksJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Divisions by variables the run restores.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) DivRestored(double a, double b)
                {
                    var t = a * a + b;
                    var u = b / t;
                    t = t * b + 1.0;
                    var v = a / t;
                    t = u / t + v;
                    u = u / (t * t + 1.0);
                    return (u * v, t / (1.0 + u * u));
                }

                public static double[] DivRestoredValue(double[] p) { var v = DivRestored(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] DivRestoredRows(double[] p)
                {
                    var d = new double[4];
                    var v = DivRestoredJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Sin/Cos of an argument overwritten between and after them.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) TrigOverwritten(double a, double b)
                {
                    var th = a * b;
                    var s = Math.Sin(th);
                    th = th * th + a;
                    var c = Math.Cos(th);
                    th = Math.Sin(th) * c + s;
                    s = Math.Cos(th) * s;
                    return (s * c, th + s);
                }

                public static double[] TrigOverwrittenValue(double[] p) { var v = TrigOverwritten(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] TrigOverwrittenRows(double[] p)
                {
                    var d = new double[4];
                    var v = TrigOverwrittenJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Float, reassigned locals, a division and a cosine.
                [Differentiable(Jacobian = true)]
                public static (float X, float Y) FloatRun(float a, float b)
                {
                    var t = a * b;
                    t = t * t + a;
                    var u = b / (1f + t * t);
                    t = MathF.Cos(t) * u;
                    return (t * a, u - t * b);
                }

                public static double[] FloatRunValue(double[] p) { var v = FloatRun((float)p[0], (float)p[1]); return new double[] { v.X, v.Y }; }

                public static double[] FloatRunRows(double[] p)
                {
                    var d = new float[4];
                    var v = FloatRunJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return new double[] { v.X, v.Y }.Concat(d.Select(x => (double)x)).ToArray();
                }

                // checked expressions around a reassigned local.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Checked(double a, double b)
                {
                    var t = checked(a * b + 1.0);
                    t = checked(t * t - a);
                    var u = checked(t * b);
                    return (checked(t * u), u - t);
                }

                public static double[] CheckedValue(double[] p) { var v = Checked(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] CheckedRows(double[] p)
                {
                    var d = new double[4];
                    var v = CheckedJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Compound assignments of every kind on one local and a parameter.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Compound(double a, double b)
                {
                    var x = a;
                    x *= b;
                    x += a * x;
                    x -= b * b;
                    x /= 1.0 + a * a;
                    b *= x;
                    b += x;
                    return (x * b, b - x);
                }

                public static double[] CompoundValue(double[] p) { var v = Compound(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] CompoundRows(double[] p)
                {
                    var d = new double[4];
                    var v = CompoundJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Tuples deconstructed into locals, and a swap through a tuple.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Deconstruct(double a, double b)
                {
                    var (p, q) = (a * b, a + b);
                    (p, q) = (q * p, p);
                    (p, q) = (q, p);
                    p = p * q;
                    return (p, q * a);
                }

                public static double[] DeconstructValue(double[] p) { var v = Deconstruct(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] DeconstructRows(double[] p)
                {
                    var d = new double[4];
                    var v = DeconstructJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // Hostile names: the generator's own temporaries' and adjoints' spellings.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Hostile(double dx, double dX)
                {
                    var _p0 = dx * dX;
                    var _t1 = _p0 * _p0 + dx;
                    _p0 = _t1 * dX;
                    var dXddx = _p0 + _t1;
                    var dYddx = dXddx * dx;
                    _t1 = dYddx - _p0;
                    var _s0 = _t1 * _t1;
                    return (dXddx * _t1, dYddx + _s0);
                }

                public static double[] HostileValue(double[] p) { var v = Hostile(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] HostileRows(double[] p)
                {
                    var d = new double[4];
                    var v = HostileJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                    return Cat(new[] { v.X, v.Y }, d);
                }

                // An if splitting two runs, a local restored on both sides and in both runs.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y, double Z) Split(double a, double b, double c)
                {
                    var t = a * b;
                    t = t * c + a;
                    var u = t * t;
                    if (a > 0.0)
                    {
                        t = t * u - b;
                        u = u + t * c;
                    }
                    else
                    {
                        u = u * a;
                    }

                    t = t * b + u;
                    u = u * t;
                    return (t * u, u - c * t, t + a);
                }

                public static double[] SplitValue(double[] p) { var v = Split(p[0], p[1], p[2]); return new[] { v.X, v.Y, v.Z }; }

                public static double[] SplitRows(double[] p)
                {
                    var d = new double[9];
                    var v = SplitJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                    return Cat(new[] { v.X, v.Y, v.Z }, d);
                }
                // A reference-type array parameter read in a run with a local reassigned from its elements.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) PArray(double[] v, double k)
                {
                    var t = v[0] * k;
                    t = t * v[1] + k;
                    var u = t * t - v[0];
                    t = u * k + t;
                    return (t * v[0], u + t * k);
                }

                public static double[] PArrayValue(double[] p) { var r = PArray(new[] { p[0], p[1] }, p[2]); return new[] { r.X, r.Y }; }

                public static double[] PArrayRows(double[] p)
                {
                    double[] dX = new double[2], dY = new double[2];
                    double dXk = 0, dYk = 0;
                    var r = PArrayJacobian(new[] { p[0], p[1] }, p[2], dX, ref dXk, dY, ref dYk);
                    return new[] { r.X, r.Y }.Concat(dX).Append(dXk).Concat(dY).Append(dYk).ToArray();
                }

                // Element writes through an int index reassigned in the run.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Idx(double a, double b)
                {
                    var w = new double[3];
                    var i = 0;
                    w[i] = a * b;
                    i = i + 1;
                    w[i] = w[i - 1] * a + b;
                    i = i + 1;
                    w[i] = w[i - 1] * w[i - 2];
                    i = 0;
                    w[i] = w[i] * w[2];
                    return (w[0] * w[1] + w[2], w[i] - w[2] * b);
                }

                public static double[] IdxValue(double[] p) { var v = Idx(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] IdxRows(double[] p) { var d = new double[4]; var v = IdxJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, v.Y }, d); }

                // A stackalloc span with element writes, an element overwritten from itself.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) SpanWrite(double a, double b)
                {
                    Span<double> s = stackalloc double[2];
                    s[0] = a * b;
                    s[1] = s[0] * a;
                    s[0] = s[0] * s[1] + b;
                    s[1] = s[1] * s[1] - s[0];
                    return (s[0] * s[1], s[0] + b * s[1]);
                }

                public static double[] SpanWriteValue(double[] p) { var v = SpanWrite(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] SpanWriteRows(double[] p) { var d = new double[4]; var v = SpanWriteJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, v.Y }, d); }

                // Verbatim identifiers (@in, @double, @t written both ways, @var).
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Verbatim(double @in, double @double)
                {
                    var @t = @in * @double;
                    t = @t * t + @in;
                    var @var = t * @double;
                    @t = @var - t * @in;
                    return (t * @var, @var + @t);
                }

                public static double[] VerbatimValue(double[] p) { var v = Verbatim(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] VerbatimRows(double[] p) { var d = new double[4]; var v = VerbatimJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, v.Y }, d); }

                // Field and parameter names whose adjoint spellings collide: d{a}d{bdc} and d{adb}d{c} are both "dadbdc".
                [Differentiable(Jacobian = true)]
                public static (double a, double adb) Collide(double bdc, double c)
                {
                    var t = bdc * c;
                    t = t * t + c;
                    var u = t * bdc;
                    t = u - t * c;
                    return (t * u, u + t * c);
                }

                public static double[] CollideValue(double[] p) { var v = Collide(p[0], p[1]); return new[] { v.a, v.adb }; }

                public static double[] CollideRows(double[] p) { var d = new double[4]; var v = CollideJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.a, v.adb }, d); }

                // Locals named like the sweep's own names: value, _dXda, dXdResult_Item1, dYdx; fields named like parameters.
                [Differentiable(Jacobian = true)]
                public static (double a, double b) Hostile2(double a, double b)
                {
                    var value = a * b;
                    var _dXda = value * a;
                    value = _dXda * value + b;
                    var dXdResult_Item1 = value - _dXda * b;
                    var dYdx = dXdResult_Item1 * value;
                    _dXda = dYdx - value;
                    var dadb = _dXda * a;
                    return (_dXda * value + dadb, dXdResult_Item1 + dYdx);
                }

                public static double[] Hostile2Value(double[] p) { var v = Hostile2(p[0], p[1]); return new[] { v.a, v.b }; }

                public static double[] Hostile2Rows(double[] p) { var d = new double[4]; var v = Hostile2Jacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.a, v.b }, d); }

                [Differentiable]
                public static double Helper(double x, double y) => x * Math.Sin(y) + y * y;

                // Exp/Log/Sqrt/Tanh/Pow/Atan2 and a [Differentiable] callee of restored arguments; three fields.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y, double Z) Builtins(double a, double b)
                {
                    var t = Math.Exp(a * b);
                    t = Math.Log(t + b) * t;
                    var u = Math.Sqrt(t * t + 1.0);
                    t = Math.Tanh(t) + Math.Pow(u, 1.5);
                    u = Helper(t, u) * u;
                    t = Helper(u, t) + t;
                    return (t * u, Math.Atan2(t, u), u / t);
                }

                public static double[] BuiltinsValue(double[] p) { var v = Builtins(p[0], p[1]); return new[] { v.X, v.Y, v.Z }; }

                public static double[] BuiltinsRows(double[] p) { var d = new double[6]; var v = BuiltinsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]); return Cat(new[] { v.X, v.Y, v.Z }, d); }

                // Runs inside both sides of an if, block-scoped locals with one name, a second if that never runs its side.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) BranchRuns(double a, double b, double c)
                {
                    var t = a * b;
                    var u = t + c;
                    if (a > 0.0)
                    {
                        var v = t * u;
                        t = v * t + c;
                        u = u * t - v;
                        t = t / u;
                    }
                    else
                    {
                        var v = t - u;
                        u = v * u;
                        t = t * u + v;
                        u = Math.Sin(u) * t;
                    }

                    t = t * u;
                    if (b > 100.0)
                    {
                        u = u + 1.0;
                    }

                    u = u * t + a;
                    return (t * c, u - t);
                }

                public static double[] BranchRunsValue(double[] p) { var v = BranchRuns(p[0], p[1], p[2]); return new[] { v.X, v.Y }; }

                public static double[] BranchRunsRows(double[] p) { var d = new double[6]; var v = BranchRunsJacobian(p[0], p[1], p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]); return Cat(new[] { v.X, v.Y }, d); }

                // Nested ifs with runs at every level; a field that is a local read unchanged.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y, double Z) NestedIf(double a, double b)
                {
                    var t = a * b;
                    var s = t;
                    if (a > 0.0)
                    {
                        t = t * t + b;
                        s = s * t;
                        if (b > 0.0)
                        {
                            s = s / t;
                            t = Math.Cos(s) * t;
                        }

                        t = t + s * a;
                    }

                    s = s * t - a;
                    return (s * t, s, t);
                }

                public static double[] NestedIfValue(double[] p) { var v = NestedIf(p[0], p[1]); return new[] { v.X, v.Y, v.Z }; }

                public static double[] NestedIfRows(double[] p) { var d = new double[6]; var v = NestedIfJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]); return Cat(new[] { v.X, v.Y, v.Z }, d); }

                // An int local reassigned in the run and read by partials.
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) IntMix(double a, double b)
                {
                    var n = 2;
                    var t = a * n;
                    n = n * 3;
                    t = t * b + n;
                    var u = t * n;
                    n = n - 1;
                    t = u * t - n * a;
                    return (t * u, u + n * t);
                }

                public static double[] IntMixValue(double[] p) { var v = IntMix(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] IntMixRows(double[] p) { var d = new double[4]; var v = IntMixJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, v.Y }, d); }

                // Float, three fields, MathF.Sin/Max/Abs, a division by a restored local, a parameter overwritten.
                [Differentiable(Jacobian = true)]
                public static (float X, float Y, float Z) FloatMix(float a, float b, float c)
                {
                    var t = a * b;
                    var s = MathF.Sin(t);
                    t = t * t + c;
                    s = s / t;
                    t = MathF.Max(a, 0f) * t + s;
                    c = c * t;
                    return (t * s, c - s, MathF.Abs(a) * c);
                }

                public static double[] FloatMixValue(double[] p) { var v = FloatMix((float)p[0], (float)p[1], (float)p[2]); return new double[] { v.X, v.Y, v.Z }; }

                public static double[] FloatMixRows(double[] p)
                {
                    var d = new float[9];
                    var v = FloatMixJacobian((float)p[0], (float)p[1], (float)p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                    return new double[] { v.X, v.Y, v.Z }.Concat(d.Select(x => (double)x)).ToArray();
                }

                // Four fields that are two expressions twice: a local and a parameter.
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C, double D) Twice(double a, double b)
                {
                    var t = a * a;
                    t = t * a + 1.0;
                    return (t, t, a, a);
                }

                public static double[] TwiceValue(double[] p) { var v = Twice(p[0], p[1]); return new[] { v.A, v.B, v.C, v.D }; }

                public static double[] TwiceRows(double[] p) { var d = new double[8]; var v = TwiceJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7]); return Cat(new[] { v.A, v.B, v.C, v.D }, d); }

                // A struct result whose fields are written several times, around an if.
                [Differentiable(Jacobian = true)]
                public static Triple StructFields(double a, double b)
                {
                    var r = new Triple();
                    r.X = a * b;
                    r.Y = r.X * a;
                    r.X = r.X * r.Y + b;
                    if (a > 0.0)
                    {
                        r.Z = r.X * b;
                    }
                    else
                    {
                        r.Z = r.Y - a;
                    }

                    r.Y = r.Y * r.Z;
                    r.X = r.X - r.Y * a;
                    return r;
                }

                public static double[] StructFieldsValue(double[] p) { var v = StructFields(p[0], p[1]); return new[] { v.X, v.Y, v.Z }; }

                public static double[] StructFieldsRows(double[] p) { var d = new double[6]; var v = StructFieldsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]); return Cat(new[] { v.X, v.Y, v.Z }, d); }

                // A double and a float field (the float field's row is compared at float tolerance).
                [Differentiable(Jacobian = true)]
                public static (double X, float Y) MixedFields(double a, double b)
                {
                    var t = a * b;
                    t = t * t + a;
                    var f = (float)(t * b);
                    f = f * f;
                    return (t * a, f);
                }

                public static double[] MixedFieldsValue(double[] p) { var v = MixedFields(p[0], p[1]); return new[] { v.X, (double)v.Y }; }

                public static double[] MixedFieldsRows(double[] p) { var d = new double[4]; var v = MixedFieldsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, (double)v.Y }, d); }
                // Unicode identifiers and a long line (a partial too long for one line would be wrapped).
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) LongLines(double α, double βeta)
                {
                    var γ = α * βeta + α * α * βeta * 0.125 + βeta * βeta * α * 0.0625 + α * βeta * α * βeta * 0.03125 + α * 0.5;
                    γ = γ * γ * α * βeta * 0.25 + γ * α * α * 0.125 + γ * βeta * βeta * 0.0625 + γ * α * βeta * γ * 0.03125 + βeta;
                    var δ = γ * α * βeta * γ * 0.5 + γ * γ * γ * 0.125 + α * α * α * γ * 0.0625 + βeta * βeta * βeta * γ * 0.03125;
                    γ = δ * γ * α - γ * βeta * δ * 0.5 + δ * δ * 0.125 * α * βeta + γ * γ * δ * 0.0625 * α + βeta * δ * γ * α * 0.25;
                    return (γ * δ, δ - γ * α);
                }

                public static double[] LongLinesValue(double[] p) { var v = LongLines(p[0], p[1]); return new[] { v.X, v.Y }; }

                public static double[] LongLinesRows(double[] p) { var d = new double[4]; var v = LongLinesJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]); return Cat(new[] { v.X, v.Y }, d); }

                // Six fields; divisions by locals restored inside both sides of an if; a local never read.
                [Differentiable(Jacobian = true)]
                public static (double A, double B, double C, double D, double E, double G) Six(double a, double b)
                {
                    var t = a * a + b;
                    var unused = t * 3.0;
                    var u = b / t;
                    if (a > 0.0)
                    {
                        t = t * u + 1.0;
                        u = a / t + u / (t * t);
                        t = u / t;
                    }
                    else
                    {
                        u = u * t - b;
                        t = b / (1.0 + u * u);
                        u = t / (2.0 + a * a);
                    }

                    var w = Math.Clamp(u * t, -100.0, 100.0);
                    t = t / (1.0 + w * w);
                    return (t, u, w, t * u, u - w, a);
                }

                public static double[] SixValue(double[] p) { var v = Six(p[0], p[1]); return new[] { v.A, v.B, v.C, v.D, v.E, v.G }; }

                public static double[] SixRows(double[] p)
                {
                    var d = new double[12];
                    var v = SixJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8], ref d[9], ref d[10], ref d[11]);
                    return Cat(new[] { v.A, v.B, v.C, v.D, v.E, v.G }, d);
                }
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources, List<Diagnostic> Diagnostics)> s_compiled = new(Compile);

    [Theory]
    // case, probe inputs, fields, is float
    [InlineData("Reassigned", 3, 2, false)]
    [InlineData("ParamSelf", 2, 2, false)]
    [InlineData("SameField", 2, 2, false)]
    [InlineData("Four", 3, 4, false)]
    [InlineData("ParamField", 2, 3, false)]
    [InlineData("CrossLocals", 2, 2, false)]
    [InlineData("StructResult", 2, 2, false)]
    [InlineData("ArrayRun", 2, 2, false)]
    [InlineData("SpanRun", 3, 2, false)]
    [InlineData("Kinks", 2, 2, false)]
    [InlineData("DivRestored", 2, 2, false)]
    [InlineData("TrigOverwritten", 2, 2, false)]
    [InlineData("FloatRun", 2, 2, true)]
    [InlineData("Checked", 2, 2, false)]
    [InlineData("Compound", 2, 2, false)]
    [InlineData("Deconstruct", 2, 2, false)]
    [InlineData("Hostile", 2, 2, false)]
    [InlineData("Split", 3, 3, false)]
    [InlineData("PArray", 3, 2, false)]
    [InlineData("Idx", 2, 2, false)]
    [InlineData("SpanWrite", 2, 2, false)]
    [InlineData("Verbatim", 2, 2, false)]
    [InlineData("Collide", 2, 2, false)]
    [InlineData("Hostile2", 2, 2, false)]
    [InlineData("Builtins", 2, 3, false)]
    [InlineData("BranchRuns", 3, 2, false)]
    [InlineData("NestedIf", 2, 3, false)]
    [InlineData("IntMix", 2, 2, false)]
    [InlineData("FloatMix", 3, 3, true)]
    [InlineData("Twice", 2, 4, false)]
    [InlineData("StructFields", 2, 3, false)]
    [InlineData("MixedFields", 2, 2, true)]
    [InlineData("LongLines", 2, 2, false)]
    [InlineData("Six", 2, 6, false)]
    public void Every_row_matches_central_differences(string name, int inputs, int fields, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Review18.F")!, name, 1818, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    /// <summary>The generator reports nothing and the generated code compiles without a warning at LangVersion 9.</summary>
    [Fact]
    public void Generated_code_has_no_warnings_at_LangVersion_9()
    {
        var diagnostics = s_compiled.Value.Diagnostics;
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
    }

    /// <summary>The new path is exercised: several of the cases are written field by field.</summary>
    [Fact]
    public void Straight_runs_are_written_field_by_field()
    {
        var grouped = s_compiled.Value.Sources.Where(s => s.Value.Contains("field by field between branches", StringComparison.Ordinal)).Select(s => s.Key).ToList();
        Assert.True(grouped.Count >= 5, string.Join(", ", grouped));
    }

    /// <summary>
    /// A <c>ref struct</c> result with fields (the brief's "ref-like struct fields"): the generator reports nothing and
    /// must then write code that compiles, or refuse the method with a diagnostic. Kept in its own compilation so that
    /// its errors do not take the probes above down with it.
    /// </summary>
    [Fact]
    public void A_ref_struct_result_is_generated_compilable_or_refused()
    {
        const string source = """
            using System;
            using StaticGrad;

            namespace Review18Ref
            {
                public ref struct RefPair
                {
                    public double X;
                    public double Y;
                }

                public static partial class G
                {
                    [Differentiable(Jacobian = true)]
                    public static RefPair Rs(double a, double b)
                    {
                        var t = a * b;
                        t = t * t + a;
                        var r = new RefPair();
                        r.X = t * b;
                        r.Y = t - a;
                        return r;
                    }
                }
            }
            """;
        var output = GeneratorHarness.Run(source);
        var refused = output.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || output.AnalyzerDiagnostics.Any(d => d.Severity >= DiagnosticSeverity.Warning);
        var errors = output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(refused || errors.Count == 0, "no diagnostic, and the generated code does not compile:\n" + string.Join("\n", errors.Take(5)));
    }

    private static (Assembly, Dictionary<string, string>, List<Diagnostic>) Compile()
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        var compilation = CSharpCompilation.Create(
            "Review18" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(Source, options, path: "Review18.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        var driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: options, optionsProvider: BuildProperties.AllOutputs)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var sources = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var diagnostics = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError)
            .ToList();
        return (GeneratorHarness.Load(output), sources, diagnostics);
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Where(s => s.Key.Contains("." + name + ".", StringComparison.Ordinal)).Select(s => s.Value).FirstOrDefault() ?? "(no generated source)";
}
