using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 21's gmm21b (<c>ReverseModeTransformer.InterchangeSweep.cs</c>): the interchanged
/// column sweep in a static local function returning the scalars it changes, its rows over one-length spans. The cases
/// satisfy the stated conditions while breaking unstated ones, or just miss them: an integer written in the row loop (a
/// row local, or one stepped by the row loop) inside a stepped integer's start, whose row stride the plan would read as
/// constant (all three fall back to the old order); two scalars in the term (a tuple returned); a subtracting update
/// with a scalar; float scalars; rows from a negative start, a parameter and an expression; the column counter declared
/// before the nest (read before it: not interchanged; plain); the row bound reassigned after the nest; one array at two
/// indices one apart; users' local functions named <c>_Columns</c> and <c>Sweep</c>; instance methods (a field outside
/// the nest; fields in the term: inline), a struct's method; a generic-math method (found: <c>Math.Max(0, col + 1)</c>
/// retyped to <c>T.Max</c>, CS1503, since session 20's interchange; fixed). Every public method against central finite
/// differences (<see cref="FiniteDifferenceCheck"/>: 1e-6 relative for double, 2e-3 for float, plus the rounding
/// bound); the new order against the old one in the same code (an adjoint span one element short fails the guard; max
/// relative difference 1e-12); the generic method equal bit for bit to the plain one; a short dMu or icf throws what
/// the old order or the primal throws; the whole source compiled at LangVersion 9 with warnings as errors. Skipped
/// with its reason: nan21's regression (a value read only by an untaken returning branch, NaN partial).
/// </summary>
public sealed class Session21InterchangeSweepReviewTests
{
    private const int PointsPerFunction = 2;

    /// <summary>
    /// A triangle nest (GMM's: rows j, columns col &lt; j, <c>lower</c> stepped by the column loop, the row loop not fused
    /// as s * s is not linear in s) with the parts a case varies; lines passed in carry their indentation.
    /// </summary>
    internal static string Nest(string name, string comment, string domain, string parameters, string term, string type = "double", string modifiers = "public static",
        string constraint = "", string prelude = "", string rows = "var j = 0", string rowInit = "icf[j] * (x[j] - mu[j])", string lower = "var lower = d + j - 1",
        string column = "var col", string update = "+=", string step = "d - col - 2", string rowTail = "", string result = "return s * s;") => """

                    // %COMMENT%
                    // domain: %DOMAIN%
                    [Differentiable]
                    %MODIFIERS% %TYPE% %NAME%(%PARAMETERS%)%CONSTRAINT%
                    {
        %PRELUDE%                var s = %ZERO%;
                        for (%ROWS%; j < d; j++)
                        {
                            var row = %ROWINIT%;
                            %LOWER%;
                            for (%COLUMN% = 0; col < j; col++)
                            {
                                row %UPDATE% %TERM%;
                                lower += %STEP%;
                            }

                            s += row * row;
        %ROWTAIL%                }

                        %RESULT%
                    }
        """.Replace("%COMMENT%", comment, StringComparison.Ordinal).Replace("%DOMAIN%", domain, StringComparison.Ordinal)
        .Replace("%MODIFIERS%", modifiers, StringComparison.Ordinal).Replace("%TYPE%", type, StringComparison.Ordinal).Replace("%NAME%", name, StringComparison.Ordinal)
        .Replace("%PARAMETERS%", parameters, StringComparison.Ordinal).Replace("%CONSTRAINT%", constraint, StringComparison.Ordinal).Replace("%PRELUDE%", prelude, StringComparison.Ordinal)
        .Replace("%ZERO%", type switch { "float" => "0.0f", "T" => "T.Zero", _ => "0.0" }, StringComparison.Ordinal).Replace("%ROWS%", rows, StringComparison.Ordinal)
        .Replace("%ROWINIT%", rowInit, StringComparison.Ordinal).Replace("%LOWER%", lower, StringComparison.Ordinal).Replace("%COLUMN%", column, StringComparison.Ordinal)
        .Replace("%UPDATE%", update, StringComparison.Ordinal).Replace("%TERM%", term, StringComparison.Ordinal).Replace("%STEP%", step, StringComparison.Ordinal)
        .Replace("%ROWTAIL%", rowTail, StringComparison.Ordinal).Replace("%RESULT%", result, StringComparison.Ordinal);

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session21SweepReview;

