using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Diagnostics;

/// <summary>
/// Refusals are keyed on what is refused (the operation's kind and its constructor, method, operator or parameter), not
/// on the message: two different constructors refused with the same words ("constructors that do more than assign their
/// parameters …") are two errors, each at its own constructor call, and so are struct arguments passed to two different
/// methods; the same construct repeated in a method stays ONE error at its first occurrence (the Matrix4x4 products of
/// <see cref="Correctness.Session23CorpusFollowUpTests"/> keep theirs). A generic local function is one error at the
/// local function, however often it is called, whose message gives the two rewrites; both rewrites are accepted and
/// their gradients match central differences (step 1e-6, tolerance 1e-6·max(1, |fd|)). Exact diagnostics: id, the
/// text at the location, and the message.
/// </summary>
public sealed class Session24RefusalKeyTests
{
    private const string MoreThanAssign = "constructors that do more than assign their parameters to fields and properties (use an object initializer) are not supported in [Differentiable] methods";

    private const string Types = """
        using System;
        using System.Numerics;
        using StaticGrad;

        public struct Folded
        {
            public double V;
            public Folded(double v) { if (v > 0) V = v; else V = -v; }
            public Folded(double v, double w) { V = v; for (var i = 0; i < 2; i++) V += w; }
        }

        public struct Clipped
        {
            public double V;
            public Clipped(double v) { if (v > 1) V = 1; else V = v; }
        }

        public struct Pair
        {
            public double U;
            public double V;
        }

        public static class Plain
        {
            public static double First(Pair p) => p.U;
            public static double Second(Pair p) => p.V;
        }

        """;

    private delegate double BackwardDelegate(double[] a, Span<double> da, double seed);

    private static (string Id, string Severity, string Text, string Message)[] Errors(string members) =>
        GeneratorHarness.Run(Types + "public static partial class C\n{\n" + members + "\n}\n").LocatedDiagnostics().Where(d => d.Severity == "Error").ToArray();

