using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 17 (issue 18): a store that writes its field of a fresh array's element for the first time (in the first
/// top-level counted loop that stores into the array, at the loop's counter, before any other store of that field in
/// the iteration) overwrites the creation's zero, so it saves nothing and its reverse writes zero back, even when the
/// array is written again later (the spring chain's copy-in of its written parameter). These methods break the
/// conditions one at a time: the field written twice in one iteration, a store under a branch first, a store before
/// the loop, an index other than the counter, a break, the fill inside another loop, zero trips, a written array
/// parameter, [NoGrad] data, names equal to those the generator emits. Compiled in one batch; each Backward compared
/// against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>), and the values each
/// forward pushes counted.
/// </summary>
public sealed class FirstWriteAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewFirstWrites;

        public struct Q2
        {
            public double A;
            public double B;
        }

        public static partial class W
        {
            // The spring chain's copy-in: a written array parameter is copied into a fresh array, then written again.
            // domain: p[4]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double WrittenParameter(double[] p, double x)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < p.Length; i++)
                    {
                        p[i] = Math.Sin(p[i] * x) + p[(i + 1) % p.Length];
                    }
                }

                return p[0] * p[1] + p[3];
            }

            // Struct fields filled from the counter, then the whole array overwritten in a time loop.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double StructFill(double[] p, double dt)
            {
                var q = new Q2[3];
                for (var i = 0; i < 3; i++)
                {
                    q[i].A = p[2 * i];
                    q[i].B = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < q.Length; i++)
                    {
                        q[i].B = q[i].B - dt * Math.Sin(q[i].A);
                        q[i].A = q[i].A + dt * q[i].B;
                    }
                }

                return q[0].A * q[1].B + q[2].A * q[2].A;
            }

            // The same field written twice in one iteration: only the first write overwrites a zero.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double FieldTwice(double[] p)
            {
                var q = new Q2[p.Length];
                for (var i = 0; i < p.Length; i++)
                {
                    q[i].A = p[i];
                    q[i].B = q[i].A * 2.0;
                    q[i].A = Math.Cos(q[i].A * q[i].B);
                }

                for (var i = 0; i < p.Length; i++)
                {
                    q[i].A = q[i].A * q[i].B;
                }

                return q[0].A + q[1].A * q[3].B + q[2].A;
            }

            // A store under a branch comes first in the iteration: the stores after it are not first writes.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double BranchFirst(double[] p)
            {
                var a = new double[p.Length];
                for (var i = 0; i < p.Length; i++)
                {
                    if (p[i] > 0.0)
                    {
                        a[i] = p[i] * p[i];
                    }

                    a[i] = a[i] + Math.Exp(p[i]);
                }

                for (var i = 0; i < p.Length; i++)
                {
                    a[i] = a[i] * p[(i + 1) % p.Length];
                }

                return a[0] + a[1] * a[2] + a[3];
            }

            // A store before the filling loop: the element it wrote is not zero when the loop writes it.
            // domain: p[4]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double StoreBefore(double[] p, double x)
            {
                var a = new double[p.Length];
                a[1] = x * x;
                for (var i = 0; i < p.Length; i++)
                {
                    a[i] = a[i] + p[i] * x;
                }

                for (var i = 0; i < p.Length; i++)
                {
                    a[i] = Math.Sin(a[i]);
                }

                return a[0] + a[1] * a[2] + a[3];
            }

            // Written at another index than the counter: every element once, but not provably.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double OtherIndex(double[] p)
            {
                var a = new double[p.Length];
                for (var i = 0; i < p.Length; i++)
                {
                    a[p.Length - 1 - i] = p[i] * p[i];
                }

                for (var i = 0; i < p.Length; i++)
                {
                    a[i] = a[i] * a[(i + 1) % p.Length];
                }

                return a[0] + a[1] * a[2] + a[3];
            }

            // The fill left by a break, and a fill in a loop that runs twice (its second pass overwrites non-zeros).
            // domain: p[4]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double BreakAndRepeat(double[] p, double x)
            {
                var a = new double[p.Length];
                for (var i = 0; i < p.Length; i++)
                {
                    if (i == 3)
                    {
                        break;
                    }

                    a[i] = p[i] * x;
                }

                var b = new double[p.Length];
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < p.Length; i++)
                    {
                        b[i] = Math.Cos(b[i] + a[i] * p[i]);
                    }
                }

                return a[0] + b[1] * a[2] + b[3];
            }

            // Zero trips: n = 0 in the domain leaves the array at its zeros.
            // domain: p[4]=-1..1 n=0..4
            [Differentiable]
            public static double ZeroTrips(double[] p, int n)
            {
                var a = new double[4];
                for (var i = 0; i < n; i++)
                {
                    a[i] = p[i] * p[i];
                }

                for (var i = 0; i < 4; i++)
                {
                    a[i] = a[i] + Math.Sin(p[i]);
                }

                return a[0] + a[1] * a[2] + a[3];
            }

            // [NoGrad] data filled into the array, and user locals with the generator's names.
            // domain: p[4]=-1..1 d[4]=-1..1
            [Differentiable]
            public static double HostileNames(double[] p, [NoGrad] double[] d)
            {
                var _tape = new double[p.Length];
                var _s0 = 0.5;
                for (var _i = 0; _i < p.Length; _i++)
                {
                    _tape[_i] = p[_i] * d[_i];
                }

                for (var _i = 0; _i < p.Length; _i++)
                {
                    _tape[_i] = _tape[_i] * _s0 + p[_i];
                }

                return _tape[0] * _tape[1] + _tape[2] + _tape[3];
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>
    /// How many push sites each forward keeps: the fills of WrittenParameter, StructFill, FieldTwice, ZeroTrips and
    /// HostileNames pushed the creation's zeros before this session, one site per field they write first. StructFill's
    /// sin and BranchFirst's exp, factors of their partials, are pushed as kept values since session 18 (one site each).
    /// </summary>
    [Theory]
    [InlineData("W.WrittenParameter", 1)]
    [InlineData("W.StructFill", 3)]
    [InlineData("W.FieldTwice", 2)]
    [InlineData("W.BranchFirst", 5)]
    [InlineData("W.StoreBefore", 2)]
    [InlineData("W.OtherIndex", 2)]
    [InlineData("W.BreakAndRepeat", 4)]
    [InlineData("W.ZeroTrips", 1)]
    [InlineData("W.HostileNames", 1)]
    public void Push_sites(string key, int pushes)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var once = Infrastructure.ForwardRowCopies.WithoutSpanCopies(source);
        var pushCount = Regex.Matches(once, @"\.Push\(").Count;
        Assert.True(pushes == pushCount, $"{key}: {pushCount} push sites (expected {pushes})\n{source}");
    }
}
