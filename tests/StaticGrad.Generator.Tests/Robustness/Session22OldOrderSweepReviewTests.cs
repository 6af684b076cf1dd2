using System.Globalization;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 22's old-order sweep (gmm22a: the old order of an interchangeable nest in a static local function
/// <c>_Rows</c> from 4 rows, <c>ReverseModeTransformer.OldOrderSweep.cs</c>). Inputs that meet every stated condition
/// and aim at what the function takes by value: user names that are contextual keywords (<c>value</c>, <c>from</c>) or
/// verbatim (<c>@in</c>), a class method named <c>_Rows</c>, the row index declared before the nest and read after it, a
/// scalar the rows write and the result reads, two nests in one method, a nest whose running sum is carried across the
/// passes of an enclosing loop (tape pushes and pops around the function), a row count that varies 6 … −1 per pass
/// (both sides of the guard), a row bound that is the middle index of three loops, constant row counts at the guard's
/// edges (4, 2 … 6, 3 … 6, 12), float and generic constants, a static field in the term (must stay inline), and a
/// Hessian.
/// <para>
/// Defect found (fixed): a method-level variable whose name is a contextual keyword (<c>from</c>; also <c>select</c>,
/// <c>where</c>, <c>async</c>, …) was left out of the sweep function's parameters (TryWriteSweepFunction dropped every
/// contextual keyword, meaning the text's <c>var</c> and <c>global</c>), so the static function referred to the method's
/// local: CS8421 in <c>_Rows</c> (new: a constant 5-row nest compiled at 2573c14) and in session 21's <c>_Columns</c>.
/// </para>
/// Every method against central finite differences (<see cref="FiniteDifferenceCheck"/>: double 1e-6 relative
/// to max(1, |fd|) plus the quotient's rounding bound, float 2e-3); the generated code must compile without warnings.
/// </summary>
public sealed class Session22OldOrderSweepReviewTests
{
    private const int PointsPerFunction = 2;

    private const string Plain = Session22OldOrderSweepTests.Plain;

    private const string Term = Session22OldOrderSweepTests.Term;

    private static string Domain(int d, string extra = "") => Session22OldOrderSweepTests.Domain(d, extra);

    private static string Nest(string name, string comment, string domain, string parameters, string term, string type = "double", string modifiers = "public static",
        string constraint = "", string prelude = "", string rows = "var j = 0", string rowInit = "icf[j] * (x[j] - mu[j])", string rowTail = "", string result = "return s * s;") =>
        Session21InterchangeSweepReviewTests.Nest(name, comment, domain, parameters, term, type: type, modifiers: modifiers, constraint: constraint, prelude: prelude, rows: rows, rowInit: rowInit, rowTail: rowTail, result: result);

    /// <summary>
    /// The triangle's row loop over rows <paramref name="start"/> … <paramref name="bound"/> − 1, adding each row's square
    /// into <c>s</c>, between two line breaks (the methods below write it where their <c>s</c> is declared).
    /// </summary>
    private static string RowLoop(string bound, string start = "0", string rowInit = "icf[j] * (x[j] - mu[j])", string term = Term) => "\n" + $$"""
                        for (var j = {{start}}; j < {{bound}}; j++)
                        {
                            var row = {{rowInit}};
                            var lower = d + j - 1;
                            for (var col = 0; col < j; col++)
                            {
                                row += {{term}};
                                lower += d - col - 2;
                            }

                            s += row * row;
                        }
        """ + "\n";

    /// <summary>A nest with a constant row loop <c>for (j = start; j &lt; bound; j++)</c>.</summary>
    private static string Constant(string name, int start, int bound, string type = "double", string constraint = "") => $$"""

                // domain: {{Domain(bound)}}
                [Differentiable]
                public static {{type}} {{name}}({{Plain.Replace("double", type, StringComparison.Ordinal)}}){{constraint}}
                {
                    var s = {{(type == "T" ? "T.Zero" : type == "float" ? "0.0f" : "0.0")}};{{RowLoop(bound.ToString(CultureInfo.InvariantCulture), start.ToString(CultureInfo.InvariantCulture))}}
                    return s * s;
                }
        """;

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session22OldOrderReview;

        public static partial class G
        {
            private static readonly double Scale = 1.5;

            /// <summary>A class method named like the generated function.</summary>
            public static double _Rows(double v) => 0.5 * v;