        public static partial class G
        {
        """ + string.Concat(
        Nest("RowLocalInStart13", "A row-local integer in the stepped integer's start: b = 2j, lower = d + b - j - 1 = d + j - 1 (really +1 per row).", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", lower: "var b = j + j;\n                    var lower = d + b - j - 1"),
        Nest("RowLocalWide13", "A row-local integer in the start whose row stride looks like 1 but is 2: b = j, lower = b + j.", "icf[170]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", lower: "var b = j;\n                    var lower = b + j", step: "d"),
        Nest("RowSteppedBase13", "An integer stepped by the row loop in the start: bse += 2 per row, lower = bse - j.", "icf[170]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", prelude: "                var bse = 0;\n", lower: "var lower = bse - j", step: "d", rowTail: "                    bse += 2;\n"),
        Nest("TwoScalars13", "Two scalars in the term, a local and a parameter: the function returns both adjoints (a tuple).", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13 w=0.5..1.5", "double[] icf, double[] mu, [NoGrad] double[] x, double w, int d", "v * w * icf[lower] * (x[col] - mu[col])", prelude: "                var v = Math.Sin(mu[d]);\n", result: "return (s * s) + v;"),
        Nest("FloatScalars13", "Float: a float parameter and a float local in the term.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13 w=0.5..1.5", "float[] icf, float[] mu, [NoGrad] float[] x, float w, int d", "w * icf[lower] * (x[col] - v * mu[col])", type: "float", prelude: "                var v = MathF.Cos(mu[d]);\n"),
        Nest("NegativeRowStart13", "Rows from a negative start (a parameter): rows -2 and -1 have no columns, and read icf[j + 2].", "icf[120]=-0.5..0.5 mu[16]=-1..1 x[16]=-1..1 d=13..13 r0=-2..-2", "double[] icf, double[] mu, [NoGrad] double[] x, int d, int r0", "icf[lower] * (x[col] - mu[col])", rows: "var j = r0", rowInit: "icf[j + 2] * (x[j + 2] - mu[j + 2])", lower: "var lower = d + j + 2"),
        Nest("ParameterRowStart16", "Rows from a positive start held in a parameter.", "icf[92]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16 r0=3..3", "double[] icf, double[] mu, [NoGrad] double[] x, int d, int r0", "icf[lower] * (x[col] - mu[col])", rows: "var j = r0", lower: "var lower = j + 20", step: "3"),
        Nest("RowStartExpression16", "Rows from an expression (r0 + 1): the first row of each column is the larger of it and col + 1.", "icf[92]=-0.5..0.5 mu[17]=-1..1 x[17]=-1..1 d=16..16 r0=2..2", "double[] icf, double[] mu, [NoGrad] double[] x, int d, int r0", "icf[lower] * (x[col] - mu[col])", rows: "var j = r0 + 1", lower: "var lower = j + 20", step: "3"),
        Nest("CounterReadBefore13", "The column counter declared before the nest and read by a statement before it (its reverse runs after the sweep).", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", prelude: "                var col = 3;\n                var pre = icf[col] * mu[col + 1];\n", column: "col", result: "return (s * s) + (pre * pre * col);"),
        Nest("CounterReadAfter13", "The column counter declared before the nest (a plain for over it).", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", prelude: "                int col;\n", column: "col"),
        Nest("BoundReassignedAfter13", "The row bound reassigned after the nest.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", result: "d = d - 11;\n                return (s * s) + (s * icf[d]);"),
        Nest("TwoIndicesOneApart13", "The same array at two indices one apart (two runs of icf and of dIcf, overlapping).", "icf[93]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * icf[lower + 1] * (x[col] - mu[col])"),
        Nest("SubtractingScalar13", "A subtracting update with a scalar parameter in the term: its adjoint decreases in the function.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13 w=0.5..1.5", "double[] icf, double[] mu, [NoGrad] double[] x, double w, int d", "w * icf[lower] * (x[col] - mu[col])", update: "-="),
        Nest("LocalFunctionNames13", "Users' local functions named like the generated one and the report's words.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", result: "return _Columns(s) + Sweep(s);\n\n                static double _Columns(double v) => v * v;\n                static double Sweep(double v) => 0.5 * v;"),
        Nest("Triangle13", "The reference for the short-array probes.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])")) + """
        }

        public sealed partial class Inst
        {
            private readonly double _k = 1.5;

            private readonly double[] _table = Enumerable.Range(0, 100).Select(t => (0.03 * t) - 1.0).ToArray();
        """ + string.Concat(
        Nest("FieldOutside13", "An instance method: a field outside the nest, the sweep mentions only parameters and locals.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", modifiers: "public", result: "return _k * s * s;"),
        Nest("FieldInTerm13", "An instance method whose term reads a field scalar and a field array (the sweep stays inline).", "mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] mu, [NoGrad] double[] x, int d", "_k * _table[lower] * (x[col] - mu[col])", modifiers: "public", rowInit: "x[j] - mu[j]")) + """
        }

