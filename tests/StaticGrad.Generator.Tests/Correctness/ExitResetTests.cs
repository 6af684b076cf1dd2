using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Loop indices set again instead of saved (issue 18, session 13): a counted loop's local index, written only by its
/// start and its increment and read only in the loop, is set to its exit value <c>Max(start, bound)</c> before the
/// loop's reverse, so the start saves nothing per outer iteration (GMM's rows and columns). Every method is checked
/// against central finite differences; the emitted shape is asserted: how many indices are set again, and how many
/// integers the tape still carries.
/// </summary>
public sealed class ExitResetTests
{
    private const int PointsPerFunction = 5;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Resets
        {
            // GMM's rows: the row index and the column index bounded by it are set again, the stride is restored.
            // domain: q[10]=-1..1 v[4]=-1..1 n=1..3
            [Differentiable]
            public static double Rows(double[] q, double[] v, int n)
            {
                var total = 0.0;
                for (var p = 0; p < n; p++)
                {
                    var norm = 0.0;
                    for (var j = 0; j < 4; j++)
                    {
                        var row = q[j] * v[j] * (p + 1);
                        var lower = 4 + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += q[lower] * v[col];
                            lower += 4 - col - 2;
                        }

                        norm += row * row;
                    }

                    total += Math.Log(1.0 + norm);
                }

                return total;
            }

            // A start above the bound (zero trips for the first rows), a bound that is an expression of the outer index.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double StartAboveBound(double[] a)
            {
                var s = 1.0;
                for (var i = 0; i < 5; i++)
                {
                    for (var k = 2; k < i + 1; k++)
                    {
                        s = s * a[k] + a[i] * s;
                    }

                    s = Math.Sin(s) + a[i];
                }

                return s;
            }

            // An index whose start is a parameter, in float.
            // domain: a[6]=-1..1 m=0..2
            [Differentiable]
            public static float ParameterStart(float[] a, int m)
            {
                var s = 0.5f;
                for (var t = 0; t < 3; t++)
                {
                    for (var k = m; k < a.Length; k++)
                    {
                        s = s * a[k] + 0.25f * s;
                    }

                    s = s * s;
                }

                return s;
            }

            // Indices that must be restored as before: read after the loop, a second conjunct, written twice.
            // domain: a[6]=-1..1
            [Differentiable]
            public static double Restored(double[] a)
            {
                var s = 1.0;
                for (var i = 0; i < 3; i++)
                {
                    var k = 0;
                    for (k = 0; k < 4; k++)
                    {
                        s = s * a[k] + 0.5 * s;
                    }

                    s = s * a[k];
                    for (var j = 0; j < 5 && s < 100.0; j++)
                    {
                        s = s * a[j] + 0.1 * s;
                    }

                    var h = 0;
                    h = 1;
                    for (h = 1; h < 4; h++)
                    {
                        s = s * a[h];
                    }
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

    /// <summary>How many loops' reverses set their index again, and how many integer pops the backward keeps.</summary>
    [Theory]
    // Rows: since session 16 the innermost col loop (GMM's row shape) is reversed in forward order from its start, so
    // neither its exit value nor lower's pop is needed; the j loop keeps its reset.
    [InlineData("Resets.Rows", 1, 0)]
    [InlineData("Resets.StartAboveBound", 1, 0)]
    [InlineData("Resets.ParameterStart", 1, 0)]
    [InlineData("Resets.Restored", 0, 6)]
    public void Backward_sets_indices_again(string key, int resets, int integerPops)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var body = source[source.IndexOf("// Forward sweep", StringComparison.Ordinal)..];
        var found = Regex.Matches(body, "// The index's exit value: its start saved nothing.").Count;
        var pops = Regex.Matches(body, @"PopInt(32|64)\(\)").Count;
        Assert.True(found == resets && pops == integerPops, $"{key}: {found} indices set again (expected {resets}), {pops} integer pops (expected {integerPops}).\n{body}");
    }
}
