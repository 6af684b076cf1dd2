using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using StaticGrad.Analyzers.Differentiability;
using Verifier = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Differentiability;

/// <summary>
/// The SG1xxx diagnostics, each with and without the problem: exact location (<c>{|#0:…|}</c> marks the offending
/// expression) and exact message.
/// </summary>
public sealed class DifferentiabilityAnalyzerTests
{
    private const string Usings = "using System;\nusing StaticGrad;\n\n";

    private static DiagnosticResult Error(string id, string message) =>
        new DiagnosticResult(id, DiagnosticSeverity.Error).WithLocation(0).WithMessage(message);

    private static DiagnosticResult Warning(string id, string message) =>
        new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(0).WithMessage(message);

    private static Task Verify(string source, params DiagnosticResult[] expected) => Verifier.VerifyAsync(Usings + source, expected);

    [Fact]
    public Task SG1001_call_without_derivative_is_reported_on_the_call() => Verify(
        """
        public static partial class Losses
        {
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double Loss(double x) => {|#0:Softplus(x * 2)|} * x;
        }
        """,
        Error("SG1001", "'Losses.Softplus(double)' has no derivative: mark it [Differentiable], add a [DerivativeOf] rule for it, or wrap the argument in Autograd.Detach"));

    [Fact]
    public Task SG1001_not_reported_for_a_differentiable_callee_a_rule_a_detached_or_inactive_argument() => Verify(
        """
        public static partial class Losses
        {
            public static double Plain(double x) => x * 3;

            [Differentiable]
            public static double Marked(double x) => x * 3;

            public static double Ruled(double x) => x * 3;

            [DerivativeOf(typeof(Losses), nameof(Ruled))]
            public static double RuledPullback(double x, ref double dx, double seed)
            {
                dx += 3 * seed;
                return Ruled(x);
            }

            [Differentiable]
            public static double Loss(double x, [NoGrad] double k, int n) =>
                Marked(x) + Ruled(x) + Plain(Autograd.Detach(x)) * x + Plain(k) * x + Plain(n) * x + Plain(2) * x;
        }
        """);