        public partial struct Val
        {
        """ + Nest("StructMethod13", "A struct's instance method.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", modifiers: "public") + """
        }

        public static class Probe
        {
""" + InterchangeProbeSource.Helpers + """

            /// <summary>The new cases against the old order (the first adjoint span one element short fails the guard).</summary>
            public static double Order(string name)
            {
                var d = name is "ParameterRowStart16" or "RowStartExpression16" ? 16 : 13;
                var length = name switch { "RowLocalWide13" or "RowSteppedBase13" => 171, "NegativeRowStart13" => 121, "TwoIndicesOneApart13" => 94, _ => 93 };
                var icf = Values(length, d + name.Length, 0.5);
                var mu = Values(17, d + 100, 1.0);
                var x = Values(17, d + 200, 1.0);
                return Compare((a, b, s) => name switch
                {
                    "RowLocalInStart13" => G.RowLocalInStart13Backward(icf, mu, x, d, Cut(a, s), b),
                    "RowLocalWide13" => G.RowLocalWide13Backward(icf, mu, x, d, Cut(a, s), b),
                    "RowSteppedBase13" => G.RowSteppedBase13Backward(icf, mu, x, d, Cut(a, s), b),
                    "NegativeRowStart13" => G.NegativeRowStart13Backward(icf, mu, x, d, -2, Cut(a, s), b),
                    "ParameterRowStart16" => G.ParameterRowStart16Backward(icf, mu, x, d, 3, Cut(a, s), b),
                    "CounterReadBefore13" => G.CounterReadBefore13Backward(icf, mu, x, d, Cut(a, s), b),
                    "CounterReadAfter13" => G.CounterReadAfter13Backward(icf, mu, x, d, Cut(a, s), b),
                    "RowStartExpression16" => G.RowStartExpression16Backward(icf, mu, x, d, 2, Cut(a, s), b),
                    "BoundReassignedAfter13" => G.BoundReassignedAfter13Backward(icf, mu, x, d, Cut(a, s), b),
                    "SubtractingScalar13" => SubtractingScalar(icf, mu, x, d, Cut(a, s), b),
                    "TwoIndicesOneApart13" => G.TwoIndicesOneApart13Backward(icf, mu, x, d, Cut(a, s), b),
                    "TwoScalars13" => TwoScalars(icf, mu, x, d, Cut(a, s), b),
                    _ => throw new ArgumentOutOfRangeException(nameof(name)),
                }, length, 17);
            }

            private static double SubtractingScalar(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, double[] dMu)
            {
                var dw = 0.0;
                var r = G.SubtractingScalar13Backward(icf, mu, x, 1.1, d, dIcf, dMu, ref dw);
                dMu[16] = dw;
                return r;
            }

            private static double TwoScalars(double[] icf, double[] mu, double[] x, int d, Span<double> dIcf, double[] dMu)
            {
                var dw = 0.0;
                var r = G.TwoScalars13Backward(icf, mu, x, 0.9, d, dIcf, dMu, ref dw);
                dMu[16] = dw;
                return r;
            }

            /// <summary>
            /// Triangle13's backward with dMu <paramref name="dMuLength"/> long and dIcf full (interchanged) or one short (the
            /// old order): the exception each throws, which must be the same.
            /// </summary>
            public static string ShortMuAdjoint(int dMuLength, bool oldOrder) => Catch(() =>
            {
                var icf = Values(93, 1, 0.5);
                var mu = Values(14, 2, 1.0);
                var x = Values(14, 3, 1.0);
                var dIcf = new double[93];
                return G.Triangle13Backward(icf, mu, x, 13, Cut(dIcf, oldOrder), new double[dMuLength]);
            });

            /// <summary>The exception of the primal and the backward for an icf of <paramref name="length"/> (Triangle13 reads 0 … 90).</summary>
            public static string ShortIcf(int length, bool backward) => Catch(() =>
            {
                var icf = Values(length, 1, 0.5);
                var mu = Values(14, 2, 1.0);
                var x = Values(14, 3, 1.0);
                return backward ? G.Triangle13Backward(icf, mu, x, 13, new double[length], new double[14]) : G.Triangle13(icf, mu, x, 13);
            });