        """ + string.Concat(
        Nest("ValueScalar6", "A scalar parameter named value (a contextual keyword) in the term.", Domain(6, " value=0.5..1.5"), Plain + ", double value", "value * " + Term),
        Nest("FromLocal6", "A local named from (a contextual keyword) in the term.", Domain(6), Plain, "from * " + Term, prelude: "                var from = Math.Sin(mu[d]);\n", result: "return (s * s) + from;"),
        Nest("GlobalLocal6", "A local named global (the text's global:: qualifier is no variable).", Domain(6), Plain, "global * " + Term, prelude: "                var global = Math.Sin(mu[d]);\n", result: "return (s * s) + global;"),
        Nest("SelectParam6", "A scalar parameter named select (a query keyword) in the term.", Domain(6, " select=0.5..1.5"), Plain + ", double select", "select * " + Term),
        Nest("VerbatimIn6", "A verbatim array name @in in the term.", Domain(6).Replace("mu[", "@in[", StringComparison.Ordinal), "double[] icf, double[] @in, [NoGrad] double[] x, int d", "icf[lower] * (x[col] - @in[col])", rowInit: "icf[j] * (x[j] - @in[j])"),
        Nest("ClassMethodRows6", "A class method _Rows called by the method (on a NoGrad value).", Domain(6), Plain, "v * " + Term, prelude: "                var v = _Rows(x[d]);\n"),
        Nest("IndexAfter6", "The row index declared before the nest and read after it.", Domain(6), Plain, Term, prelude: "                var j = 0;\n", rows: "j = 0", result: "return s * s * j;"),
        Nest("LastRow6", "A scalar the rows write (last = row) that the result reads.", Domain(6), Plain, Term, prelude: "                var last = 0.0;\n", rowTail: "                    last = row;\n", result: "return (s * s) + (last * last * last);"),
        Nest("StaticField6", "A static field in the term (written fully qualified: the static function reads it).", Domain(6), Plain, "Scale * " + Term),
        Constant("ConstantFour", 0, 4), Constant("ConstantTwoToSix", 2, 6), Constant("ConstantThreeToSix", 3, 6), Constant("ConstantTwelve", 0, 12),
        Constant("FloatConstantFive", 0, 5, "float")) + """

            // A constant row count of 5 with a local named from in the term: 2573c14 wrote its reverse inline (no
            // interchange below 12 constant rows); a97a666 moved it into _Rows without taking from (CS8421).
            // domain: icf[16]=-0.5..0.5 mu[6]=-1..1 x[6]=-1..1 d=5..5
            [Differentiable]
            public static double FromConstantFive(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var from = Math.Cos(mu[d]);
                var s = 0.0;
        """ + RowLoop("5", term: "from * icf[lower] * (x[col] - mu[col])") + """

                return (s * s) + from;
            }

            // Two nests in one method, the second over the running sum of the first: two functions.
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6
            [Differentiable]
            public static double TwoNests6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
        """ + RowLoop("d") + """

                var t = s;
                for (var k = 0; k < d; k++)
                {
                    var row = t * mu[k];
                    var lower = d + k - 1;
                    for (var col = 0; col < k; col++)
                    {
                        row -= mu[lower % d] * (x[col] + icf[col]);
                        lower += d - col - 2;
                    }

                    t += Math.Sin(row);
                }

                return t * s;
            }

            // A running sum carried across the passes (not reset): its overwrites are on the tape around every function call;
            // rows d - p go 6, 5, 4, 3, 2, 1, 0, -1 (both sides of the guard, and empty row loops).
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6 passes=8..8
            [Differentiable]
            public static double CarriedSum6(double[] icf, double[] mu, [NoGrad] double[] x, int d, int passes)
            {
                var s = 0.25;
                var total = 0.0;
                for (var p = 0; p < passes; p++)
                {
                    var rows = d - p;
                    s = Math.Sin(s);
        """ + RowLoop("rows", rowInit: "icf[j] * (x[j] - mu[j]) * s") + """

                    total += s * mu[p % d];
                }

                return total + s;
            }

            // Three levels: the row bound is the middle loop's index (rows 0 … 6 per pass).
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6 a=2..2
            [Differentiable]
            public static double ThreeLevels6(double[] icf, double[] mu, [NoGrad] double[] x, int d, int a)
            {
                var total = 0.0;
                for (var q = 0; q < a; q++)
                {
                    for (var k = 0; k <= d; k++)
                    {
                        var s = 0.0;
        """ + RowLoop("k") + """

                        total += Math.Exp(-s) * (q + 1);
                    }
                }

                return total;
            }

            // A Hessian of the triangle (second-order methods generated too).
            // domain: icf[22]=-0.5..0.5 mu[7]=-1..1 x[7]=-1..1 d=6..6
            [Differentiable(Hessian = true)]
            public static double HessianRows6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
        """ + RowLoop("d") + """

