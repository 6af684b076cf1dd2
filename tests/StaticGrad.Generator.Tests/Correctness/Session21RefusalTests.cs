using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// What session 21's corpus found refused stays one located error in the user's words with a rewrite that works
/// (the rewrites are corpus functions checked against finite differences): 'out', 'in' and 'ref readonly'
/// arguments, List and nullable locals, an IReadOnlyList parameter, a block-bodied local function returning a tuple,
/// and LINQ where its loop cannot stand before the statement. The LINQ reductions that are supported throw what
/// Enumerable throws, in the primal sweep.
/// </summary>
public sealed class Session21RefusalTests
{
    [Theory]
    [InlineData("public static double F(double x, double y) { SplitPolar(x, y, out var r, out var a); return r * a; }\nstatic void SplitPolar(double x, double y, out double r, out double a) { r = x + y; a = x - y; }", "return them instead, from a [Differentiable] method returning a tuple", "SplitPolar(x, y, out var r, out var a)")]
    [InlineData("public static double F(double x) { double r; var ok = TryRoot(x, out r); return ok ? r * x : x; }\nstatic bool TryRoot(double x, out double r) { r = x; return x > 0; }", "calls with 'out' arguments", "out r")]
    // Session 25: 'in' arguments are read as values; a 'ref readonly' one is refused, saying to declare the parameter 'in'.
    [InlineData("public static double F(double x) { var v = x * x; return G(in v); }\n[Differentiable] static double G(ref readonly double v) => v * v;", "declare it 'in double v', which is read the same way and accepted here", "in v")]
    [InlineData("public static double F(double x) { var values = new List<double> { x }; values.Add(x * x); double s = 0; foreach (var v in values) s += v; return s; }", "use an array, 'var values = new double[n];'", "values = new List<double> { x }")]
    [InlineData("public static double F(double x, bool c) { double? cap = c ? x : null; return (cap ?? 1.0) * x; }", "hold a number and a bool, or a default in its place", "cap = c ? x : null")]
    [InlineData("public static double F(double[] xs) => Mean(xs) * xs[0];\n[Differentiable] static double Mean(IReadOnlyList<double> xs) => xs[0] + xs[1];", "declare the parameter as an array or 'ReadOnlySpan<double>'", "xs")]
    [InlineData("public static double F(double x) { (double A, double B) P(double v) { var s = v * v; return (s, v); } var p = P(x); return p.A * p.B; }", "write its body as one expression", "P(x)")]
    // Session 22: a one-expression tuple-returning local function refused past the inlining depth said "more than one statement".
    [InlineData("public static double F(double x) { (double A, double B) P(double v, int n) => n == 0 ? (v, 1.0) : P(v * 0.5, n - 1); var p = P(x, 3); return p.A * p.B; }", "and calls itself (a recursive local function is not read through", "P(v * 0.5, n - 1)")]
    [InlineData("public static double F(double[] xs, double x) => x > 0 ? xs.Sum(v => v * x) : x;", "LINQ 'Sum' inside a condition, a '?:' branch, the right side of '&&' or '||', or a loop test", "xs.Sum(v => v * x)")]
    [InlineData("public static double F(double[] xs) => xs[3] + xs.Average();", "LINQ 'Average' after a part of the statement that may throw", "xs.Average()")]
    [InlineData("public static double F(double[] xs) => xs.Where(v => v > 0).Sum();", "LINQ 'Sum' over 'xs.Where(v => v > 0)'", "xs.Where(v => v > 0).Sum()")]
    [InlineData("public static double F(double[] xs, double x) => xs.Sum(v => { var w = v * x; return w * w; });", "a lambda 'x => …' of one expression", "xs.Sum(v => { var w = v * x; return w * w; })")]
    public void Refusal_is_one_located_error_with_a_rewrite(string body, string fragment, string located)
    {
        var found = Diagnose(body);
        // A [Differentiable] callee taking 'in' or IReadOnlyList gets its own SG1004 at that parameter, in the callee.
        var errors = found.Where(d => d.Severity == "Error" && d.Id != "SG1004").ToList();
        Assert.True(errors.Count == 1, string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}")));
        var error = errors[0];
        Assert.Equal("SG1002", error.Id);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(located, error.Text);
    }