    [Fact]
    public Task SG1002_unsupported_construct_is_reported_on_the_construct() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Jump(double x)
            {
                double v = x * x;
                {|#0:goto done;|}
            done:
                return v;
            }
        }
        """,
        Error("SG1002", "'goto' statements (write the jump as a loop with 'break' or 'continue', or test a bool flag) are not supported in [Differentiable] methods"));

    [Fact]
    public Task SG1002_try_statement() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Guarded(double x)
            {
                {|#0:try
                {
                    return x * x;
                }
                finally
                {
                }|}
            }
        }
        """,
        Error("SG1002", "'try' statements (validate the inputs with 'if' and 'throw' instead, or catch around the call of the method) are not supported in [Differentiable] methods"));

    [Fact]
    public Task SG1002_not_reported_for_the_supported_language() => Verify(
        """
        public static partial class Functions
        {
            private const double Scale = 2;
            private static readonly double Offset = 0.5;

            [Differentiable]
            public static double Everything(double x, double y, double[] a, ReadOnlySpan<double> b, int n)
            {
                double s = Scale * x + Offset;
                var t = new double[4];
                Span<double> u = stackalloc double[4];
                for (int i = 0; i < 4; i++)
                {
                    if (i > n)
                        break;
                    if (i % 2 == 1)
                        continue;
                    t[i] = a[i % a.Length] * s;
                    u[i] = t[i] + b[0];
                    s += u[i] > 0 ? u[i] : -u[i] * y;
                }

                int k = 0;
                while (k < n)
                {
                    k++;
                    s *= 0.5;
                }

                do
                {
                    s -= 0.1;
                    k--;
                }
                while (k > 0);
                foreach (var e in a)
                    s += Math.Tanh(e);
                switch (n)
                {
                    case 1:
                        s++;
                        break;
                    default:
                        s--;
                        break;
                }

                using (Autograd.NoGrad())
                {
                    y = s * 2;
                }

                if (s > 10)
                    return s;
                return s + Autograd.Detach(y) + (float)x;
            }
        }
        """);

    [Fact]
    public Task SG1003_type_not_partial_is_reported_on_the_method() => Verify(
        """
        public static class Losses
        {
            [Differentiable]
            public static double {|#0:Square|}(double x) => x * x;
        }
        """,
        Error("SG1003", "'Losses' must be declared partial so that the backward of 'Square' can be generated next to it"));

    [Fact]
    public Task SG1003_enclosing_type_not_partial() => Verify(
        """
        public static class Outer
        {
            public static partial class Inner
            {
                [Differentiable]
                public static double {|#0:Square|}(double x) => x * x;
            }
        }
        """,
        Error("SG1003", "'Outer' must be declared partial so that the backward of 'Square' can be generated next to it"));

    [Fact]
    public Task SG1003_not_reported_when_every_enclosing_type_is_partial() => Verify(
        """
        public static partial class Outer
        {
            public partial struct Inner
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
        }
        """);

    [Fact]
    public Task SG1004_ref_parameter_is_reported_on_the_parameter() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Scale(ref double {|#0:x|}, double k) => x * k;
        }
        """,
        Error("SG1004", "Parameter 'x' cannot be differentiated: 'ref' parameters are not supported; pass the value and return the result"));

    [Fact]
    public Task SG1004_unsupported_parameter_type() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double First(System.Collections.Generic.List<double> {|#0:values|}, double x) => x;
        }
        """,
        Error("SG1004", "Parameter 'values' cannot be differentiated: its type 'System.Collections.Generic.List<double>' is not supported; use double, float, a differentiable struct or tuple, their arrays (also two-dimensional or jagged) or spans, or mark it [NoGrad] to read it as a constant"));

    [Fact]
    public Task SG1004_not_reported_for_supported_parameter_kinds() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Many(double a, float b, double[] c, float[] d, ReadOnlySpan<double> e, Span<double> f, int g, long h, bool i, [NoGrad] double j) =>
                a + b + c[0] + d[0] + e[0] + f[0] + g + h + (i ? 1 : 0) + j;
        }
        """);

    [Fact]
    public Task SG1005_constant_result_is_reported_on_the_method_name() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double {|#0:Frozen|}(double x, [NoGrad] double y) => y * y + Autograd.Detach(x);
        }
        """,
        Warning("SG1005", "The result of 'Frozen' does not depend on any differentiable parameter: its gradient is always zero"));

    [Fact]
    public Task SG1005_not_reported_when_one_branch_depends_on_a_parameter() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Sometimes(double x, int n) => n > 2 ? x : 1.0;
        }
        """);

    [Fact]
    public Task SG1006_floor_of_an_active_value_is_reported_on_the_call() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Bucket(double x) => {|#0:Math.Floor(x * 10)|} / 10 + x;
        }
        """,
        Warning("SG1006", "'Math.Floor' has a zero derivative: no gradient flows through it to the differentiable parameters"));

    [Fact]
    public Task SG1006_integer_cast_of_an_active_value() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Truncated(double x) => {|#0:(int)x|} + x * x;
        }
        """,
        Warning("SG1006", "The conversion to 'int' has a zero derivative: no gradient flows through it to the differentiable parameters"));

    [Fact]
    public Task SG1006_not_reported_for_inactive_operands() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Indexed(double x, int n, [NoGrad] double k) => Math.Floor(k) * x + (int)k + n % 3 + Math.Floor(Autograd.Detach(x));
        }
        """);

    [Fact]
    public Task SG1007_rule_with_the_wrong_signature_is_reported() => Verify(
        """
        public static class Rules
        {
            [DerivativeOf(typeof(Math), nameof(Math.ScaleB))]
            public static double {|#0:ScaleBPullback|}(double x, ref double dx, double seed)
            {
                dx += seed;
                return x;
            }
        }
        """,
        new DiagnosticResult("SG1007", DiagnosticSeverity.Error).WithLocation(0));

    [Fact]
    public Task SG1007_not_reported_for_a_valid_rule() => Verify(
        """
        public static class Rules
        {
            [DerivativeOf(typeof(Math), nameof(Math.ScaleB))]
            public static double ScaleBPullback(double x, int n, ref double dx, double seed)
            {
                dx += seed * Math.ScaleB(1.0, n);
                return Math.ScaleB(x, n);
            }
        }
        """);

    [Fact]
    public Task SG1008_return_type_is_reported_on_the_method_name() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static int {|#0:Count|}(double x) => 3;
        }
        """,
        Error("SG1008", "'Count' returns 'int': a [Differentiable] method must return double or float"));

    [Fact]
    public Task SG1008_not_reported_for_float() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static float Square(float x) => x * x;
        }
        """);

    [Fact]
    public Task SG1009_write_to_a_parameter_array_is_reported_on_the_write() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Halve(double[,] a)
            {
                {|#0:a[0, 0] = a[0, 0] / 2|};
                return a[0, 0];
            }
        }
        """,
        Error("SG1009", "'a' is a parameter: [Differentiable] methods cannot replace a parameter array, or write to a two-dimensional or jagged parameter array; copy it into a local array first"));

    [Fact]
    public Task SG1010_stackalloc_span_created_in_a_loop() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Sum(double[] a)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    Span<double> {|#0:t = stackalloc double[2]|};
                    t[0] = a[i];
                    s += t[0];
                }

                return s;
            }
        }
        """,
        Error("SG1010", "Local array 't' is a 'stackalloc' span created inside a loop (a span cannot be saved for the reverse sweep): create a local array with 'new T[n]' (also inside a loop or again later) and copy elements into it rather than assigning another array"));

    [Fact]
    public Task SG1011_not_reported_when_the_callee_in_source_ships_a_backward_that_includes_its_NoGrad_parameters() => Verify(
        """
        public static partial class Functions
        {
            [Differentiable]
            public static double Weighted(double a, [NoGrad] double weight) => weight * a * a;

            [Differentiable]
            public static double Loss(double x, double w) => Weighted(x, w) + Weighted(x, Autograd.Detach(w)) + Weighted(x, 2);
        }
        """);

    [Fact]
    public void Every_descriptor_is_supported_with_its_help_link() =>
        Assert.True(DifferentiabilityAnalyzer.HelpLinksAgree);

    [Fact]
    public async Task Diagnostics_are_located_in_the_syntax_tree_so_that_pragmas_and_the_editor_can_use_them()
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Usings + """
            public static class Losses
            {
                [Differentiable]
                public static double Square(double x) => Math.Floor(x) + x * x;
            }
            """, path: "Losses.cs");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Located",
            new[] { tree },
            StaticGrad.Analyzers.Tests.Verifiers.TestReferences.All,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var diagnostics = await compilation
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new DifferentiabilityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        Assert.Equal(new[] { "SG1003", "SG1006" }, diagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.All(diagnostics, d => Assert.True(d.Location.IsInSource && d.Location.SourceTree == tree, $"{d.Id} is located at {d.Location.Kind}, not in the syntax tree"));
    }

    /// <summary>
    /// Session 20 passes over declarations without attribute lists before asking for their symbol; a partial method's
    /// attribute may sit on its other part, so the implementing part (no list of its own) is still analyzed.
    /// </summary>
    [Fact]
    public async Task Partial_method_with_the_attribute_on_its_defining_part_is_analyzed()
    {
        var source = Usings + """
            public static partial class Losses
            {
                public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                [Differentiable]
                public static partial double Loss(double x);

                public static partial double Loss(double x) => Softplus(x * 2) * x;
            }
            """;
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, path: "Losses.cs");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "PartialParts",
            new[] { tree },
            StaticGrad.Analyzers.Tests.Verifiers.TestReferences.All,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var implementation = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Single(m => m.Identifier.Text == "Loss" && m.ExpressionBody is not null);
        Assert.Empty(implementation.AttributeLists);
        Assert.True(DifferentiabilityAnalyzer.MayCarryAttributes(implementation));

        var diagnostics = await compilation
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new DifferentiabilityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        var call = implementation.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>().Single();
        Assert.Contains(diagnostics, d => d.Id == "SG1001" && d.Location.SourceSpan == call.Span);
        Assert.False(DifferentiabilityAnalyzer.MayCarryAttributes(
            tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Softplus")));
    }
}
