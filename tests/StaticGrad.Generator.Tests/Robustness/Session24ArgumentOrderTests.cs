using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Arguments are evaluated in C#'s order (written order, each once) by the lowerings session 23 left open
/// (<c>Lowering/StatementLowering.ArgumentOrder.cs</c>): an array literal written by name before a scalar
/// (<c>Scaled(xs: new[] { a[4], x }, scale: Checked(x))</c>), an array literal, a collection expression or a
/// <c>params</c> array after a scalar that throws (the literal is built in a statement before the call, so it ran first),
/// local functions with such arguments, and the System.Numerics expansions written positionally, which read their
/// operands in their own order (<c>Vector3.Lerp</c> bound the amount before reading value2's leaves, <c>Max</c> and
/// <c>Clamp</c> interleave the operands' leaves, <c>Quaternion.Concatenate</c> reads its second operand first,
/// <c>CreateFromAxisAngle</c> the angle before the axis, <c>Complex.Divide</c> the divisor's norm first, <c>v * s</c>
/// the scalar first). Each method is called where the argument written first throws (<c>a[4]</c> of a 4-element array:
/// IndexOutOfRangeException) and a later one throws too (<c>Checked(x)</c> at x = 0.95: ArgumentOutOfRangeException):
/// the Backward throws what the primal throws, type and message; with a 5-element array only the later one throws.
/// Inside the domain the Backward's value is the primal's (bit for bit in double; the float Numerics methods within
/// 1e-6 relative, as session 23's Lerp) and the gradient matches central differences (double: step 1e-6, tolerance
/// 1e-6·max(1, |fd|); methods computing in float: step 1e-3, tolerance 2e-3·max(1, |fd|)). Not here: a call in a
/// <c>while</c> condition (the loop-condition lowering's, loop24's); two increments of one local in one statement
/// (refused, SG1002); side effects of calls of methods that are not [Differentiable], which the compiler reads as pure
/// functions (printed where their value is needed, again in the reverse sweep), so no lowering orders them.
/// </summary>
public sealed class Session24ArgumentOrderTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Numerics;
        using StaticGrad;

        namespace Session24ArgumentOrder;

        public static partial class A
        {
            [Differentiable]
            private static double Checked(double v) => v > 0.9 ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : v * v;

            [Differentiable]
            private static double Scaled(double scale, params double[] xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++)
                {
                    s += xs[i] * xs[i];
                }

                return scale * s;
            }

            [Differentiable]
            private static double Weighted(double w, double[] xs) => w * xs[0] + xs[1] * xs[1];

            [Differentiable]
            private static double Two(double u, double v) => u * v + v;

            [Differentiable]
            public static double ArrayLiteralByName(double[] a, double x) => Scaled(xs: new[] { a[4], x }, scale: Checked(x));

            [Differentiable]
            public static double CollectionByName(double[] a, double x) => Weighted(xs: [a[4], x], w: Checked(x));

            [Differentiable]
            public static double ArrayLiteralAfterScalar(double[] a, double x) => Weighted(a[4] * x, new[] { Checked(x), x });

            [Differentiable]
            public static double CollectionAfterScalar(double[] a, double x) => Weighted(a[4] + x, [x, Checked(x)]);

            [Differentiable]
            public static double ParamsAfterScalar(double[] a, double x) => Scaled(a[4], Checked(x), x);

            [Differentiable]
            public static double LocalFunctionArrayAfterScalar(double[] a, double x)
            {
                double L(double s, double[] v) => s * v[0] + v[1];
                return L(a[4] * x, new[] { Checked(x), x });
            }

            [Differentiable]
            public static double LocalFunctionArrayByName(double[] a, double x)
            {
                double L(double s, double[] v) => s * v[0] - v[1];
                return L(v: new[] { a[4], x }, s: Checked(x));
            }

            [Differentiable]
            public static double LerpPositional(double[] a, double x)
            {
                var p = new Vector3((float)x, 1f, 2f);
                var q = new Vector3(2f, (float)x, 0.5f);
                var r = Vector3.Lerp(p, q * (float)a[4], (float)Checked(x));
                return r.X + r.Y * r.Z;
            }

            [Differentiable]
            public static double LerpNamedInOrder(double[] a, double x)
            {
                var p = new Vector3((float)x, 1f, 2f);
                var r = Vector3.Lerp(value1: p * (float)a[4], value2: p, amount: (float)Checked(x));
                return r.X * r.Y + r.Z;
            }

            [Differentiable]
            public static double LerpOutOfOrder(double[] a, double x)
            {
                var p = new Vector3((float)x, 1f, 2f);
                var r = Vector3.Lerp(value2: p * (float)a[4], value1: p * (float)Checked(x), amount: 0.25f);
                return r.X * r.Y + r.Z;
            }

            [Differentiable]
            public static double MaxPositional(double[] a, double x)
            {
                var m = Vector3.Max(new Vector3((float)x, (float)a[4], 0.5f), new Vector3((float)Checked(x), 0.25f, 1f));
                return m.X * m.Y + m.Z;
            }

            [Differentiable]
            public static double ConcatenatePositional(double[] a, double x)
            {
                var q = Quaternion.Concatenate(new Quaternion((float)a[4], 0.5f, 0.25f, 1f), new Quaternion((float)Checked(x), (float)x, 0f, 1f));
                return q.X + q.Y * q.W + q.Z;
            }

            [Differentiable]
            public static double AxisAnglePositional(double[] a, double x)
            {
                var q = Quaternion.CreateFromAxisAngle(new Vector3((float)a[4], 0.6f, 0.8f), (float)Checked(x));
                return q.X + q.Y * q.W + q.Z;
            }

            [Differentiable]
            public static double ComplexDivide(double[] a, double x)
            {
                var c = Complex.Divide(new Complex(a[4], x), new Complex(Checked(x), 0.5));
                return c.Real + c.Imaginary * x;
            }

            [Differentiable]
            public static double VectorTimesScalar(double[] a, double x)
            {
                var v = new Vector3((float)a[4], (float)x, 1f) * (float)Checked(x);
                return v.X + v.Y * v.Z;
            }
        }
        """;

    private static readonly Lazy<Type> s_type = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics.Select(d => d.ToString()));
        return GeneratorHarness.Load(output.OutputCompilation).GetType("Session24ArgumentOrder.A")!;
    });

    public static TheoryData<string> Methods() => new(
        "ArrayLiteralByName", "CollectionByName", "ArrayLiteralAfterScalar", "CollectionAfterScalar", "ParamsAfterScalar", "LocalFunctionArrayAfterScalar",
        "LocalFunctionArrayByName", "LerpPositional", "LerpNamedInOrder", "LerpOutOfOrder", "MaxPositional", "ConcatenatePositional", "AxisAnglePositional",
        "ComplexDivide", "VectorTimesScalar");

    [Theory]
    [MemberData(nameof(Methods))]
    public void Backward_throws_the_exception_of_the_argument_written_first(string name) =>
        Session23ArgumentOrderTests.AssertThrowsAsThePrimal(s_type.Value, name, new[] { 0.1, 0.2, 0.3, 0.4 }, 0.95, "System.IndexOutOfRangeException");

    [Theory]
    [MemberData(nameof(Methods))]
    public void Backward_throws_the_later_arguments_exception_when_the_first_does_not_throw(string name) =>
        Session23ArgumentOrderTests.AssertThrowsAsThePrimal(s_type.Value, name, new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }, 0.95, "System.ArgumentOutOfRangeException");

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_differences_and_value_is_the_primals(string name)
    {
        var isFloat = InFloat(name);
        Session23ArgumentOrderTests.AssertGradient(s_type.Value, name, isFloat ? 1e-6 : 0, isFloat ? 1e-3 : 1e-6, isFloat ? 2e-3 : 1e-6);
    }

    private static bool InFloat(string name) =>
        name.StartsWith("Lerp", StringComparison.Ordinal) || name is "MaxPositional" or "ConcatenatePositional" or "AxisAnglePositional" or "VectorTimesScalar";
}
