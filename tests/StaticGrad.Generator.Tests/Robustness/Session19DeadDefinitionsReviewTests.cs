using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 19's dead19 (<c>Analysis/DerivativeLiveness.cs</c>: a definition of an active
/// variable whose target is not derivative-live right after it is detached). A definition wrongly judged dead gives a
/// silently zero gradient, so every case here has a definition that IS read later along some path: the next trip of a
/// loop (for, do-while, while with the read in the condition), continue and break paths, nested loops, early returns
/// inside a loop, switch statements and expressions with guards, ternaries and short-circuits, lambdas and local
/// functions capturing a variable assigned later, ref/out arguments, struct fields, tuple swaps, arrays aliased by
/// another local, a span or a clone, stackalloc, params, compound assignments and ++, [NoGrad] parameters reassigned,
/// float, a tuple result's Jacobian, and a Hessian/Tangent of a loop-carried definition. Plus dead tails the analysis
/// may not cover (an overflowing dead element write / dead struct field) that must still give finite gradients.
/// ONE compiled batch; each Backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>); the Hessian against central differences of the Backward (h = 1e-5,
/// |H − fd| ≤ 1e-5·max(1,|fd|)), the tangent against gradient·direction (1e-9 relative); the Jacobian with
/// <see cref="JacobianProbeCheck"/>.
/// </summary>
public sealed class Session19DeadDefinitionsReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Review19;

        public struct P2
        {
            public double X;
            public double Y;
        }

        public static partial class R
        {
            // prev is defined at the end of a trip and read at the start of the next.
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double NextTrip(double[] a, double w)
            {
                var s = 0.0;
                var prev = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += prev * a[i];
                    prev = Math.Sin(a[i] * w);
                }

                return s;
            }

            // A do-while: t is defined after its read in the same trip.
            // domain: x=0.5..1.5 y=0.5..1.5
            [Differentiable]
            public static double DoWhile(double x, double y)
            {
                var s = 0.0;
                var t = y;
                var k = 0;
                do
                {
                    s += t * x;
                    t = t * x + y;
                    k++;
                }
                while (k < 3);
                return s;
            }

            // A while whose condition reads t (no derivative there); the result reads t after the loop.
            // domain: x=0.5..1.5 y=0.2..1
            [Differentiable]
            public static double WhileCondition(double x, double y)
            {
                var t = x;
                var n = 0;
                while (t < 3.0 && n < 10)
                {
                    t = t * 1.3 + y;
                    n++;
                }

                return t * y;
            }

            // last is written on the continue path and read on the other path of a later trip.
            // domain: a[6]=-1..1 w=0.5..2
            [Differentiable]
            public static double ContinuePath(double[] a, double w)
            {
                var s = 0.0;
                var last = w;
                for (var i = 0; i < a.Length; i++)
                {
                    if (i % 2 == 0)
                    {
                        last = a[i] * w;
                        continue;
                    }

                    s += last * a[i];
                }

                return s;
            }

            // v is defined in the loop, the loop is left by break, v is read after it.
            // domain: a[6]=-1..1 w=0.5..2
            [Differentiable]
            public static double BreakThenRead(double[] a, double w)
            {
                var v = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    v = a[i] * w + v * 0.5;
                    if (a[i] > 0.3)
                    {
                        break;
                    }
                }

                return v * v;
            }

            // u is defined by the inner loop and read by the next outer trip.
            // domain: a[4]=-1..1 w=0.5..2
            [Differentiable]
            public static double NestedCarry(double[] a, double w)
            {
                var s = 0.0;
                var u = w;
                for (var i = 0; i < 3; i++)
                {
                    s += u * a[i];
                    for (var j = 0; j < a.Length; j++)
                    {
                        u = Math.Sin(u + a[j] * w);
                    }
                }

                return s;
            }

            // The variable is returned early from inside the loop.
            // domain: a[5]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double EarlyReturn(double[] a, double x)
            {
                var v = x;
                for (var i = 0; i < a.Length; i++)
                {
                    v = v * x + a[i];
                    if (v > 2.0)
                    {
                        return v;
                    }
                }

                return -v * x;
            }

            // A switch statement assigning r in each section.
            // domain: x=-1..1 y=-1..1 k=0..2
            [Differentiable]
            public static double SwitchStatement(double x, double y, int k)
            {
                var r = x;
                switch (k)
                {
                    case 0:
                        r = x * y;
                        break;
                    case 1:
                        r = x + y * y;
                        break;
                    default:
                        r = r * y;
                        break;
                }

                return r * x;
            }

            // A switch expression with guards reading a local defined before.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double SwitchGuards(double x, double y)
            {
                var t = x * y;
                var r = x switch
                {
                    > 0 when y > 0 => t * x,
                    > 0 => t + y,
                    _ => y * y,
                };
                t = r * 2.0;
                return t + r;
            }

            // Short-circuit and ternary assignments.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ShortCircuitTernary(double x, double y)
            {
                var t = x * y;
                var u = y;
                if (x > 0 && t > 0.1 || y < -0.5)
                {
                    u = t * x;
                }

                t = x > y ? u * t : t + u;
                return t;
            }

            // A ternary assigning inside a loop.
            // domain: a[5]=-1..1 w=0.5..1.5
            [Differentiable]
            public static double TernaryLoop(double[] a, double w)
            {
                var t = w;
                for (var i = 0; i < a.Length; i++)
                {
                    t = a[i] > 0 ? t * a[i] + w : t - a[i];
                }

                return t;
            }

            // A local function capturing c, which is assigned after the function is declared.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LocalFunctionCapture(double x, double y)
            {
                var c = x;
                double F(double t) => t * c;
                c = x * y + y;
                return F(x);
            }

            // A lambda capturing c, assigned after the lambda is created.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LambdaCapture(double x, double y)
            {
                var c = x;
                Func<double, double> f = t => t * c;
                c = Math.Sin(x * y);
                return f(y) + x;
            }

            // A local function writing a captured variable.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LocalFunctionWrites(double x, double y)
            {
                var s = x * y;
                void Bump() => s = s * x + y;
                Bump();
                Bump();
                return s;
            }

            public static void Scale(ref double s, double k) => s *= k;

            public static void Split(double v, out double a, out double b)
            {
                a = v * 2.0;
                b = v * v;
            }

            // A ref argument to a plain helper: s is read through ref.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RefArgument(double x, double y)
            {
                var s = x * y;
                Scale(ref s, x);
                return s + y;
            }

            // Out arguments of a plain helper.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double OutArguments(double x, double y)
            {
                var v = x * y;
                Split(v, out var a, out var b);
                return a * b + x;
            }

            [Differentiable]
            public static double Accumulate(ref double s, double v)
            {
                s += v * v;
                return s;
            }

            // A ref argument to a [Differentiable] callee, s read after the call.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RefDifferentiable(double x, double y)
            {
                var s = x * y;
                var r = Accumulate(ref s, x);
                return s * y + r;
            }

            // A ref local to an array element.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RefLocal(double x, double y)
            {
                var arr = new double[2];
                ref var r = ref arr[0];
                r = x * y;
                return arr[0] * y + x;
            }

            // A struct field written, then the struct copied as a whole and read through the copy.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double StructField(double x, double y)
            {
                var p = new P2();
                p.X = x * y;
                p.Y = x;
                var q = p;
                p.X = 0.0;
                return (q.X * q.X) + (q.Y * q.Y) + p.Y;
            }

            // A tuple swap in a loop.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double TupleSwap(double x, double y)
            {
                var a = x;
                var b = y;
                for (var i = 0; i < 3; i++)
                {
                    (a, b) = (b, a * x + b);
                }

                return a + b * y;
            }

            // Deconstruction of a tuple local.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Deconstruct(double x, double y)
            {
                var t = (x * y, x + y);
                var (p, q) = t;
                t = (q, p);
                return p * q + t.Item1;
            }

            // b aliases a: the store through b is read through a.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ArrayAlias(double x, double y)
            {
                var a = new double[2];
                var b = a;
                b[0] = x * y;
                return a[0] * y + x;
            }

            // The alias is made after the store.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ArrayAliasLater(double x, double y)
            {
                var a = new double[2];
                a[1] = x * y;
                var b = a;
                a = new double[2];
                a[1] = y;
                return b[1] * y + a[1];
            }

            // A span over a local array.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double SpanOverArray(double x, double y)
            {
                var a = new double[3];
                Span<double> s = a;
                s[1] = x * y;
                return a[1] * x + y;
            }

            // A slice over a local array.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double SliceOverArray(double x, double y)
            {
                var a = new double[3];
                var s = a.AsSpan(1);
                s[0] = x * y;
                return a[1] * x + y;
            }

            // A clone of a local array: the store is read through the clone.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double CloneRead(double x, double y)
            {
                var a = new double[2];
                a[0] = x * y;
                var c = (double[])a.Clone();
                return c[0] * y + x;
            }

            // ToArray / Sum of a local array.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LinqRead(double x, double y)
            {
                var a = new double[2];
                a[0] = x * y;
                a[1] = x;
                var c = a.ToArray();
                return c.Sum() * y + a.Max();
            }

            // stackalloc.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double StackAlloc(double x, double y)
            {
                Span<double> s = stackalloc double[2];
                s[0] = x * y;
                s[1] = s[0] * x;
                return s[1] + s[0];
            }

            [Differentiable]
            public static double SumParams(params double[] v)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * v[i];
                }

                return s;
            }

            // params: t defined then passed in the params array.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ParamsCall(double x, double y)
            {
                var t = x * y;
                var r = SumParams(x, t, y);
                t = 5.0;
                return r + t;
            }

            // Compound assignments and ++ read the target.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double CompoundAndIncrement(double x, double y)
            {
                var t = x * y;
                t += y * t;
                t *= x;
                t++;
                var u = t;
                u--;
                return u * t;
            }

            // A [NoGrad] parameter reassigned from an active value.
            // domain: x=-1..1 c=0.5..2
            [Differentiable]
            public static double NoGradReassigned(double x, [NoGrad] double c)
            {
                var t = c * x;
                c = t * x;
                return c + t;
            }

            // An element written in one trip and read in the next through a fresh array.
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double ElementNextTrip(double[] a, double w)
            {
                var buf = new double[1];
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += buf[0] * a[i];
                    buf[0] = a[i] * w;
                }

                return s;
            }

            // A fresh array reassigned by a whole-array store each trip and read next trip.
            // domain: a[4]=-1..1 w=0.5..2
            [Differentiable]
            public static double FreshArrayPerTrip(double[] a, double w)
            {
                var s = 0.0;
                var prev = new double[1];
                for (var i = 0; i < a.Length; i++)
                {
                    s += prev[0] * w;
                    var next = new double[1];
                    next[0] = a[i] * s + w;
                    prev = next;
                }

                return s;
            }

            // A float loop-carried definition.
            // domain: a[5]=-1..1 w=0.5..1.5
            [Differentiable]
            public static float FloatNextTrip(float[] a, float w)
            {
                var s = 0f;
                var prev = w;
                for (var i = 0; i < a.Length; i++)
                {
                    s += prev * a[i];
                    prev = MathF.Sin(a[i] * w);
                }

                return s;
            }

            // A dead element write that overflows (a shape the analysis detaches only for fresh arrays).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double DeadElementOverflow(double x, double y)
            {
                var t = new double[2];
                t[0] = x * y;
                var r = t[0] * x;
                var d = x + y;
                for (var i = 0; i < 14; i++)
                {
                    d = d * d + 1.5;
                    t[1] = d;
                }

                return r;
            }

            // A dead struct field that overflows.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double DeadFieldOverflow(double x, double y)
            {
                var p = new P2 { X = x, Y = y };
                var r = p.X * p.Y;
                for (var i = 0; i < 14; i++)
                {
                    p.Y = p.Y * p.Y + 1.5;
                }

                return r + p.X;
            }

            // A dead tail in a loop with a break: u overflows after its last read.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double DeadTailWithBreak(double[] a, double x)
            {
                var s = 0.0;
                var u = x;
                for (var i = 0; i < a.Length; i++)
                {
                    s += u * a[i];
                    if (a[i] > 0.9)
                    {
                        break;
                    }
                }

                for (var i = 0; i < 14; i++)
                {
                    u = u * u + 1.5;
                }

                return s;
            }

            // t is read only through a [Differentiable] callee returning a tuple.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double TupleCallee(double x, double y)
            {
                var t = x * y;
                var (p, q) = H.PairOf(t, x);
                return p + q * y;
            }

            // t is read only through a [Differentiable] callee returning a struct.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double StructCallee(double x, double y)
            {
                var t = x * y;
                var p = H.Make(t, x);
                t = 0.0;
                return p.X * p.Y + t;
            }

            // t is read only through a struct argument of a [Differentiable] callee.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double StructArgument(double x, double y)
            {
                var t = x * y;
                var q = new P2 { X = t, Y = x };
                return H.Norm(q) + y;
            }

            // A tuple callee in a loop, its value carried to the next trip.
            // domain: a[4]=-1..1 w=0.5..1.5
            [Differentiable]
            public static double TupleCalleeLoop(double[] a, double w)
            {
                var s = 0.0;
                var u = w;
                for (var i = 0; i < a.Length; i++)
                {
                    var (p, q) = H.PairOf(u, a[i]);
                    s += p;
                    u = q * 0.5;
                }

                return s;
            }

            // The IncludingNoGrad variant: an active argument for a [NoGrad] parameter that the callee reassigns.
            // domain: x=-1..1 y=0.5..2
            [Differentiable]
            public static double CallsNoGrad(double x, double y) => NoGradReassigned(x, x * y) + y;

            // A row stored into a jagged array, then written through its own name and read through the jagged array.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double JaggedRowAfterStore(double x, double y)
            {
                var j = new double[2][];
                var row = new double[2];
                j[1] = row;
                row[0] = x * y;
                return j[1][0] * y + x;
            }

            // The read is in the for loop's step.
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double ReadInStep(double[] a, double w)
            {
                var s = 0.0;
                var t = 0.0;
                for (var i = 0; i < a.Length; i++, s += t * t)
                {
                    t = a[i] * w;
                }

                return s;
            }

            // while (true) with a break: t is defined at the end of a trip and read by the next one.
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double WhileTrueBreak(double[] a, double w)
            {
                var s = 0.0;
                var t = w;
                var i = 0;
                while (true)
                {
                    s += t * a[i];
                    i++;
                    if (i >= a.Length)
                    {
                        break;
                    }

                    t = Math.Cos(a[i] * t);
                }

                return s;
            }

            // A local function called each trip reads c, which is assigned at the end of the trip.
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double LocalFunctionInLoop(double[] a, double w)
            {
                var c = w;
                var s = 0.0;
                double G(double v) => v * c;
                for (var i = 0; i < a.Length; i++)
                {
                    s += G(a[i]);
                    c = Math.Sin(c + a[i]);
                }

                return s;
            }

            // A struct result whose field is written again after another field read it.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double StructResultFieldLate(double x, double y)
            {
                var p = H.MakeLate(x, y);
                return p.X * y + p.Y;
            }

            // t++ in a loop reads t; t is read at the start of the next trip.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double IncrementInLoop(double[] a, double x)
            {
                var s = 0.0;
                var t = x;
                for (var i = 0; i < a.Length; i++)
                {
                    s += t * a[i];
                    t++;
                    t *= 0.5;
                }

                return s;
            }

            // A switch expression with a guard inside a loop, its value carried.
            // domain: a[6]=-1..1 w=0.5..1.5
            [Differentiable]
            public static double SwitchInLoop(double[] a, double w)
            {
                var t = w;
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += t;
                    t = (i % 3) switch
                    {
                        0 when a[i] > 0 => t * a[i],
                        1 => t + a[i] * w,
                        _ => Math.Sin(t),
                    };
                }

                return s;
            }

            // Hessian and tangent of a loop-carried definition.
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessNextTrip(double[] a, double z)
            {
                var s = 0.0;
                var prev = z;
                for (var i = 0; i < a.Length; i++)
                {
                    s += prev * a[i] * z;
                    prev = Math.Sin(a[i] * z) + prev * 0.5;
                }

                var dead = s;
                dead = dead * z;
                return s;
            }

            // Hessian and tangent with a dead tail that overflows after its last read (the Jvp's backward must stay finite).
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessDeadTail(double[] a, double z)
            {
                var s = 0.0;
                var d = z;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Sin(d * a[i]) * z;
                    d = d * 0.5 + a[i];
                }

                for (var i = 0; i < 14; i++)
                {
                    d = d * d + 1.5;
                }

                return s;
            }

            // A tuple result reading a definition only in the result expression.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) JacResultOnly(double x, double y)
            {
                var u = x * y;
                var v = u * x;
                u = Math.Sin(v) + y;
                return (u, v);
            }

            public static double[] GradOf(string name, double[] a, double z)
            {
                var g = new double[a.Length + 1];
                var ga = new double[a.Length];
                double gz = 0.0;
                _ = name == "HessNextTrip" ? HessNextTripBackward(a, z, ga, ref gz) : HessDeadTailBackward(a, z, ga, ref gz);
                ga.CopyTo(g, 0);
                g[a.Length] = gz;
                return g;
            }

            public static double[] HessianOf(string name, double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                if (name == "HessNextTrip")
                {
                    HessNextTripHessian(a, z, h);
                }
                else
                {
                    HessDeadTailHessian(a, z, h);
                }

                return h;
            }

            public static double TangentOf(string name, double[] a, double z, double[] da, double dz) =>
                name == "HessNextTrip" ? HessNextTripTangent(a, z, da, dz).Tangent : HessDeadTailTangent(a, z, da, dz).Tangent;

            public static double[] JacValue(double[] p)
            {
                var v = JacResultOnly(p[0], p[1]);
                return new[] { v.X, v.Y };
            }

            public static double[] JacRows(double[] p)
            {
                var d = new double[4];
                var v = JacResultOnlyJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }
        }
        """;

    /// <summary>Callees whose parameters the harness does not probe (a struct, a ref), in a second file of the batch.</summary>
    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace Review19;

        public static partial class H
        {
            [Differentiable]
            public static (double A, double B) PairOf(double u, double v) => (u * v, u + Math.Sin(v));

            [Differentiable]
            public static P2 Make(double u, double v) => new P2 { X = u * v, Y = u - v };

            [Differentiable]
            public static P2 MakeLate(double u, double v)
            {
                var p = new P2();
                p.X = u * v;
                p.Y = p.X + v;
                p.X = Math.Sin(p.Y) * u;
                return p;
            }

            [Differentiable]
            public static double Norm(P2 p) => (p.X * p.X) + (p.Y * p.Y * p.X);
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, Helpers }, s_methods));

    /// <summary>Checked by their own tests (Jacobian probe) or only as callees.</summary>
    private static readonly HashSet<string> s_skipped = new(StringComparer.Ordinal) { "R.JacResultOnly", "R.Accumulate" };

    /// <summary>
    /// Refused by the lowering as before this change (no lowering file changed in dead19; outside the contract, not
    /// defects): lambdas, ref/out arguments, a second name for a local array.
    /// </summary>
    private static readonly Dictionary<string, (string Id, string Fragment)> s_refused = new()
    {
        ["R.LambdaCapture"] = ("SG1002", "lambda expressions"),
        ["R.RefArgument"] = ("SG1002", "'ref s'"),
        ["R.OutArguments"] = ("SG1002", "calls with 'out' arguments ('Split' returns values through"),
        ["R.RefDifferentiable"] = ("SG1002", "'ref' arguments ('Accumulate' may write 's'"),
        ["R.ArrayAlias"] = ("SG1010", "Local array 'b'"),
        ["R.ArrayAliasLater"] = ("SG1010", "Local array 'b'"),
        ["R.SpanOverArray"] = ("SG1010", "Local array 's'"),
        ["R.SliceOverArray"] = ("SG1010", "Local array 's'"),
        ["R.CloneRead"] = ("SG1010", "Local array 'c'"),
        ["R.LinqRead"] = ("SG1010", "Local array 'c'"),
        ["R.FreshArrayPerTrip"] = ("SG1010", "Local array 'prev'"),
        ["R.JaggedRowAfterStore"] = ("SG1010", "Local array 'j' is a jagged array"),
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_skipped.Contains(m.Key) && !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refused_as_before(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted");
        var (id, fragment) = s_refused[key];
        Assert.Contains(reason.Split('\n'), line => line.Contains(id, StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>The generator reports no warning for any method of the batch.</summary>
    [Fact]
    public void No_generator_warnings()
    {
        var batch = s_batch.Value;
        var warnings = batch.GeneratorDiagnostics.SelectMany(p => p.Value.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => p.Key + ": " + d)).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    /// <summary>
    /// The dense Hessian against central differences of the Backward gradient (h = 1e-5, |H − fd| ≤ 1e-5·max(1,|fd|)),
    /// and the Tangent against gradient·direction (1e-9 relative).
    /// </summary>
    [Theory]
    [InlineData("HessNextTrip")]
    [InlineData("HessDeadTail")]
    public void Hessian_and_tangent_match(string name)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review19.R")!;
        double[] Grad(double[] a, double z) => (double[])type.GetMethod("GradOf")!.Invoke(null, new object[] { name, a, z })!;
        var random = new Random(1919 + name.Length);
        for (var point = 0; point < 3; point++)
        {
            var a = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var z = (random.NextDouble() * 2) - 1;
            var n = a.Length + 1;
            var hessian = (double[])type.GetMethod("HessianOf")!.Invoke(null, new object[] { name, a, z })!;
            var problems = new List<string>();
            const double h = 1e-5;
            for (var j = 0; j < n; j++)
            {
                var ap = (double[])a.Clone();
                var am = (double[])a.Clone();
                var (zp, zm) = (z, z);
                if (j < a.Length)
                {
                    ap[j] += h;
                    am[j] -= h;
                }
                else
                {
                    zp += h;
                    zm -= h;
                }

                var gp = Grad(ap, zp);
                var gm = Grad(am, zm);
                for (var i = 0; i < n; i++)
                {
                    var fd = (gp[i] - gm[i]) / (2 * h);
                    if (!double.IsFinite(hessian[(i * n) + j]) || Math.Abs(hessian[(i * n) + j] - fd) > 1e-5 * Math.Max(1, Math.Abs(fd)))
                    {
                        problems.Add($"H[{i},{j}] = {hessian[(i * n) + j]:R}, fd {fd:R}");
                    }
                }
            }

            var da = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var dz = (random.NextDouble() * 2) - 1;
            var g = Grad(a, z);
            var expected = da.Select((d, i) => d * g[i]).Sum() + (dz * g[a.Length]);
            var tangent = (double)type.GetMethod("TangentOf")!.Invoke(null, new object[] { name, a, z, da, dz })!;
            if (!double.IsFinite(tangent) || Math.Abs(tangent - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
            {
                problems.Add($"tangent {tangent:R}, gradient·direction {expected:R}");
            }

            Assert.True(problems.Count == 0, name + " at a=[" + string.Join(", ", a) + "], z=" + z + ":\n" + string.Join("\n", problems));
        }
    }

    /// <summary>The Jacobian of a tuple result whose definitions are read only by the result expression (<see cref="JacobianProbeCheck"/>).</summary>
    [Fact]
    public void Jacobian_matches_central_finite_differences()
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review19.R")!;
        double[] Value(double[] p) => (double[])type.GetMethod("JacValue")!.Invoke(null, new object[] { p })!;
        double[] Rows(double[] p) => (double[])type.GetMethod("JacRows")!.Invoke(null, new object[] { p })!;
        var problems = JacobianProbeCheck.Problems("JacResultOnly", 19, Value, Rows, 2, 2, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
