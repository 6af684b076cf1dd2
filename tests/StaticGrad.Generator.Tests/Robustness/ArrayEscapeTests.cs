using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Arrays handed to methods without a derivative. The compiler differentiates a body as if the values in its arrays
/// changed only where the body writes them: the reverse sweep reads an element again instead of saving it when nothing
/// in the body overwrites it. A plain helper with its source here that writes its array parameter, or keeps the array
/// (a static field, a captured lambda, an object) so that a later call can write it, breaks that silently; such a call
/// is one SG1002 at the argument. Helpers that only read (elements, lengths, <c>foreach</c>, LINQ, passing it on to
/// another reading helper, a span parameter read by index) stay accepted, and their gradients are checked against
/// central finite differences (<see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) + rounding
/// bound). One compiled batch.
/// </summary>
public sealed class ArrayEscapeTests
{
    private const int PointsPerFunction = 3;

    // Not methods under test: plain helpers (no [Differentiable], no derivative rule).
    private const string Helpers = """
        using System;
        using System.Linq;

        namespace Escapes;

        public sealed class Box
        {
            public double[] Values = Array.Empty<double>();
        }

        public static class Keep
        {
            private static double[] s_kept = new double[8];
            private static Action? s_later;
            private static Box s_box = new();

            public static int Bind(double[] a)
            {
                s_kept = a;
                return a.Length;
            }

            public static int Poke(int j, double v)
            {
                s_kept[j] = v;
                s_later?.Invoke();
                s_box.Values[0] = s_box.Values.Length > 0 ? v : 0.0;
                return j;
            }

            public static int Overwrite(double[] a, int j)
            {
                a[j] = 2.0;
                return j;
            }

            public static int Capture(double[] a)
            {
                s_later = () => a[1] = 4.0;
                return 0;
            }

            public static int Boxed(double[] a)
            {
                s_box = new Box { Values = a };
                return 1;
            }

            public static int Forward(double[] a) => Bind(a);

            public static int ArgMax(double[] a)
            {
                var best = 0;
                for (var i = 1; i < a.Length; i++)
                {
                    if (a[i] > a[best])
                    {
                        best = i;
                    }
                }

                return best;
            }

            public static int Positive(double[] a)
            {
                var n = 0;
                foreach (var v in a)
                {
                    if (v > 0)
                    {
                        n++;
                    }
                }

                return n;
            }

            public static int CountAbove(double[] a, double t) => a.Count(v => v > t);

            public static int Guarded(double[] a)
            {
                ArgumentNullException.ThrowIfNull(a);
                return ArgMax(a);
            }

            public static int FirstNegative(Span<double> a)
            {
                for (var i = 0; i < a.Length; i++)
                {
                    if (a[i] < 0)
                    {
                        return i;
                    }
                }

                return -1;
            }

            public static void Print(double[] a)
            {
                if (a.Length > 100)
                {
                    Console.WriteLine(a[0]);
                }
            }
        }
        """;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Escapes;

        public static partial class E
        {
            // ---- refused: the helper writes or keeps the array ----

            // The reviewer's case of session 15: Bind keeps f in a static field, Poke writes f[1] after y read it.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double ChainStaticAlias(double x)
            {
                var f = new double[3];
                f[0] = x;
                f[1] = x * x;
                f[2] = Math.Sin(x);
                var k = Keep.Bind(f);
                var y = f[1] * x;
                var j = Keep.Poke(1, 5.0);
                return y + f[2] * (k + j);
            }

            // The same through the caller's own parameter array.
            // domain: p[3]=-1..1 x=0.2..1.5
            [Differentiable]
            public static double StaticAliasParameter(double[] p, double x)
            {
                var k = Keep.Bind(p);
                var y = p[0] * x * x;
                var j = Keep.Poke(0, 3.0);
                return y + (k * j * x);
            }

            // A value-returning helper that writes the element the reverse reads again.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double OverwriteValue(double x)
            {
                var f = new double[3];
                f[1] = Math.Exp(x);
                var y = f[1] * x;
                var j = Keep.Overwrite(f, 1);
                return y + j;
            }

            // Kept in a lambda that a later call runs.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double CapturedLambda(double x)
            {
                var f = new double[3];
                f[1] = Math.Cos(x);
                var k = Keep.Capture(f);
                var y = f[1] * x;
                var j = Keep.Poke(0, 1.0);
                return y + k + j;
            }

            // Kept in an object's field.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double KeptInObject(double x)
            {
                var f = new double[3];
                f[0] = x * x;
                var k = Keep.Boxed(f);
                var y = f[0] * x;
                var j = Keep.Poke(2, 1.0);
                return y + k + j;
            }

            // Handed on to a helper that keeps it.
            // domain: x=0.2..1.5
            [Differentiable]
            public static double KeptThroughAnother(double x)
            {
                var f = new double[3];
                f[1] = x * x;
                var k = Keep.Forward(f);
                var y = f[1] * x;
                var j = Keep.Poke(1, 5.0);
                return y + k + j;
            }

            // ---- accepted: the helper only reads ----

            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double PicksLargest(double[] p, double x)
            {
                var f = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    f[i] = Math.Sin(p[i] + x);
                }

                var k = Keep.ArgMax(f);
                return f[k] * x + p[Keep.ArgMax(p)];
            }

            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double CountsPositive(double[] p, double x)
            {
                var n = Keep.Positive(p) + Keep.CountAbove(p, 0.5);
                return (n + 1) * x * p[0] + Math.Tanh(p[1] * x);
            }

            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double GuardedRead(double[] p, double x)
            {
                var k = Keep.Guarded(p);
                var m = Keep.FirstNegative(p);
                return p[k] * x * x + (m + 2) * p[2];
            }

            // A void helper that only reads (its call is a statement: a log line).
            // domain: p[3]=-1..1 x=-1..1
            [Differentiable]
            public static double LogsArray(double[] p, double x)
            {
                var f = new double[3];
                f[0] = p[0] * x;
                Keep.Print(f);
                return f[0] * f[0] + p[1];
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    /// <summary>The cases refused with one SG1002 at the argument, and a fragment of its message.</summary>
    private static readonly Dictionary<string, string> s_refused = new()
    {
        ["E.ChainStaticAlias"] = "'Bind' keeps or writes its parameter 'a'",
        ["E.StaticAliasParameter"] = "'Bind' keeps or writes its parameter 'a'",
        ["E.OverwriteValue"] = "'Overwrite' keeps or writes its parameter 'a'",
        ["E.CapturedLambda"] = "'Capture' keeps or writes its parameter 'a'",
        ["E.KeptInObject"] = "'Boxed' keeps or writes its parameter 'a'",
        ["E.KeptThroughAnother"] = "'Forward' keeps or writes its parameter 'a'",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void A_helper_that_keeps_or_writes_the_array_is_one_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted");
        Assert.Contains("SG1002", reason, StringComparison.Ordinal);
        Assert.Contains(s_refused[key], reason, StringComparison.Ordinal);
        Assert.Single(reason.Split('\n'), line => line.Contains("SG1", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }
}
