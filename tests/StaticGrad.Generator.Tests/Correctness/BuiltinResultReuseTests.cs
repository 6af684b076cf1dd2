using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// The reverse sweep takes a <c>Math</c> call's value instead of calling it again (issue 6): from the statement's
/// target, from the stored element, or bound once per statement. Every method is checked against central finite
/// differences (tolerances of <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) plus the
/// rounding bound, float 2e-3), including the shapes where the value must not be taken from the target (it was
/// overwritten and not restored); where it is taken, the reverse sweep must not call the function again.
/// </summary>
public sealed class BuiltinResultReuseTests
{
    private const int PointsPerFunction = 4;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Reuse
        {
            // Statement position, outside loops: each partial reads the assigned local.
            // domain: x=0.5..2 y=-1..1
            [Differentiable]
            public static double StatementForms(double x, double y)
            {
                double s = Math.Sqrt(x);
                double c = Math.Cbrt(x + y * y + 1);
                double t = Math.Tan(0.5 * x);
                double e = Math.Exp(y);
                double h = Math.Tanh(x * y);
                double p = Math.Pow(x, y);
                double l = Math.Log(x + 2, y + 3);
                return s * c + t * e + h * x + p * l;
            }

            // A parameter reassigned once: its reverse restores it, so the value is copied first. Two inputs, so that
            // the backward is a reverse sweep (with one, it runs in forward mode: Forward/TangentBackward.cs).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ParameterReassigned(double x, double y)
            {
                x = Math.Exp(x);
                return x * x * y;
            }

            // In a loop, reading its target: saved on the tape, the value is copied before the pop.
            // domain: a[5]=-0.5..0.5 x=-1..1
            [Differentiable]
            public static double LoopSaved(double[] a, double x)
            {
                double v = x;
                for (int i = 0; i < a.Length; i++)
                    v = Math.Tanh(v * a[i] + x);
                return v;
            }

            // A loop local recomputed at the start of each reversed iteration.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double LoopRecomputed(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    var e = Math.Exp(a[i] * x);
                    s += e * a[i];
                }

