using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 18 (issue 12, build cost): a scalar parameter's adjoint accumulated exactly once, at the top level of the
/// backward, is added to the caller's <c>ref</c> in that statement instead of through a local added at the end
/// (<c>DirectAccumulation</c>). Right only while that statement runs at most once, nothing reads the <c>ref</c> in
/// between and every adjoint is only added to; these methods try it one way at a time: <c>+=</c> and <c>-=</c>, an
/// accumulation inside a branch and inside a loop (not taken), a reassigned parameter, parameters named like the
/// adjoints (<c>dx</c>, <c>_dx</c>), callee partials, float, an early return in a loop; and, through plain helpers that
/// call the generated backward, the two adjoints passed as one aliased <c>ref</c>, non-zero incoming adjoints and a
/// seed other than one. Compiled in one batch; each Backward compared against central finite differences
/// (tolerances of <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) plus the rounding bound),
/// the helpers against central differences with h = 1e-6 and |g − fd| ≤ 1e-6·max(1,|fd|).
/// </summary>
public sealed class DirectAccumulationAdversarialTests
{
    private const int PointsPerFunction = 3;

    // Not methods under test: plain callers of the generated backwards (aliased refs, incoming adjoints, a seed).
    private const string Helpers = """
        namespace Direct18;

        public static class Callers
        {
            public static double Aliased(double x, double y)
            {
                var d = 0.0;
                D.RosenBackward(x, y, ref d, ref d);
                return d;
            }

            public static double AliasedMinus(double x, double y)
            {
                var d = 0.25;
                D.MinusBackward(x, y, ref d, ref d);
                return d;
            }

            public static double Incoming(double x, double y)
            {
                var dx = 5.0;
                var dy = -3.0;
                D.CallsOtherBackward(x, y, ref dx, ref dy, 2.0);
                return dx + (10.0 * dy);
            }
        }
        """;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Direct18;

        public static partial class D
        {
            // Both adjoints accumulated once, at the top level.
            // domain: x=-1.5..1.5 y=-1..2
            [Differentiable]
            public static double Rosen(double x, double y) => ((1 - x) * (1 - x)) + (100 * (y - (x * x)) * (y - (x * x)));

            // A subtracted term: x's accumulation is -=.
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double Minus(double x, double y) => y - (x * 3) - Math.Sin(x);

            // Accumulations inside the branches: not at the top level.
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double Branch(double x, double y)
            {
                if (x > y)
                    return x * y;
                return x - (y * y);
            }

            // Accumulated in a loop: not once.
            // domain: x=-1..1 w[4]=-1..1
            [Differentiable]
            public static double Loop(double x, [NoGrad] double[] w)
            {
                var s = 0.0;
                for (var i = 0; i < w.Length; i++)
                    s += x * w[i] * Math.Cos(s);
                return s;
            }

            // The body reassigns the parameter: its adjoint must not see the caller's value.
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double Reassigned(double x, double y)
            {
                x = x * y;
                y = x + y;
                return (x * x) + y;
            }

            // Parameters named like the adjoints and their locals.
            // domain: dx=-2..2 x=-2..2 _dx=-2..2
            [Differentiable]
            public static double Hostile(double dx, double x, double _dx) => (dx * x) + Math.Exp(_dx * 0.5) - x;

            // Callee partials: each adjoint gathers the callees' terms in one statement.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double CallsOther(double x, double y) => Rosen(x, y) + (0.5 * Minus(y, x));

            // Single precision.
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static float Single(float x, float y) => (x * y) + (x * 2f) - MathF.Cos(y);

            // An early return inside a loop, a value used twice.
            // domain: x=-1..1 y=0.5..2
            [Differentiable]
            public static double EarlyReturn(double x, double y)
            {
                var a = Math.Sin(x) * y;
                for (var k = 0; k < 3; k++)
                {
                    if (a > 2)
                        return a * x;
                    a = (a * 1.5) + y;
                }

                return a + (x * a);
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key) => s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);

    /// <summary>How many adjoints the backward adds to their <c>ref</c> parameter directly (the rest through a local).</summary>
    [Theory]
    [InlineData("D.Rosen", 2)]
    [InlineData("D.Minus", 2)]
    [InlineData("D.Branch", 0)]
    // One input: the backward runs in forward mode and adds seed · tangent once, after the loop (session 21's unit tangent).
    [InlineData("D.Loop", 1)]
    // Session 24: a saved call's reverse may call the callee's backward (when a saved partial is not finite), which takes
    // the adjoints by ref, so they are accumulated in locals and added once at the end.
    [InlineData("D.CallsOther", 0)]
    [InlineData("D.Single", 2)]
    public void Adjoints_added_directly(string key, int expected)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(expected == DirectCount(source), $"{key}: {DirectCount(source)} adjoints added directly (expected {expected})\n{source}");
    }

    /// <summary>Aliased refs, incoming adjoints and a seed of 2, through plain callers of the generated backwards.</summary>
    [Theory]
    [InlineData("Aliased", 0.0, 1.0, 1.0)]
    [InlineData("AliasedMinus", 0.25, 1.0, 1.0)]
    [InlineData("Incoming", 5.0 - 30.0, 2.0, 20.0)]
    public void Callers_see_every_term(string caller, double offset, double xWeight, double yWeight)
    {
        var assembly = s_batch.Value.Output?.Assembly ?? throw new InvalidOperationException(string.Join("\n", s_batch.Value.Failures.Values));
        var callers = assembly.GetType("Direct18.Callers")!;
        var d = assembly.GetType("Direct18.D")!;
        var function = caller == "Incoming" ? "CallsOther" : caller == "Aliased" ? "Rosen" : "Minus";
        foreach (var (x, y) in new[] { (0.3, -0.7), (-1.1, 0.4), (0.9, 1.2) })
        {
            var actual = Call(callers, caller, x, y);
            const double h = 1e-6;
            var fx = (Call(d, function, x + h, y) - Call(d, function, x - h, y)) / (2 * h);
            var fy = (Call(d, function, x, y + h) - Call(d, function, x, y - h)) / (2 * h);
            var expected = offset + (xWeight * fx) + (yWeight * fy);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1.0, Math.Abs(expected)), $"{caller}({x}, {y}) = {actual}, finite differences {expected}");
        }
    }

    private static double Call(Type type, string name, double x, double y) =>
        (double)type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, [typeof(double), typeof(double)])!.Invoke(null, [x, y])!;

    /// <summary>Statements adding an expression (not the adjoint's own zero-started local) to a <c>ref</c> scalar parameter.</summary>
    internal static int DirectCount(string source)
    {
        var refs = Regex.Matches(source, @"ref (?:double|float) (@?\w+)").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return Regex.Matches(source, @"^\s*(@?\w+) [-+]= (.+);$", RegexOptions.Multiline)
            .Count(m => refs.Contains(m.Groups[1].Value) && !Regex.IsMatch(source, @"^\s*(?:double|float) " + Regex.Escape(m.Groups[2].Value) + " = 0", RegexOptions.Multiline));
    }
}