                return s * s;
            }
        }

        public sealed partial class Inst
        {
            private readonly double _k = 1.5;

            private readonly double[] _table = Enumerable.Range(0, 100).Select(t => (0.03 * t) - 1.0).ToArray();
        """ + string.Concat(
        Nest("FieldOutside6", "An instance method, a field read after the nest: the function from 4 rows.", Domain(6), Plain, Term, modifiers: "public", result: "return _k * s * s;"),
        Nest("FieldInTerm6", "An instance method whose term reads a field scalar and a field array (inline).", "mu[7]=-1..1 x[7]=-1..1 d=6..6", "double[] mu, [NoGrad] double[] x, int d", "_k * _table[lower] * (x[col] - mu[col])", modifiers: "public", rowInit: "x[j] - mu[j]")) + """
        }

        public partial struct Val
        {
        """ + Nest("StructMethod6", "A struct's instance method.", Domain(6), Plain, Term, modifiers: "public") + """
        }
        """;

    /// <summary>A Jacobian of a triangle (the harness draws no points for a tuple result: compiled and checked clean).</summary>
    private static readonly string JacobianSource = """
        using System;
        using StaticGrad;

        namespace Session22OldOrderReviewJacobian;

        public static partial class J
        {
        """ + "\n" + """
            // A Jacobian of the triangle (two results).
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) JacobianRows6(double[] icf, double[] mu, [NoGrad] double[] x, int d)
            {
                var s = 0.0;
        """ + RowLoop("d") + """

                return (s * s, Math.Sin(s));
            }
        }
        """;

    private static readonly string GenericSource = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session22OldOrderReviewGeneric;

        public static partial class GG
        {
        """ + Constant("GenericFive<T>", 0, 5, "T", " where T : IFloatingPointIeee754<T>") + Constant("PlainFive", 0, 5) + """

            /// <summary>0 when GenericFive's value and adjoints equal PlainFive's bit for bit.</summary>
            public static double GenericCheck()
            {
                var random = new Random(7);
                var icf = Enumerable.Range(0, 16).Select(_ => random.NextDouble() - 0.5).ToArray();
                var mu = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
                var x = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
                var (a1, b1, a2, b2) = (new double[16], new double[6], new double[16], new double[6]);
                var v1 = GenericFiveBackward<double>(icf, mu, x, 5, a1, b1);
                var v2 = PlainFiveBackward(icf, mu, x, 5, a2, b2);
                return v1 == v2 && a1.SequenceEqual(a2) && b1.SequenceEqual(b2) ? 0.0 : 1.0;
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
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null && batch.Failures.Count == 0, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }

    /// <summary>How many old-order functions each method has, and how many sit behind the row-count test.</summary>
    [Theory]
    [InlineData("G.ValueScalar6", 1, 1)]
    [InlineData("G.FromLocal6", 1, 1)]
    [InlineData("G.GlobalLocal6", 1, 1)]
    [InlineData("G.SelectParam6", 1, 1)]
    [InlineData("G.VerbatimIn6", 1, 1)]
    [InlineData("G.ClassMethodRows6", 1, 1)]
    [InlineData("G.IndexAfter6", 1, 1)]
    [InlineData("G.StaticField6", 1, 1)]
    [InlineData("G.FromConstantFive", 1, 0)]
    [InlineData("G.ConstantFour", 1, 0)]
    [InlineData("G.ConstantTwoToSix", 1, 0)]
    [InlineData("G.ConstantThreeToSix", 0, 0)]
    [InlineData("G.ConstantTwelve", 1, 0)]
    [InlineData("G.FloatConstantFive", 1, 0)]
    [InlineData("G.TwoNests6", 2, 2)]
    [InlineData("Inst.FieldOutside6", 1, 1)]
    [InlineData("Inst.FieldInTerm6", 0, 0)]
    [InlineData("Val.StructMethod6", 1, 1)]
    public void Old_order_functions(string key, int functions, int tests)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var found = Regex.Matches(source, @"static [^\n]*_Rows\w*\(").Count;
        var guarded = Regex.Matches(source, @"// At least 4 rows: the old order in a function of its own").Count;
        Assert.True(found == functions && guarded == tests, $"{key}: {found} functions, {guarded} row-count tests (expected {functions}, {tests})\n{source}");
    }

    /// <summary>The Jacobian method compiles without a diagnostic, its old order in a function.</summary>
    [Fact]
    public void Jacobian_method_compiles_clean()
    {
        var output = GeneratorHarness.Run(JacobianSource);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Select(g => g.Source));
        Assert.True(Regex.Matches(generated, @"static [^\n]*_Rows\w*\(").Count >= 1, generated);
    }

    /// <summary>The generic-math constant nest compiles without a diagnostic and equals the plain one bit for bit.</summary>
    [Fact]
    public void Generic_constant_rows_equal_the_plain_method()
    {
        var output = GeneratorHarness.Run(GenericSource);
        GeneratorHarness.AssertClean(output);
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Session22OldOrderReviewGeneric.GG")!;
        Assert.Equal(0.0, (double)type.GetMethod("GenericCheck")!.Invoke(null, null)!);
    }
}