                // Not linear in s, so the loop is not fused: its reverse runs as a second sweep that recomputes e.
                return s * s;
            }

            // Assigned in both branches: one is the first definition, the other is saved.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double BranchAssignments(double x, double y)
            {
                double t;
                if (x > y)
                    t = Math.Tanh(x * y);
                else
                    t = Math.Exp(x);
                return t * t + y;
            }

            // Overwritten and not restored (nothing reads v in the reverse sweep): the value cannot come from v.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double TargetOverwrittenUnsaved(double x, double y)
            {
                double v = Math.Exp(x);
                double r = v + y;
                v = Math.Sin(y);
                return r * 2 + v;
            }

            // A linear accumulation after the definition is not undone: the value cannot come from s.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double DefinitionThenLinearUpdates(double[] a, double x)
            {
                double s = Math.Exp(x);
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * x;
                return s * s;
            }

            // Store position: the element is read before its old value is restored.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double StoreTanh(double[] a, double x)
            {
                var h = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    h[i] = Math.Tanh(a[i] * x);
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += h[i] * h[i] * a[i];
                return s;
            }

            // The element is overwritten by a store that is not saved (nothing reads t): recomputed instead.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double StoreOverwrittenUnsaved(double[] a, double x)
            {
                var t = new double[a.Length];
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    t[i] = Math.Exp(a[i] * x);
                    t[i] = t[i] + x;
                    s += t[i];
                }

                return s;
            }

            // Nested: both factors' partials need exp's value (Monte-Carlo's terminal price).
            // domain: z[5]=-1..1 spot=0.5..2 sigma=0.1..0.5
            [Differentiable]
            public static double NestedProduct(double spot, double sigma, double[] z)
            {
                double payoff = 0;
                for (int i = 0; i < z.Length; i++)
                {
                    double terminal = spot * Math.Exp(sigma * z[i] - 0.5 * sigma * sigma);
                    payoff += terminal * terminal;
                }

                // Not linear in payoff, so the loop is not fused (a fused loop's reverse needs no recomputation).
                return payoff * payoff / z.Length;
            }

            // Nested: tanh three times (GELU), and a call inside another one's argument.
            // domain: x=-2..2 y=-1..1
            [Differentiable]
            public static double NestedGeluAndComposition(double x, double y) =>
                0.5 * x * (1 + Math.Tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
                + Math.Exp(Math.Tanh(y)) * Math.Tanh(y) * x
                + Math.Sqrt(x * x + 1) / Math.Sqrt(x * x + 1 + y * y);

            // Calls in branches of ?: are not bound before the branch (they may not have run).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ConditionalPositions(double x, double y) =>
                (x > y ? Math.Tanh(x) * Math.Exp(y) : Math.Exp(y) * y) + (Math.Cos(x) > 0.7 ? Math.Sqrt(x * x + 1) : Math.Exp(x * y) * Math.Exp(x * y));

            // A statement inside a branch of the method.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double InsideIf(double x, double y)
            {
                double r = y;
                if (x > 0)
                {
                    double t = Math.Tanh(x * y);
                    r = t * x + Math.Exp(t) * Math.Exp(t);
                }

                return r;
            }

            // domain: x=0.5..2 y=-1..1
            [Differentiable]
            public static float StatementFormsF(float x, float y)
            {
                float s = MathF.Sqrt(x);
                float t = MathF.Tanh(x * y);
                float e = MathF.Exp(y);
                float c = MathF.Cbrt(x + 1f);
                return s * t + e * x + c * y;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static float StoreAndNestedF(float[] a, float x)
            {
                var h = new float[a.Length];
                float s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    h[i] = MathF.Tanh(a[i] * x);
                    s += h[i] * h[i] + x * MathF.Exp(a[i] * x);
                }

                return s;
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
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>How many times the reverse sweep of a method's backward calls each function (binding included).</summary>
    [Theory]
    [InlineData("Reuse.StatementForms", "Sqrt", 0)]
    [InlineData("Reuse.StatementForms", "Cbrt", 0)]
    [InlineData("Reuse.StatementForms", "Tan", 0)]
    [InlineData("Reuse.StatementForms", "Exp", 0)]
    [InlineData("Reuse.StatementForms", "Tanh", 0)]
    [InlineData("Reuse.ParameterReassigned", "Exp", 0)]
    [InlineData("Reuse.LoopSaved", "Tanh", 0)]
    [InlineData("Reuse.LoopRecomputed", "Exp", 1)]
    [InlineData("Reuse.BranchAssignments", "Tanh", 0)]
    [InlineData("Reuse.BranchAssignments", "Exp", 0)]
    // Outside loops the forward sweep keeps the call's value in a local (kept Math values), so the overwritten or
    // updated target does not matter.
    [InlineData("Reuse.TargetOverwrittenUnsaved", "Exp", 0)]
    [InlineData("Reuse.DefinitionThenLinearUpdates", "Exp", 0)]
    [InlineData("Reuse.StoreTanh", "Tanh", 0)]
    // Inside loops a call's value the reverse reads is kept on the tape (session 18): the store's exp is popped.
    [InlineData("Reuse.StoreOverwrittenUnsaved", "Exp", 0)]
    // terminal is a loop local recomputed at the start of each reversed iteration (its exp); its statement's reverse
    // pops the kept exp for both factors' partials (session 18; it bound a second evaluation before).
    [InlineData("Reuse.NestedProduct", "Exp", 1)]
    // Tanh(y) occurs twice in the statement, so it is not kept: the reverse binds it once.
    [InlineData("Reuse.NestedGeluAndComposition", "Tanh", 1)]
    [InlineData("Reuse.NestedGeluAndComposition", "Exp", 1)]
    [InlineData("Reuse.NestedGeluAndComposition", "Sqrt", 0)]
    [InlineData("Reuse.InsideIf", "Tanh", 0)]
    [InlineData("Reuse.InsideIf", "Exp", 1)]
    [InlineData("Reuse.StatementFormsF", "Tanh", 0)]
    [InlineData("Reuse.StatementFormsF", "Sqrt", 0)]
    [InlineData("Reuse.StoreAndNestedF", "Tanh", 0)]
    [InlineData("Reuse.StoreAndNestedF", "Exp", 0)]
    public void Reverse_sweep_calls_the_function(string key, string function, int expected)
    {
        var batch = s_batch.Value;
        var source = batch.GeneratedSource[key];
        var start = source.IndexOf("// Reverse sweep", StringComparison.Ordinal);
        var end = source.IndexOf("return _result;", start, StringComparison.Ordinal);
        var reverse = source.Substring(start, end - start);
        var calls = Regex.Matches(reverse, @"global::System\.MathF?\." + function + @"\(").Count;
        Assert.True(calls == expected, $"{key}: the reverse sweep calls {function} {calls} times, expected {expected}.\n{reverse}");
    }
}
