using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of the session 14 speed branch: innermost loops reading arrays through block-local copies of
/// their references (arrays reassigned, swapped, aliased, jagged rows, 2-D arrays, spans) and the adjoints of
/// variables private to a fused iteration assigned instead of added to (variables written in a branch, swapped,
/// reused, written in a nested loop, loops whose first iteration differs or that run zero times). One compiled
/// batch; every Backward is compared against central finite differences with the harness's tolerances (double:
/// |g − fd| ≤ 1e-6·max(1,|fd|) + rounding bound; primal to 1e-12 relative).
/// </summary>
public sealed class Session14SpeedAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewSpeed14;

        public static partial class S
        {
            // ---- (1) block-local copies of array references ----

            // domain: a[3x4]=-1..1 z=-1..1
            [Differentiable]
            public static double JaggedRowReassigned(double[][] a, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var row = a[i];
                    for (var j = 0; j < 4; j++)
                    {
                        s = Math.Sin(s + row[j] * z);
                        if (j == 1)
                        {
                            row = a[(i + 1) % a.Length];
                        }
                    }
                }

                return s;
            }

            // domain: p[5]=-1..1 q[5]=-1..1 z=-1..1
            [Differentiable]
            public static double TupleSwapArrays(double[] p, double[] q, double z)
            {
                var u = p;
                var v = q;
                var s = 0.0;
                for (var i = 0; i < 5; i++)
                {
                    s = s * z + u[i] * (v[i] + 2.0);
                    (u, v) = (v, u);
                }

                return s;
            }

            // domain: p[5]=-1..1 q[5]=-1..1 z=-1..1
            [Differentiable]
            public static double TempSwapArrays(double[] p, double[] q, double z)
            {
                var u = p;
                var v = q;
                var s = 0.0;
                for (var i = 0; i < 5; i++)
                {
                    s = s * z + u[i] * (v[i] + 2.0);
                    var t = u;
                    u = v;
                    v = t;
                }

                return s;
            }

            // domain: x[6]=-1..1 y[6]=-1..1 z=-1..1
            [Differentiable]
            public static double BranchReassign(double[] x, double[] y, double z)
            {
                var w = x;
                var s = 0.0;
                for (var i = 0; i < 6; i++)
                {
                    s += w[i] * w[i] * z;
                    if (x[i] > 0.0)
                    {
                        w = y;
                    }
                }

                return s;
            }

            // domain: x[5]=-1..1 y[5]=-1..1 z=-1..1
            [Differentiable]
            public static double OuterReassign(double[] x, double[] y, double z)
            {
                var w = x;
                var s = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 5; i++)
                    {
                        s = s * 0.5 + Math.Sin(w[i] * z + t);
                    }

                    w = t % 2 == 0 ? y : x;
                }

                return s;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double LocalAlias(double[] x, double z)
            {
                var buf = new double[5];
                var alias = buf;
                for (var i = 0; i < 5; i++)
                {
                    alias[i] = x[i] * z;
                }

                var s = 0.0;
                for (var i = 0; i < 5; i++)
                {
                    buf[i] = buf[i] * alias[i] + z;
                    s += buf[i] * alias[i];
                }

                return s;
            }

            // domain: x[4]=-1..1 z=-1..1
            [Differentiable]
            public static double SameArrayTwice(double[] x, double z) => Pair(x, x, z) + Pair(x, x, z * z);

            [Differentiable]
            public static double Pair(double[] a, double[] b, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s = s * z + a[i] * b[a.Length - 1 - i];
                }

                return s;
            }

            // domain: p[3x3]=-1..1 z=-1..1
            [Differentiable]
            public static double TwoDimRecurrent(double[,] p, double z)
            {
                var m = new double[3, 3];
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        m[i, j] = p[i, j];
                    }
                }

                var s = z;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        s = Math.Tanh(s * m[i, j] + z);
                        m[i, j] = m[i, j] * s;
                    }
                }

                var t = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        t += m[i, j] * m[j, i];
                    }
                }

                return s + t;
            }

            // domain: w[5]=-1..1 x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double Recurrent(double[] w, double[] x, double z)
            {
                var h = new double[6];
                h[0] = z;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 5; i++)
                    {
                        h[i + 1] = Math.Tanh(w[i] * h[i] + x[i] + h[i + 1]);
                    }

                    h[0] = h[5];
                }

                var loss = 0.0;
                for (var i = 0; i < 6; i++)
                {
                    loss += h[i] * h[i];
                }

                return loss;
            }

            // domain: means[3x2]=-1..1 icf[3x2]=-0.5..0.5 alphas[3]=-1..1 x[4x2]=-1..1
            [Differentiable]
            public static double Gmm(double[][] means, double[][] icf, double[] alphas, double[][] x)
            {
                var total = 0.0;
                var diff = new double[2];
                for (var n = 0; n < x.Length; n++)
                {
                    var max = double.NegativeInfinity;
                    var sums = new double[3];
                    for (var k = 0; k < 3; k++)
                    {
                        var mu = means[k];
                        var q = icf[k];
                        var sq = 0.0;
                        for (var d = 0; d < 2; d++)
                        {
                            diff[d] = (x[n][d] - mu[d]) * Math.Exp(q[d]);
                            sq += diff[d] * diff[d];
                        }

                        sums[k] = alphas[k] + q[0] + q[1] - 0.5 * sq;
                        max = Math.Max(max, sums[k]);
                    }

                    var sumExp = 0.0;
                    for (var k = 0; k < 3; k++)
                    {
                        sumExp += Math.Exp(sums[k] - max);
                    }

                    total += Math.Log(sumExp) + max;
                }

                return total;
            }

            // domain: s[6]=-1..1 z=-1..1
            [Differentiable]
            public static double SpanSlice(ReadOnlySpan<double> s, double z)
            {
                var w = s;
                var acc = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    acc = acc * z + w[0] * w[1];
                    w = w.Slice(1);
                }

                return acc;
            }

            // domain: u[4]=-1..1 v[4]=-1..1
            [Differentiable]
            public static double NamedArguments(double[] u, double[] v)
            {
                var s = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    s += Mul(v: v[i], u: u[i] + s);
                }

                return s;
            }

            [Differentiable]
            public static double Mul(double u, double v) => u * v + u;

            // domain: x[5]=-1..1 y[5]=-1..1 z=-1..1
            [Differentiable]
            public static double ConditionalArray(double[] x, double[] y, double z)
            {
                var s = 0.0;
                for (var i = 0; i < 5; i++)
                {
                    var w = x[i] > 0.0 ? x : y;
                    s = s * z + w[i] * w[(i + 1) % 5];
                }

                return s;
            }

            // domain: a[3x4]=-1..1 z=-1..1
            [Differentiable]
            public static double JaggedRowsRotating(double[][] a, double z)
            {
                var s = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < a.Length; i++)
                    {
                        var row = a[(i + t) % a.Length];
                        for (var j = 0; j < 4; j++)
                        {
                            s = Math.Sin(s + row[j] * z);
                        }
                    }
                }

                return s;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double FreshInInnermost(double[] x, double z)
            {
                var buf = new double[2];
                var s = z;
                for (var i = 0; i < 5; i++)
                {
                    buf[1] = buf[1] + s;
                    buf = new double[2];
                    buf[0] = x[i] * z;
                    buf[1] = buf[0] * s;
                    s = s * 0.5 + buf[1];
                }

                return s + buf[0] * buf[1];
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double FreshInBranchContinue(double[] x, double z)
            {
                var buf = new double[3];
                var s = z;
                for (var i = 0; i < 6; i++)
                {
                    buf[i % 3] = buf[i % 3] * z + x[i];
                    if (x[i] > 0.3)
                    {
                        buf = new double[3];
                        buf[0] = s;
                        continue;
                    }

                    s = s * buf[(i + 1) % 3] + buf[i % 3];
                }

                return s + buf[0];
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double StackallocRecurrent(double[] x, double z)
            {
                Span<double> h = stackalloc double[7];
                h[0] = z;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 6; i++)
                    {
                        h[i + 1] = Math.Tanh(x[i] * h[i] + h[i + 1] * z);
                    }

                    h[0] = h[6];
                }

                var loss = 0.0;
                for (var i = 0; i < 7; i++)
                {
                    loss += h[i] * h[i];
                }

                return loss;
            }

            // domain: x[4]=-1..1 z=-1..1
            [Differentiable]
            public static double LocalJaggedRows(double[] x, double z)
            {
                var rows = new double[3][];
                for (var k = 0; k < 3; k++)
                {
                    rows[k] = new double[4];
                    for (var d = 0; d < 4; d++)
                    {
                        rows[k][d] = x[d] * (k + z);
                    }
                }

                var s = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    for (var k = 0; k < 3; k++)
                    {
                        var r = rows[(k + t) % 3];
                        for (var d = 0; d < 4; d++)
                        {
                            r[d] = Math.Sin(r[d] + s);
                            s += r[d] * z;
                        }
                    }
                }

                return s;
            }

            // domain: w[4]=-1..1 x[3]=-1..1 z=-1..1
            [Differentiable]
            public static double Rnn(double[] w, double[] x, double z)
            {
                var h = new double[2];
                h[0] = z;
                for (var t = 0; t < 3; t++)
                {
                    var hn = new double[2];
                    for (var k = 0; k < 2; k++)
                    {
                        hn[k] = Math.Tanh(w[k] * h[0] + w[k + 2] * h[1] + x[t]);
                    }

                    for (var k = 0; k < 2; k++)
                    {
                        h[k] = hn[k];
                    }
                }

                return h[0] * h[1] + h[1];
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double GrowingBuffer(double[] x, double z)
            {
                var buf = new double[1];
                buf[0] = z;
                var s = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < buf.Length; i++)
                    {
                        s = s * 0.5 + buf[i] * x[i];
                    }

                    buf = new double[buf.Length + 1];
                    for (var i = 0; i < buf.Length; i++)
                    {
                        buf[i] = x[i] * s + z;
                    }
                }

                return s + buf[buf.Length - 1];
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double ShrinkingBufferPrivate(double[] x, double z)
            {
                var buf = new double[6];
                var total = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < buf.Length; i++)
                    {
                        buf[i] = x[i] * z + t;
                    }

                    for (var i = 0; i < buf.Length; i++)
                    {
                        var v = buf[i] * buf[(i + 1) % buf.Length];
                        total += v * v;
                    }

                    buf = new double[buf.Length - 2];
                }

                return total;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double TupleCallInInnermost(double[] x, double z)
            {
                var u = z;
                var w = 1.0;
                for (var i = 0; i < x.Length; i++)
                {
                    (u, w) = G.Split(x[i], u + w * 0.5);
                }

                return u + w * z;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double TupleDeclarationPrivate(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var (p, q) = G.Split(x[i], z);
                    sum += p * q + p;
                }

                return sum;
            }

            // ---- (2) iteration-private adjoints assigned ----

            // domain: x[5]=-1..1
            [Differentiable]
            public static double FirstIterationDiffers(double[] x)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = i == 0 ? x[0] : x[i] * x[i - 1];
                    sum += v * v + v;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double DeclaredThenBranches(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    double v;
                    if (x[i] > 0.0)
                    {
                        v = x[i] * z;
                    }
                    else
                    {
                        v = z - x[i];
                    }

                    sum += v * v;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double WrittenOnlyInBranch(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = z;
                    if (x[i] > 0.0)
                    {
                        v = x[i] * v;
                    }

                    sum += v * v * x[i];
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double SwappedPrivates(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var a = x[i] * z;
                    var b = x[i] + z;
                    (a, b) = (b, a * b);
                    sum += a * b + a;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double TempSwappedPrivates(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var a = x[i] * z;
                    var b = x[i] + z;
                    var t = a;
                    a = b;
                    b = t * a;
                    sum += a * b + a;
                }

                return sum;
            }

            // domain: x[6]=-1..1 z=-1..1
            [Differentiable]
            public static double NestedConditionalWrite(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i];
                    for (var j = 0; j < 3; j++)
                    {
                        if (j == i % 3)
                        {
                            v = v * z + x[j];
                        }
                    }

                    sum += v * v;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double Reused(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i] * z;
                    sum += v;
                    v = v * v;
                    sum += v * z;
                    v += x[i];
                    v *= z;
                    sum += v;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double NBody(double[] x, double z)
            {
                var e = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = i + 1; j < x.Length; j++)
                    {
                        var d = x[i] - x[j];
                        var r2 = d * d + z * z + 0.1;
                        e += 1.0 / Math.Sqrt(r2);
                    }
                }

                return e;
            }

            // domain: x[4]=-1..1 z=-1..1
            [Differentiable]
            public static double InnerZeroTripsFirst(double[] x, double z)
            {
                var sum = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < t; i++)
                    {
                        var v = x[i] * z + t;
                        sum += v * v;
                    }
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateAndScratch(double[] x, double z)
            {
                var sum = 0.0;
                var tmp = new double[2];
                for (var i = 0; i < x.Length; i++)
                {
                    tmp[0] = x[i] * z;
                    tmp[1] = x[i] + z;
                    var v = tmp[0] * tmp[1];
                    var w = v * tmp[0];
                    sum += w + v * v;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateViaHelper(double[] x, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = Mul(x[i], z);
                    v = Mul(v, v);
                    sum += v;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static float RosenbrockFloatScaled(float[] x, float z)
            {
                var sum = 0f;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var valley = x[i + 1] - (x[i] * x[i]);
                    var slope = 1f - x[i];
                    valley *= z;
                    sum += (10f * valley * valley) + (slope * slope);
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double WhileLoopPrivate(double[] x, double z)
            {
                var sum = 0.0;
                var i = 0;
                while (i < x.Length)
                {
                    var v = x[i] * z;
                    i++;
                    sum += v * v;
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double DoLoopPrivate(double[] x, double z)
            {
                var sum = 0.0;
                var i = 0;
                do
                {
                    var v = x[i] * z;
                    sum += v * v * x[i];
                    i++;
                }
                while (i < x.Length);

                return sum;
            }
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable]
            public static double NestedLinearAccumulator(double[] a, double z)
            {
                var total = 0.0;
                for (var n = 0; n < 3; n++)
                {
                    var inner = 0.0;
                    for (var k = 0; k < a.Length; k++)
                    {
                        var d = a[k] - z * n;
                        inner += d * d * a[(k + n) % a.Length];
                    }

                    total += inner * z - inner;
                }

                return total;
            }

            // domain: a[4]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateIsInnerAccumulatorTwice(double[] a, double z)
            {
                var total = 0.0;
                for (var n = 0; n < 3; n++)
                {
                    var inner = z;
                    for (var k = 0; k < a.Length; k++)
                    {
                        inner += a[k] * a[k];
                    }

                    total += inner;
                    inner = inner * 2.0;
                    for (var k = 0; k < a.Length; k++)
                    {
                        inner -= a[k] * z;
                    }

                    total += inner * 3.0;
                }

                return total;
            }

            // domain: a[6]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateMaxAbs(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i] * z;
                    v = Math.Max(v, a[(i + 1) % a.Length]);
                    v = Math.Abs(v) * v;
                    sum += v > 0.1 ? v : -v * z;
                }

                return sum;
            }

            // domain: a[5]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateMinusAssign(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i] * z;
                    var w = z - v;
                    sum -= w * w - v;
                    sum -= (v - z) * a[i];
                }

                return sum;
            }

            // domain: a[5]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateInBothLoopsSameName(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i] * z;
                    sum += v * v;
                }

                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i] + z;
                    sum += v * v * v;
                }

                return sum;
            }

            // domain: a[5]=-1..1 z=-1..1
            [Differentiable]
            public static double RosenGenericCaller(double[] a, double z) => G.RosenGeneric<double>(a, z);

            // domain: a[5]=-1..1 z=-1..1 n=0..5
            [Differentiable]
            public static double PrivateScaledBySeedPath(double[] a, double z, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var v = a[i] * z;
                    sum += v * v;
                }

                return sum / (z * z + 1.0) + z;
            }

            // domain: a[5]=-1..1 z=-1..1
            [Differentiable]
            public static double PrivateReadInNestedFusedOnly(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var v = a[i] * z;
                    for (var k = 0; k < 2; k++)
                    {
                        sum += v * a[k];
                    }
                }

                return sum;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double ForeachPrivate(double[] x, double z)
            {
                var sum = 0.0;
                foreach (var xi in x)
                {
                    var v = xi * z;
                    sum += v * v + xi;
                }

                return sum;
            }

            // domain: a[3x4]=-1..1 z=-1..1
            [Differentiable]
            public static double ForeachJaggedRows(double[][] a, double z)
            {
                var s = z;
                foreach (var row in a)
                {
                    for (var j = 0; j < row.Length; j++)
                    {
                        s = Math.Sin(s * row[j] + z);
                    }
                }

                return s;
            }

            // domain: s[5]=-1..1 z=-1..1
            [Differentiable]
            public static double SpanPrivate(ReadOnlySpan<double> s, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < s.Length; i++)
                {
                    var v = s[i] * z;
                    var w = v * s[(i + 1) % s.Length];
                    sum += w * w + v;
                }

                return sum;
            }

            // domain: a[4]=-1..1 _a[4]=-1..1 z=-1..1
            [Differentiable]
            public static double CopyNamesCollide(double[] a, double[] _a, double z)
            {
                var _a_1 = z;
                var __a = 0.5;
                for (var i = 0; i < 4; i++)
                {
                    _a_1 = _a_1 * a[i] + _a[i] * __a;
                    __a = __a * z + a[(i + 1) % 4];
                }

                return _a_1 + __a;
            }

            // domain: x[5]=-1..1 z=-1..1
            [Differentiable]
            public static double AdjointNamesCollide(double[] x, double z)
            {
                var sum = 0.0;
                var dv = z * 0.5;
                for (var i = 0; i < x.Length; i++)
                {
                    var v = x[i] * z;
                    var dV = v * dv;
                    sum += v * v + dV;
                }

                return sum;
            }

            // ---- Hessian and Tangent (reverse-over-forward runs the same loop optimisations) ----

            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessRecurrent(double[] a, double z)
            {
                var h = new double[5];
                h[0] = z;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        h[i + 1] = Math.Tanh(a[i] * h[i] + h[i + 1] * z);
                    }

                    h[0] = h[4] * a[t];
                }

                var s = 0.0;
                for (var i = 0; i < 5; i++)
                {
                    s += h[i] * h[i] * a[i % 4];
                }

                return s;
            }

            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessRosen(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var valley = a[i + 1] - (a[i] * a[i] * z);
                    var slope = z - a[i];
                    sum += (10.0 * valley * valley) + (slope * slope * a[i + 1]);
                }

                return sum;
            }

            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessNestedPrivate(double[] a, double z)
            {
                var total = 0.0;
                for (var n = 0; n < 3; n++)
                {
                    var inner = 0.0;
                    for (var k = 0; k < a.Length; k++)
                    {
                        var d = a[k] - z * n;
                        var e = Math.Exp(-d * d);
                        inner += e * a[(k + n) % a.Length];
                    }

                    total += Math.Log(inner * inner + 1.0);
                }

                return total;
            }

            public static double[] GradOf(string name, double[] a, double z)
            {
                var g = new double[a.Length + 1];
                var ga = new double[a.Length];
                double gz = 0.0;
                _ = name switch
                {
                    "HessRecurrent" => HessRecurrentBackward(a, z, ga, ref gz),
                    "HessRosen" => HessRosenBackward(a, z, ga, ref gz),
                    _ => HessNestedPrivateBackward(a, z, ga, ref gz),
                };
                ga.CopyTo(g, 0);
                g[a.Length] = gz;
                return g;
            }

            public static double[] HessianOf(string name, double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                switch (name)
                {
                    case "HessRecurrent": HessRecurrentHessian(a, z, h); break;
                    case "HessRosen": HessRosenHessian(a, z, h); break;
                    default: HessNestedPrivateHessian(a, z, h); break;
                }

                return h;
            }

            public static double TangentOf(string name, double[] a, double z, double[] da, double dz) => name switch
            {
                "HessRecurrent" => HessRecurrentTangent(a, z, da, dz).Tangent,
                "HessRosen" => HessRosenTangent(a, z, da, dz).Tangent,
                _ => HessNestedPrivateTangent(a, z, da, dz).Tangent,
            };
        }
        """;

    /// <summary>Callees the harness cannot drive itself (generic, tuple-returning), compiled with the batch and reached through S.</summary>
    private const string GenericSource = """
        using System;
        using StaticGrad;

        namespace ReviewSpeed14;

        public static partial class G
        {
            [Differentiable]
            public static (double, double) Split(double p, double q) => (p * q, p + q);

            [Differentiable]
            public static T RosenGeneric<T>(T[] a, T z) where T : System.Numerics.IFloatingPointIeee754<T>
            {
                var sum = T.Zero;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var valley = a[i + 1] - (a[i] * a[i] * z);
                    var slope = T.One - a[i];
                    sum += (valley * valley) + (slope * slope);
                }

                return sum;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, GenericSource }, s_methods));

    private static readonly HashSet<string> s_refused = new(StringComparer.Ordinal)
    {
        "S.JaggedRowReassigned", "S.TupleSwapArrays", "S.TempSwapArrays", "S.BranchReassign", "S.OuterReassign",
        "S.LocalAlias", "S.SpanSlice", "S.ConditionalArray",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Speed14_gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.Refusals.TryGetValue(key, out var refusals);
        if (s_refused.Contains(key))
        {
            // An array local that is not a fresh 'new T[n]' (aliasing, swaps, slices, reassigned rows): refused as on
            // main, so no block-local copy of its reference can go stale.
            Assert.True(refusals is { Count: > 0 }, key + " accepted");
            return;
        }

        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// The dense Hessian (reverse over forward) against central differences of the Backward gradient (step 1e-5,
    /// |H − fd| ≤ 1e-5·max(1,|fd|)), and the Tangent against the gradient's dot product with a direction (1e-9 relative).
    /// </summary>
    [Theory]
    [InlineData("HessRecurrent")]
    [InlineData("HessRosen")]
    [InlineData("HessNestedPrivate")]
    public void Speed14_hessian_and_tangent_match(string name)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("ReviewSpeed14.S")!;
        double[] Grad(double[] a, double z) => (double[])type.GetMethod("GradOf")!.Invoke(null, new object[] { name, a, z })!;
        var random = new Random(name.Length * 7919);
        for (var point = 0; point < 3; point++)
        {
            var a = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var z = random.NextDouble() * 2 - 1;
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
                    if (Math.Abs(hessian[i * n + j] - fd) > 1e-5 * Math.Max(1, Math.Abs(fd)))
                    {
                        problems.Add($"H[{i},{j}] = {hessian[i * n + j]:R}, fd {fd:R}");
                    }
                }
            }

            var da = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var dz = random.NextDouble() * 2 - 1;
            var g = Grad(a, z);
            var expected = da.Select((d, i) => d * g[i]).Sum() + dz * g[a.Length];
            var tangent = (double)type.GetMethod("TangentOf")!.Invoke(null, new object[] { name, a, z, da, dz })!;
            if (Math.Abs(tangent - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
            {
                problems.Add($"tangent {tangent:R}, gradient·direction {expected:R}");
            }

            Assert.True(problems.Count == 0, name + " at a=[" + string.Join(", ", a) + "], z=" + z + ":\n" + string.Join("\n", problems));
        }
    }
}
