using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 20's corpus20 (integer casts to enums and enum locals saved for the backward,
/// <c>foreach</c> over a static readonly array, local arrays of tuples with <c>foreach (var (a, b) in pairs)</c>).
/// Inputs that meet every stated condition but break an unstated assumption: enums with byte and long underlying types,
/// a <c>[Flags]</c> enum, out-of-range enum values reaching a default arm, a static readonly table whose elements are
/// written by a static constructor and by the user between calls (they are not constants), tuple arrays with named
/// elements in another order, tuples mixing an int and a double, and exceptions thrown mid-loop after enum locals were
/// saved (the next call must still give the right gradient). Inputs that just miss a condition must be refused with
/// one located error: nested tuple deconstruction, a discard, a conversion in the deconstruction, a double cast to an
/// enum. ONE compiled batch; every Backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>) and the primal's exceptions (type and message).
/// </summary>
public sealed class Session20EverydayFormsReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review20;

        public enum Small : byte { A, B, C = 200 }

        public enum Wide : long { A, B = 5_000_000_000L, C }

        [Flags]
        public enum Bits { None = 0, One = 1, Two = 2, Four = 4 }

        public enum Mode { Linear, Square, Cube }

        public readonly record struct Sample(double X, double W);

        public static partial class R
        {
            private static readonly double[] Table = { 1.0, 2.0, 3.0 };
            private static readonly double[] Built = MakeBuilt();
            private static readonly double[] Patched = { 1.0, 1.0, 1.0 };

            static R()
            {
                Patched[1] = 4.5;
            }

            private static double[] MakeBuilt()
            {
                var b = new double[4];
                for (var i = 0; i < b.Length; i++)
                    b[i] = 0.5 + (i * 0.25);
                return b;
            }

            /// <summary>The user writes the table between calls: its elements are NOT compile-time constants.</summary>
            public static void Poke(double v) => Table[0] = v;

            // domain: x=-1..1 k=0..2
            [Differentiable]
            public static double ByteEnum(double x, int k)
            {
                var v = x;
                for (var i = 0; i < 4; i++)
                {
                    if (i > k + 1) break;
                    var s = (Small)(i % 2 == 0 ? 200 : i);
                    v = s switch { Small.C => Math.Sin(v) + x, Small.B => v * v, _ => v * 0.5 };
                }

                return v;
            }

            // domain: x=-1..1 k=0..2
            [Differentiable]
            public static double LongEnum(double x, int k)
            {
                var v = x;
                var w = (Wide)(long)k;
                for (var i = 0; i < 4; i++)
                {
                    if (i > k) break;
                    v = w == Wide.A ? v * 1.5 + x : Math.Cos(v) * x;
                    w = (Wide)(5_000_000_000L + i);
                }

                return v + (w == Wide.C ? x : 0);
            }

            // domain: x=-1..1 mask=0..7
            [Differentiable]
            public static double FlagsEnum(double x, int mask)
            {
                var f = (Bits)mask;
                var v = x;
                if ((f & Bits.Two) != 0) v = v * v;
                return f == Bits.Four ? v * 3 : v;
            }

            // domain: x=-1..1 k=3..9
            [Differentiable]
            public static double OutOfRangeEnum(double x, int k)
            {
                var m = (Mode)k;
                return m switch
                {
                    Mode.Linear => x,
                    Mode.Square => x * x,
                    Mode.Cube => x * x * x,
                    _ => Math.Exp(x) * (int)m,
                };
            }

            // k = 3 throws on trip 4 (Exception_mid_loop_then_the_next_call_is_right).
            // domain: x=-1..1 k=0..2
            [Differentiable]
            public static double EnumSavedThenThrows(double x, int k)
            {
                var v = x;
                for (var i = 0; i < 6; i++)
                {
                    var m = (Mode)(i % 3);
                    if (i == 4 && k == 3) throw new InvalidOperationException("trip " + i + " k " + k);
                    if (i > k + 1) break;
                    v = m switch { Mode.Linear => v * 1.5 + x, Mode.Square => Math.Sin(v), _ => v * 0.5 + x * x };
                }

                return v;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double TableMutatedByUser(double x)
            {
                var s = 0.0;
                foreach (var t in Table)
                    s += Math.Sin(t * x) * t;
                return s;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double TableBuiltByMethod(double x)
            {
                var s = x;
                foreach (var t in Built)
                    s = s * t + Math.Cos(s * t);
                return s;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double TablePatchedByStaticConstructor(double x)
            {
                var s = 0.0;
                foreach (var t in Patched)
                    s += t * t * x * x + t * x;
                return s;
            }

            // n = 0..2 throws (Exception_mid_loop_then_the_next_call_is_right).
            // domain: x=-2..2 n=3..3
            [Differentiable]
            public static double TableThrowsMidLoop(double x, int n)
            {
                var s = 0.0;
                var i = 0;
                foreach (var t in Table)
                {
                    if (i == n) throw new ArgumentException("at " + i);
                    s += t * x * x;
                    i++;
                }

                return s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double NamedOtherOrder(double[] a)
            {
                var pairs = new (double W, double V)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i] * a[i], Math.Sin(a[i]));
                var s = 0.0;
                foreach (var (v, w) in pairs)
                    s += v * 3 + w * w * 7;
                return s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double IntAndDouble(double[] a)
            {
                var pairs = new (int K, double V)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (i + 1, a[i] * a[i]);
                var s = 0.0;
                foreach (var (k, v) in pairs)
                    s += k * v + Math.Exp(v / k);
                return s;
            }

            // domain: a[4]=-1..1 y=0.5..2
            [Differentiable]
            public static double ActiveAndInactive(double[] a, double y)
            {
                var pairs = new (double Active, double Constant)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i] * y, i * 0.5);
                var s = 0.0;
                foreach (var (p, c) in pairs)
                {
                    s += p * c + p * p;
                }

                foreach (var pair in pairs)
                    s += pair.Active * pair.Constant * y;
                return s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double TupleLoopOverwrites(double[] a)
            {
                var pairs = new (double X, double Y)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i], a[i] * 2);
                var s = 0.0;
                foreach (var (x, y) in pairs)
                {
                    var t = x * y;
                    var u = t + 1;
                    s += u * y + x;
                }

                return s;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double NestedTuple(double[] a)
            {
                var pairs = new (double A, (double B, double C) Tail)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i], (a[i] * 2, a[i] * 3));
                var s = 0.0;
                foreach (var (x, (y, z)) in pairs)
                    s += x * y * z;
                return s;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double Discard(double[] a)
            {
                var pairs = new (double A, double B)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i], a[i] * 2);
                var s = 0.0;
                foreach (var (x, _) in pairs)
                    s += x * x;
                return s;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double ConvertingDeconstruction(float[] a)
            {
                var pairs = new (float A, float B)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    pairs[i] = (a[i], a[i] * 2);
                var s = 0.0;
                foreach ((double x, double y) in pairs)
                    s += x * y;
                return s;
            }

            // domain: x=-1..1
            [Differentiable]
            public static double DoubleToEnum(double x)
            {
                var m = (Mode)x;
                return m == Mode.Linear ? x : x * x;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double RecordStructArray(double[] a)
            {
                var samples = new Sample[a.Length];
                for (var i = 0; i < a.Length; i++)
                    samples[i] = new Sample(a[i], a[i] * 2);
                var s = 0.0;
                foreach (var p in samples)
                    s += p.X * p.W;
                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>Just misses a stated condition: refused with one error at the offending construct.</summary>
    private static readonly Dictionary<string, (string Id, string Fragment)> s_refused = new()
    {
        ["R.NestedTuple"] = ("SG1002", "'foreach' deconstructions other than 'var (x, y)'"),
        ["R.Discard"] = ("SG1002", "'foreach' deconstructions other than 'var (x, y)'"),
        ["R.ConvertingDeconstruction"] = ("SG1002", "'foreach' deconstructions other than 'var (x, y)'"),
        ["R.DoubleToEnum"] = ("SG1002", "convert an integer"),

        // Operators on enums (a [Flags] mask test) stay outside the change (integer casts only): refused, loudly.
        ["R.FlagsEnum"] = ("SG1002", "'f & Bits.Two'"),
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key) && m.Key != "R.RecordStructArray"));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refused_with_one_located_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted");
        var (id, fragment) = s_refused[key];
        var errors = reason!.Split('\n').Where(line => line.Contains("(Error)", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, key + ": " + reason);
        Assert.Contains(errors, line => line.Contains(id, StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));
    }

    /// <summary>Each accepted method: its gradient against central differences, and no generator warning for it.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_and_no_warning(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
        var warnings = (s_batch.Value.GeneratorDiagnostics.GetValueOrDefault(key) ?? new()).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(warnings.Select(d => d.ToString()));
    }

    /// <summary>
    /// The user writes the static readonly table between calls: the gradient follows the table's current values
    /// (against central differences of the primal at each state), so no value was folded at compile time.
    /// </summary>
    [Fact]
    public void Table_written_between_calls_is_read_at_run_time()
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review20.R")!;
        var poke = type.GetMethod("Poke")!;
        try
        {
            foreach (var v in new[] { -3.0, 0.25, 7.5 })
            {
                poke.Invoke(null, new object[] { v });
                batch.AssertAcceptedAndGradientMatches("R.TableMutatedByUser", s_methods, PointsPerFunction);
                batch.AssertAcceptedAndGradientMatches("R.TableThrowsMidLoop", s_methods, PointsPerFunction);
            }
        }
        finally
        {
            poke.Invoke(null, new object[] { 1.0 });
        }
    }

    /// <summary>
    /// A user exception mid-loop after enum locals were saved for the backward (the enum stack keeps leftover entries):
    /// the backward throws what the method throws, and the next calls on the same thread still give the gradient of
    /// central differences, for every trip count, repeatedly.
    /// </summary>
    [Theory]
    [InlineData("R.EnumSavedThenThrows", 3.0)]
    [InlineData("R.TableThrowsMidLoop", 1.0)]
    public void Exception_mid_loop_then_the_next_call_is_right(string key, double throwing)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var loaded), key + ": " + batch.Failures.GetValueOrDefault(key));
        for (var round = 0; round < 3; round++)
        {
            var point = new[] { new[] { 0.3 + (0.1 * round) }, new[] { throwing } };
            var expected = Record.Exception(() => loaded!.Primal(FiniteDifferenceCheck.Copy(point)));
            Assert.NotNull(expected);
            var actual = Record.Exception(() => loaded!.Backward(FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Zeros(loaded.Method, point), 1.0));
            Assert.NotNull(actual);
            Assert.Equal(expected!.GetType(), actual!.GetType());
            Assert.Equal(expected.Message, actual.Message);
            batch.AssertGradientMatchesFiniteDifferences(loaded!.Method, PointsPerFunction);
        }
    }

    /// <summary>
    /// An array of a readonly record struct (a property per field, not writable) is refused with ONE error at the
    /// array, in user words (no stray '?' of a nullable annotation), naming the rewrite that works.
    /// </summary>
    [Fact]
    public void Record_struct_array_one_error_in_user_words()
    {
        var batch = s_batch.Value;
        const string key = "R.RecordStructArray";
        if (batch.Loaded.ContainsKey(key))
        {
            batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
            return;
        }

        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " neither loaded nor refused");
        var errors = reason!.Split('\n').Where(line => line.Contains("(Error)", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, key + ": " + reason);
        Assert.DoesNotContain("?", errors[0], StringComparison.Ordinal);
        Assert.Contains("line 271", errors[0], StringComparison.Ordinal);
        Assert.Contains("arrays of 'Sample'", errors[0], StringComparison.Ordinal);
        Assert.Contains("new (double X, double W)[n]", errors[0], StringComparison.Ordinal);
    }
}
