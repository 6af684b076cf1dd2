using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Follow-ups to session 23's corpus refusals. A <c>Matrix4x4</c> product has no rule: the refusal is ONE located
/// error at the first product of the method, not one at each <c>*</c> (S23Robotics.DenavitHartenbergTip has three
/// products and gave three errors); a different refused construct in the same method still gets its own error.
/// </summary>
public sealed class Session23CorpusFollowUpTests
{
    private const string ProductRefusal = "'Matrix4x4.operator *(Matrix4x4, Matrix4x4)' (only System.Numerics operations with a rule";

    private static IReadOnlyList<(string Id, string Severity, string Text, string Message)> Errors(string body) => GeneratorHarness.Run($$"""
        using System;
        using System.Numerics;
        using StaticGrad;

        public static partial class C
        {
            [Differentiable]
            public static float F(float theta1, float theta2, float length)
            {
                {{body}}
            }
        }
        """).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();

    private static string Describe(IEnumerable<(string Id, string Severity, string Text, string Message)> found) => string.Join("\n", found.Select(d => $"{d.Id} at '{d.Text}': {d.Message}"));

    private static void AssertOneProductErrorAt(IReadOnlyList<(string Id, string Severity, string Text, string Message)> errors, string located)
    {
        Assert.True(errors.Count == 1, Describe(errors));
        Assert.Equal(("SG1002", located), (errors[0].Id, errors[0].Text));
        Assert.Contains(ProductRefusal, errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_three_products_of_the_corpus_function_are_one_error_at_the_first()
    {
        // DenavitHartenbergTip's body, as the corpus writes it.
        var errors = Errors("""
            var joint1 = Matrix4x4.CreateTranslation(length, 0f, 0f) * Matrix4x4.CreateRotationZ(theta1);
            var joint2 = Matrix4x4.CreateTranslation(0.6f, 0f, 0f) * Matrix4x4.CreateRotationZ(theta2);
            var tip = Vector3.Transform(Vector3.Zero, joint2 * joint1);
            return tip.X + 0.5f * tip.Y;
            """);
        AssertOneProductErrorAt(errors, "Matrix4x4.CreateTranslation(length, 0f, 0f) * Matrix4x4.CreateRotationZ(theta1)");
    }

    [Fact]
    public void A_single_product_is_one_located_error()
    {
        var errors = Errors("""
            var joint = Matrix4x4.CreateTranslation(length, 0f, 0f) * Matrix4x4.CreateRotationZ(theta1 + theta2);
            return Vector3.Transform(Vector3.UnitY, joint).X;
            """);
        AssertOneProductErrorAt(errors, "Matrix4x4.CreateTranslation(length, 0f, 0f) * Matrix4x4.CreateRotationZ(theta1 + theta2)");
    }

    [Fact]
    public void A_different_refused_operation_after_a_product_keeps_its_own_error()
    {
        // Only repeats of the same refusal are dropped: the sum is a second construct without a rule and is reported.
        var errors = Errors("""
            var a = Matrix4x4.CreateRotationZ(theta1) * Matrix4x4.CreateRotationZ(theta2);
            var b = a + Matrix4x4.CreateTranslation(length, 0f, 0f);
            var c = b * a;
            return Vector3.Transform(Vector3.UnitX, c).Y;
            """);
        Assert.True(errors.Count == 2, Describe(errors));
        var product = Assert.Single(errors, e => e.Message.Contains(ProductRefusal, StringComparison.Ordinal));
        Assert.Equal("Matrix4x4.CreateRotationZ(theta1) * Matrix4x4.CreateRotationZ(theta2)", product.Text);
        var sum = Assert.Single(errors, e => e.Message.Contains("'Matrix4x4.operator +(Matrix4x4, Matrix4x4)'", StringComparison.Ordinal));
        Assert.Equal("a + Matrix4x4.CreateTranslation(length, 0f, 0f)", sum.Text);
    }

    [Fact]
    public void Each_method_reports_its_own_first_product()
    {
        // The once-per-construct rule is per method: a second method with a product gets its own error.
        var found = GeneratorHarness.Run("""
            using System.Numerics;
            using StaticGrad;

            public static partial class C
            {
                [Differentiable]
                public static float F(float t) => Vector3.Transform(Vector3.UnitX, Matrix4x4.CreateRotationZ(t) * Matrix4x4.CreateRotationZ(t)).Y;

                [Differentiable]
                public static float G(float t) => Vector3.Transform(Vector3.UnitY, Matrix4x4.CreateRotationX(t) * Matrix4x4.CreateRotationX(t)).Z;
            }
            """).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        Assert.True(found.Count == 2, Describe(found));
        Assert.Equal(
            new[] { "Matrix4x4.CreateRotationX(t) * Matrix4x4.CreateRotationX(t)", "Matrix4x4.CreateRotationZ(t) * Matrix4x4.CreateRotationZ(t)" },
            found.Select(d => d.Text).OrderBy(t => t, StringComparer.Ordinal));
    }
}