            private static string Catch(Func<double> f)
            {
                try { f(); } catch (Exception e) { return e.GetType().Name; }
                return "none";
            }
        }
        """;

    /// <summary>A generic-math method (C# 11; the harness draws no points for T[]) and its check against the plain method.</summary>
    private static readonly string GenericSource = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session21SweepReviewGeneric;

        public static partial class GG
        {
        """ + Nest("Generic13<T>", "A generic-math method (its sweep function's text is retyped over T; a static local function sees T).", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "T[] icf, T[] mu, [NoGrad] T[] x, int d", "icf[lower] * (x[col] - mu[col])", type: "T", constraint: " where T : IFloatingPointIeee754<T>") + Nest("Triangle13", "The plain method.", "icf[92]=-0.5..0.5 mu[14]=-1..1 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])") + """

            /// <summary>0 when Generic13's value and adjoints equal Triangle13's bit for bit.</summary>
            public static double GenericCheck()
            {
                var random = new Random(5);
                var icf = Enumerable.Range(0, 92).Select(_ => random.NextDouble() - 0.5).ToArray();
                var mu = Enumerable.Range(0, 14).Select(_ => random.NextDouble() - 0.5).ToArray();
                var x = Enumerable.Range(0, 14).Select(_ => random.NextDouble() - 0.5).ToArray();
                var (a1, b1, a2, b2) = (new double[92], new double[14], new double[92], new double[14]);
                var v1 = Generic13Backward<double>(icf, mu, x, 13, a1, b1);
                var v2 = Triangle13Backward(icf, mu, x, 13, a2, b2);
                return v1 == v2 && a1.SequenceEqual(a2) && b1.SequenceEqual(b2) ? 0.0 : 1.0;
            }
        }
        """;

