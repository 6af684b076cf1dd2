using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// A local function whose last statement is a block ending in its return (<c>{ return u * u; }</c>,
/// <c>checked { return …; }</c>) is inlined like one ending in the return itself (session 25; it was refused as "return
/// before the last statement"): a block with locals, a checked block with an integer, calls in a loop. A return
/// inside a block before the end stays one located SG1002. Gradients against central differences
/// (<see cref="FiniteDifferenceCheck"/>: 1e-6·max(1, |fd|) + the rounding bound).
/// </summary>
public sealed class Session25LocalFunctionReturnTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace LocalReturns25;

        public static partial class L
        {
            // domain: x=0.5..2
            [Differentiable]
            public static double NestedBlock(double x)
            {
                double G(double u)
                {
                    {
                        return u * u;
                    }
                }

                return G(x) + x;
            }

            // domain: x=0.5..2
            [Differentiable]
            public static double CheckedBlock(double x)
            {
                double G(double u)
                {
                    checked
                    {
                        return u * Math.Sin(u);
                    }
                }

                return G(x) * 2.0;
            }

            // domain: x=0.5..2
            [Differentiable]
            public static double BlockWithLocals(double x)
            {
                double G(double u)
                {
                    var a = u * 2.0;
                    {
                        var t = a * u;
                        return t + Math.Exp(-u);
                    }
                }

                var s = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    s += G(x + i) * 0.5;
                }

                return s + G(x * x);
            }

            // domain: x=0.5..2
            [Differentiable]
            public static double CheckedIndex(double x)
            {
                double G(double u, int k)
                {
                    checked
                    {
                        var i = k + 1;
                        return u * i;
                    }
                }

                return G(x, 2) + G(x * x, 3);
            }

            // domain: x=0.5..2
            [Differentiable]
            public static double EarlyReturnInBlock(double x)
            {
                double G(double u)
                {
                    {
                        if (u > 1.0)
                        {
                            return u;
                        }
                    }

                    return u * u;
                }

                return G(x);
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Name != "EarlyReturnInBlock"));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, 3);
    }

    [Fact]
    public void A_return_before_the_end_inside_a_block_is_still_refused()
    {
        s_batch.Value.AssertRefusedWithOneError("L.EarlyReturnInBlock", "SG1002", "local functions that return before their last statement");
    }
}
