using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 18's rosen18 (adjoint elements carried across fused iterations in locals,
/// <c>ReverseModeTransformer.CarriedElements.cs</c>): starts that are parameters or locals changed later, 0 and 1
/// trips, bounds that read arrays or change in the body, aliasing (a span and its array, overlapping slices), the
/// adjoint also updated before/after the loop, i − 1 reads of the carried array, float, <c>i</c> modified in the body,
/// nested loops, the loop inside an <c>if</c>, early returns, long and prefix/compound steps, hostile names, and the
/// Tangent/Hessian/Jacobian opt-ins. One compiled batch; each Backward compared against central finite differences
/// (tolerances of <see cref="FiniteDifferenceCheck"/>); the Hessian against central differences of the Backward
/// (h = 1e-5, |H − fd| ≤ 1e-5·max(1,|fd|)), the tangent against gradient·direction (1e-9 relative); the Jacobian with
/// <see cref="JacobianProbeCheck"/>.
/// <para>
/// Failing at ce6cc9b (kept as regression tests): <c>PaddedStart</c>, <c>MinusOneStartNextOnly</c> and
/// <c>StartKMinusOne</c>, loops counted from −1 (boundary padding) that never read <c>A[i]</c> at the first index:
/// the carried iteration's unconditional <c>dA[i] += _dAAt</c> runs at i = −1 and throws IndexOutOfRangeException
/// (before the change the update of <c>dA[i]</c> stayed under the user's <c>i &gt;= 0</c> guard, or was never written).
/// </para>
/// </summary>
public sealed class Session18CarriedAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review18;

        public static partial class R
        {
            // Exactly one trip (a[2]): the exit update at i = 1 after one iteration.
            // domain: a[2]=-1..1 w=0.5..2
            [Differentiable]
            public static double OneTrip(double[] a, double w)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (w * a[i] * a[i]);
                    s += v * v + a[i];
                }

                return s;
            }

            // Zero trips (a[1]): the exit update must not run.
            // domain: a[1]=-1..1 w=0.5..2
            [Differentiable]
            public static double ZeroTripsLength(double[] a, double w)
            {
                var s = a[0] * w;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (w * a[i]);
                    s += v * v;
                }

                return s;
            }

            // Start a parameter, 0 / 1 / 2 trips.
            // domain: a[4]=-1..1 k=1..3
            [Differentiable]
            public static double StartParamTrips(double[] a, int k)
            {
                var s = a[0] * a[1];
                for (var i = k; i < a.Length - 1; i++)
                {
                    s += Math.Sin(a[i + 1] * a[i]) + a[i + 1];
                }

                return s;
            }

            // Start a local that is changed after the loop (the exit guard must use the value it had).
            // domain: a[6]=-1..1
            [Differentiable]
            public static double StartLocalChangedLater(double[] a)
            {
                var k = 2;
                var s = 0.0;
                for (var i = k; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                k = 5;
                return s + a[k] * a[k - 4];
            }

            // Start a local computed from the length, the bound a local too.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double StartLocalComputed(double[] a)
            {
                var k = a.Length / 2 - 1;
                var m = a.Length - 1;
                var s = 0.0;
                for (var i = k; i < m; i++)
                {
                    s += Math.Exp(a[i + 1] - a[i]) * a[i];
                }

                return s;
            }

            // The bound read from a [NoGrad] array.
            // domain: a[6]=-1..1 n[1]=1..5
            [Differentiable]
            public static double BoundFromArray(double[] a, [NoGrad] double[] n)
            {
                var s = 0.0;
                for (var i = 0; i < (int)n[0]; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // The bound a conjunction reading the carried array.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double BoundReadsCarried(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1 && a[i] < 0.8; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // The bound a local changed in the body.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double BoundChanges(double[] a)
            {
                var m = a.Length - 1;
                var s = 0.0;
                for (var i = 0; i < m; i++)
                {
                    var v = a[i + 1] * a[i];
                    s += v * v + a[i + 1];
                    if (a[i] > 0.4)
                    {
                        m = m - 1;
                    }
                }

                return s;
            }

            // The same array as two parameters, the second one shifted: a span and its array.
            // domain: x[6]=-1..1
            [Differentiable]
            public static double AliasSpanAndArray(double[] x) => PairSpan(x, x) + x[1];

            [Differentiable]
            public static double PairSpan(double[] a, ReadOnlySpan<double> b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = b[i + 1] - (a[i] * b[i]) + a[i + 1] * b[i + 1];
                    s += v * v;
                }

                return s;
            }

            // Overlapping slices: the callee's a[i + 1] is the caller's x[i + 2], its b[i] the caller's x[i].
            // domain: x[7]=-1..1
            [Differentiable]
            public static double OverlappingSlices(double[] x) => PairSpans(x.AsSpan(1), x) * 0.5;

            [Differentiable]
            public static double PairSpans(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * b[i + 1]) + b[i];
                    s += v * Math.Cos(v);
                }

                return s;
            }

            // A span parameter carried, float.
            // domain: a[6]=-1..1
            [Differentiable]
            public static float SpanFloat(ReadOnlySpan<float> a)
            {
                var s = 0f;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += (2f * v * v) + (1f - a[i]) * a[i + 1];
                }

                return s;
            }

            // The adjoint array updated before the loop and after it (other elements and the same ones).
            // domain: a[6]=-1..1
            [Differentiable]
            public static double UpdatedBeforeAndAfter(double[] a)
            {
                var t = a[1] * a[4] + a[a.Length - 1];
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * t);
                    s += v * v;
                }

                var last = a[a.Length - 1] * a[0];
                return s * last + t * a[2];
            }

            // A local array filled before the loop, carried, then written after it and read again.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double LocalCarriedWrittenAfter(double[] a)
            {
                var t = new double[a.Length];
                for (var k = 0; k < a.Length; k++)
                {
                    t[k] = Math.Sin(a[k]) * a[k];
                }

                var s = 0.0;
                for (var i = 0; i < t.Length - 1; i++)
                {
                    var v = t[i + 1] - (t[i] * t[i]);
                    s += v * v;
                }

                t[0] = s * t[1];
                t[5] = t[0] * t[5];
                return t[0] + t[5] + s;
            }

            // Two arrays; the carried one also read at i - 1 in another statement, the other at i + 1.
            // domain: a[7]=-1..1 b[7]=-1..1
            [Differentiable]
            public static double TwoArraysMinusOne(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 1; i < a.Length - 1; i++)
                {
                    var u = a[i + 1] * b[i] - a[i];
                    var p = a[i - 1] * b[i + 1] + b[i - 1] * a[i];
                    s += u * p;
                }

                return s;
            }

            // Float Rosenbrock with i - 1 and i + 2 reads.
            // domain: x[8]=-1..1
            [Differentiable]
            public static float FloatOffsets(float[] x)
            {
                var s = 0f;
                for (var i = 1; i < x.Length - 2; i++)
                {
                    var v = x[i + 1] - (x[i] * x[i - 1]) + (0.5f * x[i + 2]);
                    s += v * v;
                }

                return s;
            }

            // i modified in the body.
            // domain: a[8]=-1..1
            [Differentiable]
            public static double IndexModifiedInBody(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 2; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                    if (a[i] > 0.0)
                    {
                        i++;
                    }
                }

                return s;
            }

            // A fused inner loop in the carried iteration reading a[i] and a[i + 1] of the outer index.
            // domain: a[5]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double NestedFusedReadsOuter(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var w = a[i + 1] * 0.5;
                    for (var j = 0; j < b.Length; j++)
                    {
                        w += a[i + 1] * b[j] * a[i];
                    }

                    s += w * w;
                }

                return s;
            }

            // An inner loop (not a reduction) updating the outer a[i + 1] under a branch.
            // domain: a[5]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double NestedRecurrence(double[] a, double[] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var w = a[i + 1];
                    for (var j = 0; j < b.Length; j++)
                    {
                        if (b[j] > 0.0)
                        {
                            w = Math.Sin(w * a[i]) + a[i + 1];
                        }
                        else
                        {
                            w = w * b[j];
                        }
                    }

                    s += w * a[i];
                }

                return s;
            }

            // The carried loop inside an if, with an early return after it.
            // domain: a[6]=-1..1 c=-1..1
            [Differentiable]
            public static double InsideIfEarlyReturn(double[] a, double c)
            {
                if (c > 0.0)
                {
                    var s = 0.0;
                    for (var i = 0; i < a.Length - 1; i++)
                    {
                        var v = a[i + 1] - (c * a[i]);
                        s += v * v;
                    }

                    return s * c;
                }

                return a[0] * c;
            }

            // An early return after the loop at top level.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double EarlyReturnAfter(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] * a[i] - 0.25;
                    s += v * v;
                }

                if (s > 0.3)
                {
                    return s * a[5];
                }

                return s + a[0];
            }

            // Two carried loops over the same array, both indexed i.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double TwoLoopsSameArray(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    s += a[i + 1] * a[i] * a[i];
                }

                var r = 0.0;
                for (var i = 1; i < a.Length - 1; i++)
                {
                    r += Math.Cos(a[i + 1] - a[i]);
                }

                return s * r;
            }

            // A while loop whose index is read after it, and a do-while.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double WhileIndexReadAfter(double[] a)
            {
                var s = 0.0;
                var i = 0;
                while (i < a.Length - 1)
                {
                    s += a[i + 1] * Math.Sin(a[i]);
                    i = i + 1;
                }

                var t = 0.0;
                var j = 0;
                do
                {
                    t += a[j + 1] * a[j];
                    j++;
                }
                while (j < 3);

                return s * a[i] + t;
            }

            // A long index.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double LongIndex(double[] a)
            {
                var s = 0.0;
                for (long i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // ++i and i += 1 steps.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double PrefixAndCompoundSteps(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; ++i)
                {
                    s += a[1 + i] * a[i];
                }

                for (var i = 0; i < a.Length - 1; i += 1)
                {
                    s += Math.Exp(a[i + 1] * a[i]);
                }

                return s;
            }

            // Hostile names: parameters dx and dA, locals _dxAt, _dxNext, _ddxAt.
            // domain: x[6]=-1..1 dx[6]=-1..1 dA=0.5..2
            [Differentiable]
            public static double HostileNames(double[] x, double[] dx, double dA)
            {
                var _dxAt = 0.0;
                var _dxNext = 0.0;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var _ddxAt = x[i + 1] - (dx[i] * x[i]);
                    var _ddxNext = dx[i + 1] * dA;
                    _dxAt += _ddxAt * _ddxAt;
                    _dxNext += _ddxNext * x[i];
                }

                return _dxAt * _dxNext;
            }

            // Element read with an index that is i + 1 spelled i - (-1), and i + 2 spelled 2 + i.
            // domain: a[7]=-1..1
            [Differentiable]
            public static double OddSpellings(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 2; i++)
                {
                    var v = a[i + 1] - a[i - (-1)] * a[i] + a[2 + i];
                    s += v * v + a[i + 1];
                }

                return s;
            }

            // The element passed to a helper with ref-free double params, plus an element at i + 1 inside a lambda-free ternary.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double HelperAndTernary(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = Pow2(a[i + 1], a[i]);
                    s += a[i] > 0.0 ? v * a[i + 1] : v - a[i];
                }

                return s;
            }

            [Differentiable]
            public static double Pow2(double p, double q) => p * p - q;

            // The accumulator read nonlinearly after the loop, the array also updated in a later loop.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double LaterLoopSameArray(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    s += (a[i + 1] - a[i]) * (a[i + 1] + a[i]);
                }

                var t = new double[a.Length];
                for (var k = 0; k < a.Length; k++)
                {
                    t[k] = a[k] * s;
                }

                var u = 0.0;
                for (var k = 0; k < a.Length; k++)
                {
                    u += t[k] * a[k];
                }

                return u;
            }

            // Hessian and tangent on a carried loop.
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessCarried(double[] a, double z)
            {
                var sum = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var valley = a[i + 1] - (a[i] * a[i] * z);
                    sum += (10.0 * valley * valley) + (a[i] * a[i + 1] * z);
                }

                return sum;
            }

            // Hessian with a start parameter-free zero-trip guard and i - 1.
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Hessian = true, Forward = true)]
            public static double HessOffsets(double[] a, double z)
            {
                var sum = a[0] * z;
                for (var i = 1; i < a.Length - 1; i++)
                {
                    var d = a[i + 1] - (2.0 * a[i]) + a[i - 1] * z;
                    sum += d * d * a[i];
                }

                return sum;
            }

            // Jacobian opt-in on a carried loop (scalar result).
            // domain: a[5]=-1..1 z=-1..1
            [Differentiable(Jacobian = true)]
            public static (double S, double T) JacCarried(double[] a, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * z);
                    s += v * v;
                }

                return (s, s * z + a[0]);
            }

            // Boundary padding: the loop starts at -1 and reads a[i] only when i >= 0 (a real user's left neighbour).
            // domain: a[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double PaddedStart(double[] a, double w)
            {
                var s = 0.0;
                for (var i = -1; i < a.Length - 1; i++)
                {
                    var left = i >= 0 ? a[i] : 0.0;
                    var v = a[i + 1] - (w * left);
                    s += v * v;
                }

                return s;
            }

            // The loop starts at -1 and reads only a[i + 1] and a[i + 2] (the adjoint's element -1 is never read).
            // domain: a[6]=-1..1
            [Differentiable]
            public static double MinusOneStartNextOnly(double[] a)
            {
                var s = 0.0;
                for (var i = -1; i < a.Length - 2; i++)
                {
                    s += a[i + 1] * Math.Sin(a[i + 2]);
                }

                return s;
            }

            // The start a parameter minus one, k = 0: the loop starts at -1 and reads only a[i + 1].
            // domain: a[5]=-1..1 k=0..0
            [Differentiable]
            public static double StartKMinusOne(double[] a, int k)
            {
                var s = 0.0;
                for (var i = k - 1; i < a.Length - 1; i++)
                {
                    s += Math.Exp(a[i + 1]) * a[i + 1];
                }

                return s;
            }

            // The start a local named like the register copy of the index (_i), the index declared before the for.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double StartNamedUnderscoreI(double[] a)
            {
                var _i = 1;
                var s = 0.0;
                int i;
                for (i = _i; i < a.Length - 1; i++)
                {
                    var v = a[i + 1] - (a[i] * a[i]);
                    s += v * v;
                }

                return s + _i;
            }

            // Hostile names on a fused carried loop: the array x (adjoint dx), locals _dxAt and _dxNext read after the loop.
            // domain: x[6]=-1..1 dA=0.5..2
            [Differentiable]
            public static double HostileFused(double[] x, double dA)
            {
                var _dxAt = x[0] * dA;
                var _dxNext = x[1];
                var dx = 0.0;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var _daAt = x[i + 1] - (_dxAt * x[i]);
                    dx += _daAt * _daAt * _dxNext;
                }

                return dx + _dxAt * _dxNext;
            }

            // A jagged row as the carried array.
            // domain: m[2x5]=-1..1
            [Differentiable]
            public static double JaggedRow(double[][] m)
            {
                var row = m[1];
                var s = 0.0;
                for (var i = 0; i < row.Length - 1; i++)
                {
                    var v = row[i + 1] - (row[i] * m[0][i]);
                    s += v * v;
                }

                return s;
            }

            // A local array filled by a loop, then carried.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double LocalFilledThenCarried(double[] a)
            {
                var t = new double[a.Length];
                for (var k = 0; k < a.Length; k++)
                {
                    t[k] = Math.Sin(a[k]) * a[k];
                }

                var s = 0.0;
                for (var i = 0; i < t.Length - 1; i++)
                {
                    var v = t[i + 1] - (t[i] * a[i]);
                    s += v * v;
                }

                return s;
            }

            // The carried loop inside an if, linear result.
            // domain: a[6]=-1..1 c=-1..1
            [Differentiable]
            public static double InsideIfLinear(double[] a, double c)
            {
                var s = a[0];
                if (c > 0.0)
                {
                    for (var i = 0; i < a.Length - 1; i++)
                    {
                        var v = a[i + 1] - (c * a[i]);
                        s += v * v;
                    }
                }

                return s;
            }

            // A float array in double arithmetic (the shares are double expressions, the carried locals float).
            // domain: x[6]=-1..1
            [Differentiable]
            public static double FloatArrayDoubleMath(float[] x)
            {
                var s = 0.0;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    var v = (double)x[i + 1] - Math.Sin(x[i]);
                    s += v * v * x[i];
                }

                return s;
            }

            // A double array summed into a float accumulator.
            // domain: a[6]=-1..1
            [Differentiable]
            public static float DoubleArrayFloatSum(double[] a)
            {
                var s = 0f;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    s += (float)(a[i + 1] * a[i]) + (float)Math.Cos(a[i + 1]);
                }

                return s;
            }

            // A float span with Math calls and a float weight.
            // domain: x[6]=-1..1 w=0.5..1.5
            [Differentiable]
            public static float FloatSpanMath(ReadOnlySpan<float> x, float w)
            {
                var s = 0f;
                for (var i = 0; i < x.Length - 1; i++)
                {
                    s += (float)Math.Sin(x[i + 1] * x[i] * w) + MathF.Exp(x[i + 1] - x[i]);
                }

                return s;
            }

            public static double[] GradOf(string name, double[] a, double z)
            {
                var g = new double[a.Length + 1];
                var ga = new double[a.Length];
                double gz = 0.0;
                _ = name == "HessCarried" ? HessCarriedBackward(a, z, ga, ref gz) : HessOffsetsBackward(a, z, ga, ref gz);
                ga.CopyTo(g, 0);
                g[a.Length] = gz;
                return g;
            }

            public static double[] HessianOf(string name, double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                if (name == "HessCarried")
                {
                    HessCarriedHessian(a, z, h);
                }
                else
                {
                    HessOffsetsHessian(a, z, h);
                }

                return h;
            }

            public static double TangentOf(string name, double[] a, double z, double[] da, double dz) =>
                name == "HessCarried" ? HessCarriedTangent(a, z, da, dz).Tangent : HessOffsetsTangent(a, z, da, dz).Tangent;

            public static double[] JacValue(double[] p)
            {
                var (s, t) = JacCarried(p[..5], p[5]);
                return new[] { s, t };
            }

            public static double[] JacRows(double[] p)
            {
                var ds = new double[5];
                var dt = new double[5];
                double dsz = 0.0, dtz = 0.0;
                var (s, t) = JacCarriedJacobian(p[..5], p[5], ds, ref dsz, dt, ref dtz);
                var r = new double[2 + 12];
                r[0] = s;
                r[1] = t;
                ds.CopyTo(r, 2);
                r[7] = dsz;
                dt.CopyTo(r, 8);
                r[13] = dtz;
                return r;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>Methods with a tuple result, checked by their Jacobian probe instead.</summary>
    private static readonly HashSet<string> s_tuple = new(StringComparer.Ordinal) { "R.JacCarried" };

    /// <summary>Refused as before this change (outside the contract, not defects): long indices.</summary>
    private static readonly Dictionary<string, (string Id, string Fragment)> s_refused = new()
    {
        ["R.LongIndex"] = ("SG1002", "indices of type 'long' are not supported"),
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_tuple.Contains(m.Key) && !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refused_with_one_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted");
        var (id, fragment) = s_refused[key];
        Assert.Contains(reason.Split('\n'), line => line.Contains(id, StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));
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
    /// The dense Hessian (reverse over forward: the Jvp's backward carries the tangent array too) against central
    /// differences of the Backward gradient (h = 1e-5, |H − fd| ≤ 1e-5·max(1,|fd|)), and the Tangent against
    /// gradient·direction (1e-9 relative).
    /// </summary>
    [Theory]
    [InlineData("HessCarried")]
    [InlineData("HessOffsets")]
    public void Hessian_and_tangent_match(string name)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review18.R")!;
        double[] Grad(double[] a, double z) => (double[])type.GetMethod("GradOf")!.Invoke(null, new object[] { name, a, z })!;
        var random = new Random(name.Length * 7919);
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
                    if (Math.Abs(hessian[(i * n) + j] - fd) > 1e-5 * Math.Max(1, Math.Abs(fd)))
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
            if (Math.Abs(tangent - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
            {
                problems.Add($"tangent {tangent:R}, gradient·direction {expected:R}");
            }

            Assert.True(problems.Count == 0, name + " at a=[" + string.Join(", ", a) + "], z=" + z + ":\n" + string.Join("\n", problems));
        }
    }

    /// <summary>The Jacobian of a carried loop's two results against central differences (<see cref="JacobianProbeCheck"/>).</summary>
    [Fact]
    public void Jacobian_matches_central_finite_differences()
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review18.R")!;
        double[] Value(double[] p) => (double[])type.GetMethod("JacValue")!.Invoke(null, new object[] { p })!;
        double[] Rows(double[] p) => (double[])type.GetMethod("JacRows")!.Invoke(null, new object[] { p })!;
        var problems = JacobianProbeCheck.Problems("JacCarried", 18, Value, Rows, 6, 2, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The carried rewrite fires on the loops these cases aim at (so the cases exercise the new path).</summary>
    [Fact]
    public void Carries_the_targeted_loops()
    {
        var batch = s_batch.Value;
        var carried = batch.GeneratedSource.Where(p => p.Value.Contains("per iteration: the share of [i + 1] waits", StringComparison.Ordinal)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var missing = new[] { "R.OneTrip", "R.ZeroTripsLength", "R.StartParamTrips", "R.StartLocalChangedLater", "R.BoundFromArray", "R.BoundChanges", "R.PairSpan", "R.PairSpans", "R.SpanFloat", "R.TwoArraysMinusOne", "R.NestedRecurrence", "R.HessCarried" }
            .Where(k => !carried.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "not carried: " + string.Join(", ", missing));
    }
}