    [Fact]
    public void A_local_array_from_ToArray_is_one_error_saying_to_copy_elements()
    {
        var found = Diagnose("public static double F(double[] xs) { var ys = xs.Select(v => v * 2).ToArray(); return ys[0]; }");
        var error = Assert.Single(found, d => d.Severity == "Error");
        Assert.Equal(("SG1010", "ys = xs.Select(v => v * 2).ToArray()"), (error.Id, error.Text));
        Assert.Contains("create a local array with 'new T[n]'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmarked_helper_is_one_error_per_call_saying_to_mark_it()
    {
        var found = Diagnose("public static double F(double x, double y) => Square(x - y) + Square(x);\nstatic double Square(double v) => v * v;");
        Assert.Equal(2, found.Count(d => d.Severity == "Error"));
        Assert.All(found.Where(d => d.Severity == "Error"), d => Assert.Equal(("SG1001", true), (d.Id, d.Message.Contains("mark it [Differentiable]", StringComparison.Ordinal))));
        Assert.Equal(new[] { "Square(x - y)", "Square(x)" }, found.Where(d => d.Severity == "Error").Select(d => d.Text).ToArray());
    }

    [Theory]
    [InlineData("S21Linq.AverageOfPrefix", new[] { 0.3, 0.0 })]
    [InlineData("S21Linq.LocalArrayWrittenBefore", new[] { 0.3, -0.2, 0.0 })]
    public void Backward_throws_what_the_reduction_throws(string key, double[] flat) => Session20ExceptionTests.AssertBackwardThrowsWhatTheMethodThrows(key, flat);

    [Fact]
    public void Min_returns_the_first_NaN_and_Max_orders_NaN_below_every_number()
    {
        // x = NaN makes every element NaN: Average and Max(p * x) are NaN, Min(-p) returns its first NaN, as Enumerable does.
        var loaded = CorpusCompilation.Load("S21Linq.AverageOfPrefix");
        var point = new[] { new[] { double.NaN }, new[] { 2.0 } };
        var primal = loaded.Primal(FiniteDifferenceCheck.Copy(point));
        var backward = loaded.Backward(FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Zeros(loaded.Method, point), 1.0);
        Assert.True(double.IsNaN(primal) && double.IsNaN(backward), $"primal {primal}, backward {backward}");

        // Max skips a leading NaN (NaN is ordered below every number): a number, where `if (v > max)` from the first would stay NaN.
        var max = CorpusCompilation.Load("S21Linq.NaNOrderedMax");
        var leading = new[] { new[] { double.NaN, 1.0, -1.5, 0.5 } };
        var expectedMax = max.Primal(FiniteDifferenceCheck.Copy(leading));
        Assert.False(double.IsNaN(expectedMax));
        Assert.Equal(expectedMax, max.Backward(FiniteDifferenceCheck.Copy(leading), FiniteDifferenceCheck.Zeros(max.Method, leading), 1.0));

        // Min returns the first NaN: NaN, where `if (v < min)` would give the smallest number after it.
        var min = CorpusCompilation.Load("S21Linq.FirstNaNMin");
        var inner = new[] { new[] { 1.0, double.NaN, -5.0, 2.0 } };
        Assert.True(double.IsNaN(min.Primal(FiniteDifferenceCheck.Copy(inner))));
        Assert.True(double.IsNaN(min.Backward(FiniteDifferenceCheck.Copy(inner), FiniteDifferenceCheck.Zeros(min.Method, inner), 1.0)));
    }

    private static (string Id, string Severity, string Text, string Message)[] Diagnose(string body)
    {
        var source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using StaticGrad;

            public static partial class C
            {
            """ + "\n[Differentiable]\n" + body + "\n}\n";
        return GeneratorHarness.Run(source).LocatedDiagnostics();
    }
}