    /// <summary>
    /// Open defect, a regression of nan21 (not the interchange; both cases pass at dc37259, session 20's ZeroAdjointRegions):
    /// a value read only by the returning branch of an <c>if</c> whose return did not run is dead on the path that ran,
    /// and its NaN partial (√ of a negative) reaches the gradient as 0 · NaN: <c>dMu[d] += dt / (2.0 * t)</c> with dt = 0,
    /// unguarded. DerivativeLiveness assumes each jumping branch taken, never the jump not taken, so the definition is not
    /// marked DeadOnSomePath. The same without any loop (<c>DeadNoLoop</c>).
    /// </summary>
    private static readonly string DeadOnFallThroughSource = """
        using System;
        using StaticGrad;

        namespace Session21SweepReviewDead;

        public static partial class D
        {
        """ + Nest("DeadBeforeNest13", "A value dead on the path that ran (NaN partial: sqrt of a negative) defined before the nest.", "icf[92]=-0.5..0.5 mu[14]=-1..-0.5 x[14]=-1..1 d=13..13", "double[] icf, double[] mu, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - mu[col])", prelude: "                var t = Math.Sqrt(mu[d]);\n", result: "if (s > 1e9)\n                {\n                    return t;\n                }\n\n                return s * s;") + """

            // The same without any loop.
            // domain: a=-1..-0.5 b=-1..1
            [Differentiable]
            public static double DeadNoLoop(double a, double b)
            {
                var t = Math.Sqrt(a);
                var s = b * b;
                if (s > 1e9)
                {
                    return t;
                }

                return s * s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    private static readonly IReadOnlyList<MethodUnderTest> s_deadMethods = MethodUnderTest.ReadAll(DeadOnFallThroughSource);

    [Theory]
    [InlineData("D.DeadBeforeNest13")]
    [InlineData("D.DeadNoLoop")]
    public void Value_read_only_by_an_untaken_return_matches_central_differences(string key)
    {
        CompiledBatch.Compile(new[] { DeadOnFallThroughSource }, s_deadMethods).AssertAcceptedAndGradientMatches(key, s_deadMethods, PointsPerFunction);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many sweeps each method gets as a function and how many walk their rows over spans.</summary>
    [Theory]
    [InlineData("G.RowLocalWide13", 0, 0)]
    [InlineData("G.RowSteppedBase13", 0, 0)]
    [InlineData("G.RowLocalInStart13", 0, 0)]
    [InlineData("G.CounterReadBefore13", 0, 0)]
    [InlineData("G.BoundReassignedAfter13", 1, 1)]
    [InlineData("G.CounterReadAfter13", 1, 1)]
    [InlineData("G.SubtractingScalar13", 1, 1)]
    [InlineData("G.RowStartExpression16", 1, 1)]
    [InlineData("G.TwoScalars13", 1, 1)]
    [InlineData("G.FloatScalars13", 1, 1)]
    [InlineData("G.NegativeRowStart13", 1, 1)]
    [InlineData("G.ParameterRowStart16", 1, 1)]
    [InlineData("G.TwoIndicesOneApart13", 1, 1)]
    [InlineData("G.LocalFunctionNames13", 1, 1)]
    [InlineData("Inst.FieldOutside13", 1, 1)]
    [InlineData("Inst.FieldInTerm13", 0, 0)]
    [InlineData("Val.StructMethod13", 1, 1)]
    public void Sweeps_in_functions_and_over_spans(string key, int functions, int spans)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, @"static [^\n]*_Columns\w*\(").Count;
        var runs = Regex.Matches(source, "Over the column's runs").Count;
        Assert.True(found == functions && runs == spans, $"{key}: {found} functions, {runs} over spans (expected {functions}, {spans})\n{source}");
    }

    private static object Call(string type, string name, params object[] args)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session21SweepReview." + type)!;
        return probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
    }

    [Theory]
    [InlineData("RowLocalInStart13")]
    [InlineData("RowLocalWide13")]
    [InlineData("RowSteppedBase13")]
    [InlineData("NegativeRowStart13")]
    [InlineData("ParameterRowStart16")]
    [InlineData("CounterReadBefore13")]
    [InlineData("TwoIndicesOneApart13")]
    [InlineData("TwoScalars13")]
    [InlineData("CounterReadAfter13")]
    [InlineData("RowStartExpression16")]
    [InlineData("BoundReassignedAfter13")]
    [InlineData("SubtractingScalar13")]
    public void Matches_the_old_order(string name)
    {
        var worst = (double)Call("Probe", "Order", name);
        Assert.True(worst <= 1e-12, $"Order({name}): max relative difference {worst}");
    }

    /// <summary>The generic-math method compiles without a diagnostic, its sweep in a function over spans, equal bit for bit to the plain one.</summary>
    [Fact]
    public void Generic_method_equals_the_plain_one()
    {
        var output = GeneratorHarness.Run(GenericSource);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Where(g => g.HintName.Contains("Generic13", StringComparison.Ordinal)).Select(g => g.Source));
        Assert.True(Regex.Matches(generated, @"static [^\n]*_Columns\w*\(").Count == 1 && generated.Contains("Over the column's runs", StringComparison.Ordinal), generated);
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Session21SweepReviewGeneric.GG")!;
        Assert.Equal(0.0, (double)type.GetMethod("GenericCheck")!.Invoke(null, null)!);
    }

    /// <summary>dMu one or several short: the interchanged backward throws what the old order throws.</summary>
    [Theory]
    [InlineData(14)]
    [InlineData(13)]
    [InlineData(12)]
    [InlineData(5)]
    [InlineData(0)]
    public void Short_column_adjoint_throws_as_the_old_order(int dMuLength)
    {
        Assert.Equal((string)Call("Probe", "ShortMuAdjoint", dMuLength, true), (string)Call("Probe", "ShortMuAdjoint", dMuLength, false));
    }

    /// <summary>Triangle13 reads icf[0 … 90]: the backward throws what the primal throws.</summary>
    [Theory]
    [InlineData(91)]
    [InlineData(90)]
    [InlineData(80)]
    [InlineData(14)]
    public void Short_icf_throws_what_the_primal_throws(int length)
    {
        Assert.Equal((string)Call("Probe", "ShortIcf", length, false), (string)Call("Probe", "ShortIcf", length, true));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }

    /// <summary>The whole source with the generator at LangVersion 9 (static local functions with attributes need 9), warnings as errors.</summary>
    [Fact]
    public void Compiles_at_language_version_9()
    {
        var (output, diagnostics) = AtLanguageVersion9(Source, "Session21SweepReview", "Review21b");
        Assert.True(output.SyntaxTrees.Any(t => t.ToString().Contains("_Columns", StringComparison.Ordinal)), "no sweep function generated");
        Assert.True(diagnostics.Count == 0, "at LangVersion 9:\n" + string.Join("\n", diagnostics.Take(10)));
    }

    /// <summary>
    /// <paramref name="source"/> (file-scoped namespace <paramref name="ns"/>, made a block: file-scoped ones need C# 10) with the
    /// generator at LangVersion 9, warnings as errors: the output compilation and its warnings and errors.
    /// </summary>
    internal static (Compilation Output, List<Diagnostic> Diagnostics) AtLanguageVersion9(string source, string ns, string assembly)
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        var blocked = source.Replace("namespace " + ns + ";", "namespace " + ns + "9 {", StringComparison.Ordinal) + "\n}\n";
        var compilation = CSharpCompilation.Create(
            assembly + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(blocked, options, path: assembly + ".cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: options, optionsProvider: BuildProperties.AllOutputs)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return (output, generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning || d.IsWarningAsError).ToList());
    }
}