    private static int[] ErrorStarts(string members) =>
        GeneratorHarness.Run(Types + "public static partial class C\n{\n" + members + "\n}\n").AnalyzerDiagnostics
            .Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.Location.SourceSpan.Start).ToArray();

    private static string Describe(IEnumerable<(string Id, string Severity, string Text, string Message)> found) => string.Join("\n", found.Select(d => $"{d.Id} at '{d.Text}': {d.Message}"));

    [Fact]
    public void Two_different_struct_constructors_with_the_same_message_are_two_errors()
    {
        var errors = Errors("""
                [Differentiable]
                public static double F(double x) => new Folded(x).V + new Clipped(x).V;
            """);
        Assert.True(errors.Length == 2, Describe(errors));
        Assert.Equal(("SG1002", "new Folded(x)", MoreThanAssign), (errors[0].Id, errors[0].Text, errors[0].Message));
        Assert.Equal(("SG1002", "new Clipped(x)", MoreThanAssign), (errors[1].Id, errors[1].Text, errors[1].Message));
    }

    [Fact]
    public void Two_overloads_of_one_constructor_are_two_errors()
    {
        var errors = Errors("""
                [Differentiable]
                public static double F(double x) => new Folded(x).V * new Folded(x, 2.0).V;
            """);
        Assert.True(errors.Length == 2, Describe(errors));
        Assert.Equal(new[] { "new Folded(x)", "new Folded(x, 2.0)" }, errors.Select(e => e.Text));
        Assert.All(errors, e => Assert.Equal(("SG1002", MoreThanAssign), (e.Id, e.Message)));
    }

    [Fact]
    public void The_same_constructor_three_times_is_one_error_at_the_first()
    {
        var errors = Errors("""
                [Differentiable]
                public static double F(double x, double y)
                {
                    var a = new Folded(x);
                    var b = new Folded(y);
                    return a.V * b.V + new Folded(x * y).V;
                }
            """);
        var error = Assert.Single(errors);
        Assert.Equal(("SG1002", "new Folded(x)", MoreThanAssign), (error.Id, error.Text, error.Message));
    }

    [Fact]
    public void Each_method_gets_its_own_error_for_the_same_constructor()
    {
        var errors = Errors("""
                [Differentiable]
                public static double F(double x) => new Folded(x).V + new Folded(2 * x).V;

                [Differentiable]
                public static double G(double x) => new Folded(x * x).V;
            """);
        Assert.Equal(new[] { "new Folded(x)", "new Folded(x * x)" }, errors.Select(e => e.Text));
    }

    private const string TwoMethods = """
            [Differentiable]
            public static double F(double x)
            {
                var p = new Pair { U = x, V = 2 * x };
                return Plain.First(p) * Plain.Second(p);
            }
        """;

    [Fact]
    public void Struct_arguments_to_two_different_methods_are_two_errors_and_to_one_method_one()
    {
        const string message = "passing a 'Pair' to a method that is not [Differentiable] in this project (read its fields here, or pass them one by one) are not supported in [Differentiable] methods";
        var two = Errors(TwoMethods);
        Assert.Equal(new[] { ("SG1002", "p", message), ("SG1002", "p", message) }, two.Select(e => (e.Id, e.Text, e.Message)));
        Assert.Equal(2, ErrorStarts(TwoMethods).Distinct().Count());
        var one = Errors("""
                [Differentiable]
                public static double F(double x)
                {
                    var p = new Pair { U = x, V = 2 * x };
                    var q = new Pair { U = x * x, V = x };
                    return Plain.First(p) * Plain.First(q);
                }
            """);
        Assert.Equal(new[] { ("SG1002", "p", message) }, one.Select(e => (e.Id, e.Text, e.Message)));
    }

    [Fact]
    public void Matrix_products_stay_one_error_per_method()
    {
        var errors = Errors("""
                [Differentiable]
                public static float F(float t)
                {
                    var m = Matrix4x4.CreateRotationZ(t) * Matrix4x4.CreateRotationZ(2 * t);
                    var n = Matrix4x4.CreateRotationX(t) * Matrix4x4.CreateRotationX(t);
                    return Vector3.Transform(Vector3.UnitX, m * n).Y;
                }
            """);
        var error = Assert.Single(errors);
        Assert.Equal("Matrix4x4.CreateRotationZ(t) * Matrix4x4.CreateRotationZ(2 * t)", error.Text);
        Assert.Contains("'Matrix4x4.operator *(Matrix4x4, Matrix4x4)'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generic_local_function_is_one_error_at_the_local_function_with_the_rewrites()
    {
        var errors = Errors("""
                [Differentiable]
                public static double F(double[] a)
                {
                    return Square<double>(a[0]) + Square(a[1]) * Twice(a[2]);

                    static U Square<U>(U v) where U : INumber<U> => v * v;
                    static T Twice<T>(T v) where T : IFloatingPointIeee754<T> { return v + v; }
                }
            """);
        Assert.True(errors.Length == 2, Describe(errors));
        Assert.Equal("static U Square<U>(U v) where U : INumber<U> => v * v;", errors[0].Text);
        Assert.Equal(
            "generic local functions ('Square<U>': write it over the method's own type, e.g. 'double Square(double v)', or move it out of the method as a [Differentiable] static generic method of the type, e.g. '[Differentiable] static T Square<T>(T v) where T : IFloatingPointIeee754<T>', and call that) are not supported in [Differentiable] methods",
            errors[0].Message);
        Assert.StartsWith("static T Twice<T>(T v)", errors[1].Text, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal("SG1002", e.Id));
    }

    [Fact]
    public void Both_rewrites_of_the_generic_local_function_are_accepted_and_right()
    {
        var output = GeneratorHarness.Run(Types + """
            public static partial class Rewritten
            {
                [Differentiable]
                public static double NonGeneric(double[] a)
                {
                    return Square(a[0]) + Square(a[1]) * a[2];

                    static double Square(double v) => v * v;
                }

                [Differentiable]
                public static double GenericMember(double[] a) => Square<double>(a[0]) + Square(a[1]) * a[2];

                [Differentiable]
                private static T Square<T>(T v) where T : IFloatingPointIeee754<T> => v * v;
            }
            """);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.ToString()));
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Rewritten")!;
        foreach (var name in new[] { "NonGeneric", "GenericMember" })
        {
            var f = type.GetMethod(name, new[] { typeof(double[]) })!.CreateDelegate<Func<double[], double>>();
            var backward = type.GetMethods().Single(m => m.Name == name + "Backward" && m.GetParameters().Length == 3).CreateDelegate<BackwardDelegate>();
            var a = new[] { 0.7, -1.3, 0.4 };
            var da = new double[3];
            var value = backward(a, da, 1.0);
            Assert.Equal(f(a), value);
            for (var i = 0; i < a.Length; i++)
            {
                var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
                up[i] += 1e-6;
                down[i] -= 1e-6;
                var fd = (f(up) - f(down)) / 2e-6;
                Assert.True(Math.Abs(da[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name}: d/da[{i}] {da[i]:R}, central differences {fd:R}");
            }
        }
    }
}
