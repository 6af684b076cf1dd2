using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 16 (issue 18): the argument locals of a struct-result call whose result overwrites the elements they read
/// (the spring chain's <c>particles[i] = Kick(particles[i], …)</c>) are read again right before the call's one
/// backward instead of saved. Right only while the arrays hold, at that point of the reverse, what they held when
/// the arguments were read; these methods break that one way at a time: the element read is the one overwritten, the
/// next iteration reads the element the previous one wrote, two written array parameters (each copied) and a
/// read-only one, a plain helper that writes the array through a static field (since the lead's 9ef5455 the call
/// handing it the array is one SG1002, <see cref="ArrayEscapeTests"/>), a callee handed an array, break/continue around the call, zero trips, nested loops, a [NoGrad] step and
/// user locals named like the generated ones. Compiled in one batch; each Backward compared against central finite
/// differences (tolerances of <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) plus the
/// rounding bound), and per method how many argument locals the reverse reads again at a call.
/// </summary>
public sealed class ArgumentsReadAgainAdversarialTests
{
    private const int PointsPerFunction = 3;

    // Not methods under test: a plain helper that writes an array bound to a static field, a particle struct and
    // two [Differentiable] struct-result callees compiled with the callers.
    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace ReadAgain16;

        public static class Store
        {
            public static M2[] Shared = new M2[16];

            public static int Bind(M2[] a)
            {
                Shared = a;
                return 0;
            }

            // Moves the element by one: the derivative the backward assumes stays right, the value does not.
            public static double Poke(int j)
            {
                Shared[j].X += 1.0;
                return 0.5;
            }
        }

        public struct M2
        {
            public double X;
            public double V;
        }

        public static partial class H
        {
            [Differentiable]
            public static M2 Kick(M2 m, double f, double dt)
            {
                var v = m.V + (dt * f * Math.Cos(m.X));
                return new M2 { X = m.X + (dt * v), V = v };
            }

            [Differentiable]
            public static (double X, double V) Step(double x, double v, double dt)
            {
                var next = v - (dt * Math.Sin(x));
                return (x + (dt * next), next);
            }
        }
        """;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReadAgain16;

        public static partial class L
        {
            // The spring chain's shape: each element replaced by the call that read it.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double InPlace(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < m.Length; i++)
                    {
                        m[i] = H.Kick(m[i], Math.Cos(m[i].X), dt);
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].X) + m[1].X;
            }

            // Each call reads its element and the next one and overwrites the next: iteration i + 1 reads what i wrote.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double WritesTheNextRead(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < m.Length; i++)
                    {
                        m[i + 1] = H.Kick(m[i], m[i + 1].X, dt);
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V);
            }

            // Tuple leaves stored into the elements the arguments read, of two written array parameters (each copied).
            // domain: a[3]=-1..1 b[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double TwoParameters(double[] a, double[] b, double dt)
            {
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(a[i], b[i], dt);
                        a[i] = r.X;
                        b[i] = r.V;
                    }
                }

                return (a[0] * b[1]) + (a[2] * b[2]) + a[1];
            }

            // Reads through a read-only parameter, writes a copy of another: the reads see none of the stores.
            // domain: a[3]=-1..1 q[3]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double ReadOnlyParameter(double[] a, double[] q, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        var r = H.Step(q[i] + a[i], q[(i + 1) % 3], dt);
                        a[i] = r.X * r.V;
                    }
                }

                return (a[0] * a[1]) + a[2];
            }

            // A plain helper moves the element between the argument's read and the call (through a static field): a
            // read again would see the moved value, so the arguments stay saved.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double StaticFieldWrite(double[] p, double dt)
            {
                var m = new M2[3];
                var b = Store.Bind(m);
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        m[i] = H.Kick(m[i], Store.Poke(i), dt);
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V) + b;
            }

            // continue before the call and break after it.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double BreakContinue(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        if (i == t)
                        {
                            continue;
                        }

                        m[i] = H.Kick(m[i], m[i].X * m[i].X, dt);
                        if (i == 2 && t == 1)
                        {
                            break;
                        }
                    }
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V);
            }

            // Zero trips of the calling loop (its bound is below its start), inside a loop that runs.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double ZeroTrips(double[] p, double dt)
            {
                var m = new M2[3];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < m.Length - 3; i++)
                    {
                        m[i] = H.Kick(m[i], 1.0, dt);
                    }

                    m[t].X = m[t].X * m[t].V;
                }

                return (m[0].X * m[1].V) + (m[2].X * m[2].V);
            }

            // Three loops deep, a [NoGrad] step, the index of an outer loop in the element read.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double Nested(double[] p, [NoGrad] double dt)
            {
                var m = new M2[6];
                for (var i = 0; i < 3; i++)
                {
                    m[i].X = p[2 * i];
                    m[3 + i].V = p[(2 * i) + 1];
                }

                for (var s = 0; s < 2; s++)
                {
                    for (var r = 0; r < 2; r++)
                    {
                        for (var i = 0; i < 3; i++)
                        {
                            m[(3 * r) + i] = H.Kick(m[(3 * r) + i], m[(3 * (1 - r)) + i].V, dt);
                        }
                    }
                }

                return (m[0].X * m[4].V) + (m[2].X * m[5].V) + m[3].X;
            }

            // User locals named like the generated ones.
            // domain: p[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double HostileNames(double[] p, double dt)
            {
                var _argument = new M2[3];
                var _argument_1 = 0.5;
                var _t1 = 1.0;
                for (var i = 0; i < 3; i++)
                {
                    _argument[i].X = p[2 * i];
                    _argument[i].V = p[(2 * i) + 1];
                }

                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        _argument[i] = H.Kick(_argument[i], _argument_1 * _t1, dt);
                        _t1 = _t1 * 0.9;
                    }
                }

                return (_argument[0].X * _argument[1].V) + (_argument[2].X * _t1);
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Key != "L.StaticFieldWrite"));

    [Fact]
    public void A_helper_keeping_the_array_is_refused_at_the_argument()
    {
        Assert.True(s_batch.Value.Failures.TryGetValue("L.StaticFieldWrite", out var reason), "L.StaticFieldWrite was accepted");
        Assert.Single(reason.Split('\n'), line => line.Contains("SG1002", StringComparison.Ordinal) && line.Contains("'Bind' keeps or writes its parameter 'a'", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many argument locals the reverse reads again right before a call's one backward.</summary>
    [Theory]
    [InlineData("L.InPlace", 2)]
    [InlineData("L.WritesTheNextRead", 3)]
    [InlineData("L.TwoParameters", 2)]
    [InlineData("L.ReadOnlyParameter", 1)]
    [InlineData("L.BreakContinue", 0)]
    [InlineData("L.ZeroTrips", 2)]
    [InlineData("L.Nested", 3)]
    [InlineData("L.HostileNames", 2)]
    public void Arguments_read_again_at_the_call(string key, int expected)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(expected == ReadAgainCount(source), $"{key}: {ReadAgainCount(source)} argument locals read again (expected {expected})\n{source}");
    }

    /// <summary>The assignments after each "arguments read again" comment, up to the next comment.</summary>
    internal static int ReadAgainCount(string source)
    {
        var count = 0;
        var inside = false;
        foreach (var line in source.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                inside = line.StartsWith("// The arguments read again", StringComparison.Ordinal);
            }
            else if (inside)
            {
                count++;
            }
        }

        return count;
    }
}
