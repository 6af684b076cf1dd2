using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 17's loop changes (3ddf437..5c1d13a): gmm17 (saves under two or more counted loops of
/// a fused iteration go to slots numbered by the loops' indices, <c>ReverseModeTransformer.IterationSlots.cs</c>),
/// loops17 (an innermost reduction loop inside a fused iteration fused too, <c>ReductionFusion.InnerLoops.cs</c>; first
/// writes into a fresh array save nothing, <c>ArrayRegions.FirstWrites.cs</c>) and div17's quotient rule from the
/// statement's target. (1) Slots: triangular and array-read bounds, a while that looks counted, a stepped-by-two index,
/// break/continue in the slotted loop, zero/one trips, two fused loops, the slotted variable read after the loop,
/// recursion and a slotted callee inside the loop, a throwing guard, float, [NoGrad], hostile names. (2) Inner fusion:
/// nonlinear accumulators, the accumulator read inside, an inner loop reading what the outer body stores afterwards,
/// accumulators feeding each other, an inner counter carried across inner iterations. (3) First writes: written then
/// read then written, under a branch, partially, through an alias, by a helper, Array.Fill before, a span, written in
/// a second loop. (4) Quotients: the divisor overwritten by the quotient.
/// One compiled batch; each Backward compared against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>).
/// </summary>
public sealed class Session17LoopsAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review17;

        public static partial class S
        {
            // GMM's row with the component loop's bound a parameter and the row loop's bound d - c (changes per c).
            // domain: q[12]=-1..1 x[6]=-1..1 d=3..3 k=2..2
            [Differentiable]
            public static double TriangularRow(double[] q, double[] x, int d, int k)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        var norm = 0.0;
                        for (var j = 0; j < d - c; j++)
                        {
                            var row = q[(c * 6) + j] * x[(i * d) + j];
                            row = Math.Sin(row * row + x[i]);
                            norm += row * row;
                        }

                        total += Math.Exp(-0.5 * norm);
                    }
                }

                return total;
            }

            // A while that looks counted inside, the slotted value saved twice (row reassigned from itself).
            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double WhileLooksCounted(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    var c = 0;
                    while (c < 2)
                    {
                        var j = 0;
                        while (j < d)
                        {
                            var row = a[c + j] * x;
                            row = Math.Sin(row) * row;
                            row = Math.Cos(row + a[i]);
                            total += row * row;
                            j = j + 1;
                        }

                        c = c + 1;
                    }
                }

                return total;
            }

            // Index stepped by two: the slot of j = 0, 2, 4 within extent d.
            // domain: a[10]=-1..1 x=-1..1 d=5..5
            [Differentiable]
            public static double SteppedByTwo(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j += 2)
                        {
                            var row = Math.Sin(a[c + j] * x + i);
                            row = row * row * x;
                            total += Math.Exp(row);
                        }
                    }
                }

                return total;
            }

            // Index changed in the body as well as the step.
            // domain: a[10]=-1..1 x=-1..1 d=6..6
            [Differentiable]
            public static double IndexModifiedInBody(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * row + x;
                            total += Math.Exp(row);
                            if (a[j] > 0.0)
                            {
                                j++;
                            }
                        }
                    }
                }

                return total;
            }

            // Bound read from an array.
            // domain: a[8]=-1..1 x=-1..1 n[2]=1..4
            [Differentiable]
            public static double BoundFromArray(double[] a, double x, [NoGrad] double[] n)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < (int)n[c]; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * row;
                            total += Math.Exp(row);
                        }
                    }
                }

                return total;
            }

            // Break and continue in the innermost slotted loop, 0 and 1 trips of the middle one.
            // domain: a[8]=-1..1 x=-1..1 d=3..3 k=0..1
            [Differentiable]
            public static double BreakContinueTrips(double[] a, double x, int d, int k)
            {
                var total = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            if (row > 0.5)
                            {
                                continue;
                            }

                            row = row * row;
                            total += Math.Exp(row);
                            if (row > 0.3)
                            {
                                break;
                            }
                        }
                    }

                    total += a[i] * x;
                }

                return total;
            }

            // Two fused loops in one method, each with a slotted row of the same name.
            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double TwoFusedLoops(double[] a, double x, int d)
            {
                var s = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * row;
                            s += Math.Exp(row);
                        }
                    }
                }

                var t = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 1; c < 3; c++)
                    {
                        for (var j = 1; j < d + 1; j++)
                        {
                            var row = Math.Cos(a[c + j] * x);
                            row = row * row * row;
                            t += Math.Log(1.5 + row);
                        }
                    }
                }

                return s * t;
            }

            // The slotted variable declared outside the fused loop and read after it.
            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double SlottedReadAfter(double[] a, double x, int d)
            {
                var total = 0.0;
                var row = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            row = Math.Sin(a[c + j] * x + i);
                            row = row * row;
                            total += Math.Exp(row);
                        }
                    }
                }

                return total * row + row * row;
            }

            // A slotted method called inside another's slotted loops (both rent while the other's buffer is live).
            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double CallsSlotted(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * Inner(a, row, d);
                            total += Math.Exp(row);
                        }
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double Inner(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Cos(a[c + j] + x);
                            row = row * row;
                            total += row;
                        }
                    }
                }

                return total;
            }

            // Recursion inside the slotted loops.
            // domain: a[8]=-1..1 x=-1..1 depth=0..2
            [Differentiable]
            public static double Recursive(double[] a, double x, int depth)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < 2; j++)
                        {
                            var row = Math.Sin(a[c + j + depth] * x);
                            if (depth > 0)
                            {
                                row = row + Math.Tanh(0.1 * Recursive(a, row, depth - 1));
                            }

                            row = row * row;
                            total += Math.Exp(0.1 * row);
                        }
                    }
                }

                return total;
            }

            // A guard that throws mid-loop (never for the domain), float, [NoGrad] weight.
            // domain: a[8]=-1..1 x=-1..1 w=0.5..2 d=3..3
            [Differentiable]
            public static float FloatGuard(float[] a, float x, [NoGrad] float w, int d)
            {
                var total = 0.0f;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = MathF.Sin(a[c + j] * x) * w;
                            if (float.IsNaN(row))
                            {
                                throw new ArgumentException("row");
                            }

                            row = row * row;
                            total += MathF.Exp(row);
                        }
                    }
                }

                return total;
            }

            // Names the slots emit and the slotted variable's buffer's stem.
            // domain: _slots[8]=-1..1 _s0=-1..1 d=3..3
            [Differentiable]
            public static double HostileSlotNames(double[] _slots, double _s0, int d)
            {
                var _rowSaved = 0.0;
                for (var _rowExit = 0; _rowExit < 2; _rowExit++)
                {
                    for (var row = 0; row < 2; row++)
                    {
                        for (var _row = 0; _row < d; _row++)
                        {
                            var __row = Math.Sin(_slots[row + _row] * _s0);
                            __row = __row * __row;
                            var _rowSaved_1 = __row * _s0;
                            _rowSaved_1 = Math.Sin(_rowSaved_1);
                            _rowSaved += Math.Exp(__row) + _rowSaved_1;
                        }
                    }
                }

                return _rowSaved;
            }

            // Non-negative start above the bound for some parameter values (extent clamped at zero), constant start 2.
            // domain: a[10]=-1..1 x=-1..1 d=1..4
            [Differentiable]
            public static double StartAboveBound(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 2; c < d; c++)
                    {
                        for (var j = 3; j < d + 2; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * row;
                            total += Math.Exp(row);
                        }
                    }
                }

                return total;
            }
        }

        public static partial class M
        {
            // Smallest: the outer of two slotted loops starts at 1 (slot index c - 1 * d + j).
            // domain: a[6]=-1..1 x=-1..1 d=2..2
            [Differentiable]
            public static double OuterStartOne(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 1; c < 3; c++)
                    {
                        for (var j = 0; j < d; j++)
                        {
                            var row = Math.Sin(a[c + j] * x);
                            row = row * row;
                            total += row;
                        }
                    }
                }

                return total;
            }
        }

        public struct Particle
        {
            public double X;
            public double V;
        }

        public static partial class P
        {
            // Struct fields first written, one of them written again in the same iteration, then a time loop.
            // domain: p[4]=-1..1 v[4]=-1..1 dt=0.1..0.3
            [Differentiable]
            public static double StructFields(double[] p, double[] v, double dt)
            {
                var ps = new Particle[4];
                for (var k = 0; k < 4; k++)
                {
                    ps[k].X = p[k];
                    ps[k].V = ps[k].X * v[k];
                    ps[k].X = ps[k].X + ps[k].V * dt;
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var k = 0; k < 4; k++)
                    {
                        ps[k].V = ps[k].V - dt * Math.Sin(ps[k].X);
                        ps[k].X = ps[k].X + dt * ps[k].V;
                    }
                }

                return ps[0].X * ps[1].V + ps[2].X * ps[3].X;
            }

            // Three slotted loops, the outer starting at 0, the inner two at 1 and 2.
            // domain: a[12]=-1..1 x=-1..1 d=3..3
            [Differentiable]
            public static double ThreeSlotted(double[] a, double x, int d)
            {
                var total = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        for (var j = 1; j < d; j++)
                        {
                            for (var l = 2; l < d + 1; l++)
                            {
                                var row = Math.Sin(a[c + j + l] * x);
                                row = row * row;
                                total += Math.Exp(row);
                            }
                        }
                    }
                }

                return total;
            }

            // n-body pair loop with the private written on one arm only (read on both).
            // domain: x[4]=-1..1
            [Differentiable]
            public static double PrivateOneArm(double[] x)
            {
                var potential = 0.0;
                var r = 0.5;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = i + 1; j < x.Length; j++)
                    {
                        if (x[j] > 0.0)
                        {
                            r = x[i] - x[j];
                        }

                        potential += r * r * r;
                    }
                }

                return potential;
            }
        }

        public static partial class N
        {
            // A while inner loop counted in its body, its index read by the outer body after it.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double WhileIndexAfter(double[] x)
            {
                var potential = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var j = i + 1;
                    while (j < x.Length)
                    {
                        var r = x[i] - x[j];
                        potential += Math.Sin(r * r);
                        j = j + 1;
                    }

                    potential += x[j - 1] * x[i];
                }

                return potential;
            }

            // n-body on a line, the accumulator nonlinear in the inner loop.
            // domain: x[4]=-2..2 m[4]=0.5..2
            [Differentiable]
            public static double Nonlinear(double[] x, [NoGrad] double[] m)
            {
                var potential = 0.5;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = i + 1; j < x.Length; j++)
                    {
                        var r = x[i] - x[j];
                        potential = potential * 0.9 + m[i] * m[j] / Math.Sqrt(r * r + 0.1);
                    }
                }

                return potential;
            }

            // The accumulator read inside the inner loop.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double AccumulatorRead(double[] x)
            {
                var s = 0.1;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        s += Math.Sin(x[i] * x[j]) * s;
                    }
                }

                return s;
            }

            // Math.Max accumulator in the inner loop.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double MaxAccumulator(double[] x)
            {
                var s = 0.0;
                var best = -10.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        best = Math.Max(best, x[i] * x[j] + 0.1 * j);
                        s += x[i] * x[j];
                    }
                }

                return s + best;
            }

            // An inner loop reading a local array the outer body stores into after it (a private per-iteration array reused).
            // domain: x[4]=-1..1
            [Differentiable]
            public static double InnerReadsLaterStore(double[] x)
            {
                var y = new double[4];
                var potential = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        potential += y[j] * x[j] + x[i] * x[j] * 0.1;
                    }

                    y[i] = Math.Sin(x[i]);
                }

                return potential;
            }

            // Inner reads a variable the outer body overwrites after the inner loop.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double InnerReadsLaterOverwrite(double[] x)
            {
                var potential = 0.0;
                var z = 0.3;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        potential += z * x[j];
                    }

                    z = Math.Cos(z * x[i]);
                }

                return potential;
            }

            // Two accumulators, one fed from the other.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double Feeding(double[] x)
            {
                var a = 0.0;
                var b = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var j = 0; j < x.Length; j++)
                    {
                        a += x[i] * x[j];
                        b += Math.Sin(a) * x[j];
                    }
                }

                return a + b;
            }

            // A counter carried across inner iterations in the body (not the step), read before the inner loop.
            // domain: x[6]=-1..1
            [Differentiable]
            public static double CarriedCounter(double[] x)
            {
                var kinetic = 0.0;
                var potential = 0.0;
                var k = 0;
                for (var i = 0; i < 3; i++)
                {
                    kinetic += x[k] * x[k] * x[i];
                    k = 0;
                    for (var j = i + 1; j < 3; j++)
                    {
                        var r = x[i] - x[j + k];
                        potential -= 1.0 / Math.Sqrt(r * r + 0.1);
                        k = k + 1;
                    }
                }

                return kinetic + potential;
            }

            // Inner bound from an array read, a private squared inside, the index read by the outer body after.
            // domain: x[4]=-1..1 n[4]=0..4
            [Differentiable]
            public static double IndexReadAfter(double[] x, [NoGrad] double[] n)
            {
                var potential = 0.0;
                var j = 0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (j = 0; j < (int)n[i]; j++)
                    {
                        var r = x[i] - x[j];
                        potential += r * r * r;
                    }

                    potential += x[j % 4] * x[i];
                }

                return potential;
            }

            // n-body in 3D with double[] coordinates, kinetic and potential, a softening read from a [NoGrad] parameter.
            // domain: p[9]=-2..2 v[9]=-1..1 m[3]=0.5..2 eps=0.1..0.2
            [Differentiable]
            public static double NBody3(double[] p, double[] v, [NoGrad] double[] m, double eps)
            {
                var e = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    e += 0.5 * m[i] * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
                    for (var j = i + 1; j < 3; j++)
                    {
                        var dx = p[3 * i] - p[3 * j];
                        var dy = p[3 * i + 1] - p[3 * j + 1];
                        var dz = p[3 * i + 2] - p[3 * j + 2];
                        var r2 = dx * dx + dy * dy + dz * dz + eps;
                        e -= m[i] * m[j] / Math.Sqrt(r2);
                    }
                }

                return e;
            }

            // The inner loop's private also written before it and read after it by the outer body.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double PrivateAroundInner(double[] x)
            {
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    var r = x[i] * x[i];
                    for (var j = 0; j < x.Length; j++)
                    {
                        r = x[i] - x[j];
                        s += r * r * r;
                    }

                    s += r * x[i];
                }

                return s;
            }
        }

        public static partial class W
        {
            // Written, read, written again in the first-write loop.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double WriteReadWrite(double[] p, double x)
            {
                var a = new double[4];
                for (var k = 0; k < 4; k++)
                {
                    a[k] = p[k] * x;
                    var t = Math.Sin(a[k]);
                    a[k] = t * a[k];
                }

                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += a[k] * a[k];
                }

                return s;
            }

            // First write under a branch, then a direct one.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double BranchThenDirect(double[] p)
            {
                var a = new double[4];
                for (var k = 0; k < 4; k++)
                {
                    if (p[k] > 0.0)
                    {
                        a[k] = p[k] * p[k];
                    }

                    a[k] = a[k] + Math.Sin(p[k]);
                }

                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += a[k] * p[k];
                }

                return s;
            }

            // Only some elements written (k < 2), then the whole array read and written in a time loop.
            // domain: p[4]=-1..1 dt=0.1..0.3
            [Differentiable]
            public static double Partial(double[] p, double dt)
            {
                var a = new double[4];
                for (var k = 0; k < 2; k++)
                {
                    a[k] = p[k];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var k = 0; k < 4; k++)
                    {
                        a[k] = a[k] + dt * Math.Sin(a[(k + 1) % 4] + p[k]);
                    }
                }

                return a[0] * a[1] + a[2] * a[3] + a[3];
            }

            // Written through an alias.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double ThroughAlias(double[] p)
            {
                var a = new double[4];
                var b = a;
                for (var k = 0; k < 4; k++)
                {
                    a[k] = p[k] * p[k];
                }

                for (var k = 0; k < 4; k++)
                {
                    b[k] = b[k] * p[k] + a[(k + 1) % 4];
                }

                return a[0] + a[1] * a[2] + a[3];
            }

            // Array.Fill before the first-write loop, then the loop adds to the filled value.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double FillBefore(double[] p)
            {
                var a = new double[4];
                Array.Fill(a, 0.5);
                for (var k = 0; k < 4; k++)
                {
                    a[k] = a[k] * p[k];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var k = 0; k < 4; k++)
                    {
                        a[k] = Math.Sin(a[k]) + p[k];
                    }
                }

                return a[0] * a[1] + a[2] * a[3];
            }

            // A span over the fresh array writes it before the loop.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double SpanBefore(double[] p)
            {
                var a = new double[4];
                var s = a.AsSpan();
                s[2] = 3.0;
                for (var k = 0; k < 4; k++)
                {
                    a[k] = a[k] + p[k];
                }

                for (var k = 0; k < 4; k++)
                {
                    a[k] = a[k] * a[k];
                }

                return a[0] + a[1] + a[2] * p[0] + a[3];
            }

            // Written in the loop at the counter and once more at the counter's neighbour in the same iteration.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double NeighbourWrite(double[] p)
            {
                var a = new double[5];
                for (var k = 0; k < 4; k++)
                {
                    a[k] = a[k] + p[k];
                    a[k + 1] = p[k] * p[k];
                }

                for (var k = 0; k < 5; k++)
                {
                    a[k] = a[k] * a[k];
                }

                return a[0] + a[1] + a[2] + a[3] + a[4];
            }

            // The counted loop's counter starts from a parameter and the loop runs twice over overlapping elements? no: a
            // second first-write-looking loop after one that stored nothing, then a loop writing again.
            // domain: p[4]=-1..1 m=0..2
            [Differentiable]
            public static double CounterFromParameter(double[] p, int m)
            {
                var a = new double[6];
                for (var k = m; k < m + 4; k++)
                {
                    a[k] = a[k] + p[k - m];
                }

                for (var k = 0; k < 6; k++)
                {
                    a[k] = Math.Sin(a[k]) * a[k];
                }

                return a[0] + a[1] + a[2] + a[3] + a[4] + a[5];
            }

            // A jagged array of fresh rows, rows written then rewritten.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double JaggedFresh(double[] p)
            {
                var rows = new double[2][];
                rows[0] = new double[2];
                rows[1] = rows[0];
                for (var k = 0; k < 2; k++)
                {
                    rows[0][k] = p[k] * p[k + 2];
                }

                for (var k = 0; k < 2; k++)
                {
                    rows[1][k] = rows[1][k] + Math.Sin(p[k]);
                }

                return rows[0][0] * rows[0][1] + rows[1][1];
            }

            // Fresh array created inside the time loop vs outside: spring chain with a copy-in.
            // domain: p[4]=-1..1 v[4]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double SpringChain(double[] p, double[] v, double dt)
            {
                var x = new double[4];
                var u = new double[4];
                for (var k = 0; k < 4; k++)
                {
                    x[k] = p[k];
                    u[k] = v[k];
                }

                for (var t = 0; t < 3; t++)
                {
                    var f = new double[4];
                    for (var k = 1; k < 4; k++)
                    {
                        var s = x[k] - x[k - 1] - 1.0;
                        f[k] = f[k] - s;
                        f[k - 1] = f[k - 1] + s;
                    }

                    for (var k = 0; k < 4; k++)
                    {
                        u[k] = u[k] + dt * f[k];
                        x[k] = x[k] + dt * u[k];
                    }
                }

                return x[0] * x[3] + u[1] * u[2];
            }

            // LSTM-like: tanh(c) factor whose argument is overwritten later in the iteration.
            // domain: w[4]=-1..1 x[3]=-1..1
            [Differentiable]
            public static double LstmTanh(double[] w, double[] x)
            {
                var h = new double[2];
                var c = new double[2];
                for (var k = 0; k < 2; k++)
                {
                    c[k] = w[k];
                    h[k] = w[k + 2];
                }

                var loss = 0.0;
                for (var t = 0; t < 3; t++)
                {
                    for (var k = 0; k < 2; k++)
                    {
                        var g = Math.Tanh(w[k] * x[t] + h[k]);
                        var o = 1.0 / (1.0 + Math.Exp(-w[k + 2] * x[t]));
                        c[k] = c[k] * 0.5 + g;
                        h[k] = o * Math.Tanh(c[k]);
                        c[k] = c[k] * o;
                    }

                    loss += h[0] * h[1];
                }

                return loss;
            }
        }

        public static partial class Q
        {
            // The divisor overwritten by the quotient.
            // domain: u=0.5..2 v=0.5..2
            [Differentiable]
            public static double DivisorOverwritten(double u, double v)
            {
                v = u / v;
                return v * u;
            }

            // The quotient overwrites the dividend in one arm and the divisor in the other.
            // domain: u=0.5..2 v=0.5..2
            [Differentiable]
            public static double ArmsOverwrite(double u, double v)
            {
                var q = 0.0;
                if (u > 1.0)
                {
                    u = u / v;
                    q = u;
                }
                else
                {
                    v = u / v;
                    q = v * v;
                }

                return q * u + v;
            }

            // The quotient in a loop, the divisor the accumulated value.
            // domain: u=0.5..2 v=0.5..2
            [Differentiable]
            public static double LoopDivisor(double u, double v)
            {
                for (var i = 0; i < 3; i++)
                {
                    v = u / v + 0.1;
                    u = u / v;
                }

                return u + v;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>The cases expected refused with one error, its id and a fragment of its message (shapes outside the contract, not defects).</summary>
    private static readonly Dictionary<string, (string Id, string Fragment)> s_refused = new()
    {
        ["W.ThroughAlias"] = ("SG1010", "Local array 'b' is not created with 'new T[n]'"),
        ["W.SpanBefore"] = ("SG1010", "Local array 's' is not created with 'new T[n]'"),
        ["W.FillBefore"] = ("SG1002", "'a' is passed as a writable array or span"),
        ["W.JaggedFresh"] = ("SG1010", "Local array 'rows' is a jagged array whose rows are not all created with one length"),
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refused_with_one_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted\n" + (batch.GeneratedSource.TryGetValue(key, out var g) ? g : string.Empty));
        var (id, fragment) = s_refused[key];
        Assert.Single(reason.Split('\n'), line => line.Contains(id, StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }
}
