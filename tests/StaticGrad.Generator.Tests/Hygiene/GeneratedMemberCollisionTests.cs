using System.Globalization;
using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Hygiene;

/// <summary>
/// SG1020: a generated member whose name the user's type already uses is reported once, at the method, and nothing
/// is generated for that method; the generated files of the other methods still compile, with no CS error anywhere.
/// </summary>
public sealed class GeneratedMemberCollisionTests
{
    private static GeneratorOutput Run(string members) =>
        GeneratorHarness.Run("using System;\nusing StaticGrad;\n\npublic partial class Base\n{\n    public int InheritedBackward;\n}\n\npublic partial class C : Base\n{\n" + members +
            "\n    [Differentiable] public static double Other(double x) => x * x;\n}\n");

    private static void AssertReported(GeneratorOutput output, string generatedName, string what)
    {
        var d = Assert.Single(output.AnalyzerDiagnostics, d => d.Id == "SG1020");
        var tree = output.OutputCompilation.SyntaxTrees.First();
        var method = tree.GetText().ToString(d.Location.SourceSpan);
        Assert.StartsWith(method, generatedName, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("'" + generatedName + "'", message, StringComparison.Ordinal);
        Assert.Contains(what, message, StringComparison.Ordinal);
        Assert.Equal("https://github.com/staticgrad/staticgrad/blob/main/docs/diagnostics/SG1020.md", d.Descriptor.HelpLinkUri);

        // No CS error anywhere and no warning in a generated file: the clashing method got no file, the others compile.
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(x =>
            x.Severity == DiagnosticSeverity.Error || (x.Severity == DiagnosticSeverity.Warning && x.Location.SourceTree != tree)));
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("C." + method + ".", StringComparison.Ordinal));
        Assert.Contains(output.Sources, s => s.HintName == "C.Other.g.cs");
    }

    [Theory]
    [InlineData("public static double FBackward(double x) => x;", "FBackward", "a method")]
    [InlineData("public static double FBackward(double x, ref double dx, double seed = 1.0) => x;", "FBackward", "a method")]
    [InlineData("public double FTangent { get; set; }", "FTangent", "a property")]
    [InlineData("private int FBackwardIncludingNoGrad;", "FBackwardIncludingNoGrad", "a field")]
    [InlineData("public class FTangentIncludingNoGrad { }", "FTangentIncludingNoGrad", "a nested type")]
    public void A_user_member_with_a_generated_name_is_reported_at_the_method(string member, string generatedName, string what)
    {
        var output = Run("    " + member + "\n    [Differentiable(Forward = true)] public static double F(double x, [NoGrad] double c) => x * x * c;");
        AssertReported(output, generatedName, what);
    }

    [Fact]
    public void An_output_left_to_the_project_default_is_left_out_when_its_name_is_taken()
    {
        // The project default (StaticGradForward, on in the harness) is not visible to the analyzer: no SG1020, no Tangent.
        var output = Run("    public double FTangent { get; set; }\n    [Differentiable] public static double F(double x) => x * x;\n" +
            "    public static Tensor TFused(Tensor a) => a;\n    [Differentiable] public static Tensor T(Tensor a) => a * a;");

        Assert.DoesNotContain(output.AnalyzerDiagnostics, d => d.Id == "SG1020");
        Assert.Contains(output.Sources, s => s.HintName == "C.F.g.cs");
        Assert.DoesNotContain(output.Sources, s => s.HintName == "C.F.Tangent.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "C.Other.Tangent.g.cs");
        Assert.DoesNotContain("TFusedNode", output.Source("C.T.Tensor.g.cs"), StringComparison.Ordinal);
        Assert.Contains("TBackward", output.Source("C.T.Tensor.g.cs"), StringComparison.Ordinal);
        Assert.Empty(output.CompilationDiagnostics);
    }

    [Fact]
    public void A_visible_inherited_member_is_a_clash_too()
    {
        var output = Run("    [Differentiable] public static double Inherited(double x) => x * x;");
        AssertReported(output, "InheritedBackward", "an inherited field");
    }

    [Theory]
    [InlineData("Jvp")]
    [InlineData("JvpBackward")]
    [InlineData("HessianVector")]
    [InlineData("Hessian")]
    public void Second_order_names_clash_only_when_the_method_opts_in(string suffix)
    {
        var member = "    public static void H" + suffix + "() { }\n";
        AssertReported(Run(member + "    [Differentiable(Hessian = true)] public static double H(double x) => x * x * x;"), "H" + suffix, "a method");

        var without = Run(member + "    [Differentiable] public static double H(double x) => x * x * x;");
        Assert.DoesNotContain(without.AnalyzerDiagnostics, d => d.Id == "SG1020");
        Assert.Contains(without.Sources, s => s.HintName == "C.H.g.cs");
        Assert.Empty(without.CompilationDiagnostics);
    }

    [Fact]
    public void A_tensor_bodied_method_whose_fused_name_is_taken_is_reported()
    {
        var output = Run("    public static Tensor TFused(Tensor a) => a;\n    [Differentiable(Tensor = true)] public static Tensor T(Tensor a) => a * a;");
        AssertReported(output, "TFused", "a method");
    }

    [Fact]
    public void Without_a_clash_nothing_is_reported_and_every_output_compiles()
    {
        var output = Run("""
                public static double FDerivative(double x) => 2 * x;
                public double Backward { get; set; }
                [Differentiable(Hessian = true)] public static double F(double x, [NoGrad] double c) => x * x * c;
                [Differentiable] public static Tensor T(Tensor a) => a * a;
            """);

        Assert.DoesNotContain(output.AnalyzerDiagnostics, d => d.Id == "SG1020");
        Assert.Contains(output.Sources, s => s.HintName == "C.F.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "C.F.Hessian.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "C.T.Tensor.g.cs");
        Assert.Empty(output.CompilationDiagnostics);
    }

    /// <summary>
    /// A method that hides or overrides a base type's [Differentiable] method of the same signature would get generated
    /// members hiding the base's (CS0108 in a generated file, and a call through the base type running the base's
    /// backward): one SG1020 at the derived method; the base's own output is kept, and an overload is no clash.
    /// </summary>
    [Theory]
    [InlineData("public partial class B { [Differentiable] public virtual double F(double x) => x * x; }\npublic partial class D : B { [Differentiable] public override double F(double x) => x * x * x; }")]
    [InlineData("public partial class B { [Differentiable] public double F(double x) => x * x; }\npublic partial class D : B { [Differentiable] public new double F(double x) => x * x * x; }")]
    [InlineData("public partial class B { [Differentiable] public static double F(double x) => x * x; }\npublic class M : B { }\npublic partial class D : M { [Differentiable] public static new double F(double x) => x * x * x; }")]
    public void A_method_hiding_a_base_differentiable_method_is_reported_at_the_method(string source)
    {
        var output = GeneratorHarness.Run("using System;\nusing StaticGrad;\n\n" + source +
            "\npublic partial class D { [Differentiable] public double F(double x, double y) => x * y; }\n");
        var d = Assert.Single(output.AnalyzerDiagnostics, d => d.Id == "SG1020");
        Assert.Contains("inherited [Differentiable] method 'B.F'", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error || (x.Severity == DiagnosticSeverity.Warning && x.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)));
        Assert.Contains(output.Sources, s => s.HintName == "B.F.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "D.F_double_double.g.cs");
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("D.F_double.", StringComparison.Ordinal));
    }

    /// <summary>
    /// A call of a virtual method runs the object's override, whose derivative the caller's backward (which calls the
    /// declaration's non-virtual generated backward) would miss: one error at the call, unless the type is sealed;
    /// <c>base.F(x)</c> is a non-virtual call of the base's method and differentiates through the base's backward.
    /// </summary>
    [Fact]
    public void A_virtual_call_is_refused_unless_sealed_and_a_base_call_uses_the_base_backward()
    {
        var output = GeneratorHarness.Run("""
            using System;
            using StaticGrad;

            public partial class B
            {
                [Differentiable] public virtual double F(double x) => x * x;
                [Differentiable] public double G(double x) => F(x) + x;
            }

            public sealed partial class S : B
            {
                [Differentiable] public double H(double x) => F(x) * 2;
            }

            public partial class D : B
            {
                [Differentiable] public double K(double x) => base.F(x) * 3;
            }
            """);
        var d = Assert.Single(output.AnalyzerDiagnostics);
        Assert.Equal("SG1002", d.Id);
        Assert.Contains("virtual", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("base.FBackward(", output.Source("D.K.g.cs"), StringComparison.Ordinal);
        Assert.Contains("this.FBackward(", output.Source("S.H.g.cs"), StringComparison.Ordinal);
        Assert.Empty(output.CompilationDiagnostics);
    }
}
