namespace StaticGrad.Package.Tests;

/// <summary>
/// The code the consumer matrix builds: [Differentiable] methods in the shapes users write (branches that return from
/// both sides, a switch, loops over arrays with a [NoGrad] parameter, float, a call into another method, a Tensor-bodied
/// method), documented, so that <c>GenerateDocumentationFile</c> has nothing to say about the user's own members.
/// </summary>
internal static class MatrixPrograms
{
    /// <summary>The library part; <c>{0}</c> is the attribute each method carries (e.g. <c>Differentiable(Forward = true)</c>).</summary>
    public const string Library = """
        using System;
        using StaticGrad;

        namespace Matrix
        {
            /// <summary>Functions whose gradients StaticGrad generates.</summary>
            public static partial class Functions
            {
                /// <summary>A branch that overwrites the result, and an early return.</summary>
                /// <param name="x">The input.</param>
                /// <param name="y">The other input.</param>
                /// <returns>A smooth-enough value.</returns>
                [ATTRIBUTE]
                public static double Piecewise(double x, double y)
                {
                    var r = x / (1 + y * y);
                    if (x > y)
                    {
                        r = x * y + Math.Sin(x);
                    }

                    if (y > 10)
                    {
                        return r * y;
                    }

                    return r;
                }

                /// <summary>A switch over an integer.</summary>
                /// <param name="x">The input.</param>
                /// <param name="mode">Which formula.</param>
                /// <returns>The chosen formula's value.</returns>
                [ATTRIBUTE]
                public static double Switch(double x, int mode)
                {
                    var r = x;
                    switch (mode)
                    {
                        case 0:
                            r = x * x;
                            break;
                        case 1:
                            r = Math.Exp(x);
                            break;
                        default:
                            r = Math.Tanh(x) * x;
                            break;
                    }

                    return r;
                }

                /// <summary>A weighted sum of squares over arrays, weights frozen.</summary>
                /// <param name="v">The values.</param>
                /// <param name="w">The weights (not differentiated).</param>
                /// <returns>The weighted sum.</returns>
                [ATTRIBUTE]
                public static double Weighted(double[] v, [NoGrad] double[] w)
                {
                    var sum = 0.0;
                    for (var i = 0; i < v.Length; i++)
                    {
                        sum += w[i] * v[i] * v[i];
                    }

                    return sum;
                }

                /// <summary>A loop that overwrites a carried scalar.</summary>
                /// <param name="x">The start.</param>
                /// <param name="y">The coupling.</param>
                /// <returns>The value after ten steps.</returns>
                [ATTRIBUTE]
                public static double Relax(double x, double y)
                {
                    var r = x;
                    for (var k = 0; k < 10; k++)
                    {
                        r = r * 0.5 + y * Math.Tanh(r);
                    }

                    return r;
                }

                /// <summary>Single precision, and a call into another [Differentiable] method.</summary>
                /// <param name="x">The input.</param>
                /// <param name="w">The weight.</param>
                /// <returns>The logistic of w·x plus a square.</returns>
                [ATTRIBUTE]
                public static float Logistic(float x, float w) => 1f / (1f + MathF.Exp(-w * x)) + Square(x);

                /// <summary>The square.</summary>
                /// <param name="x">The input.</param>
                /// <returns>x².</returns>
                [ATTRIBUTE]
                public static float Square(float x) => x * x;

                /// <summary>A method over tensors: the static backward, and with the Tensor opt-in the fused node.</summary>
                /// <param name="w">The weights.</param>
                /// <param name="x">The data.</param>
                /// <returns>The summed activation.</returns>
                [ATTRIBUTE]
                public static Tensor Activation(Tensor w, [NoGrad] Tensor x) => (w * x).Tanh().Sum();
            }
        }
        """;

    /// <summary>A console program over <see cref="Library"/>: calls what every configuration generates.</summary>
    public const string Program = """
        namespace Matrix
        {
            /// <summary>The entry point.</summary>
            public static class Program
            {
                /// <summary>Calls the generated backward of every method.</summary>
                public static void Main()
                {
                    double dx = 0, dy = 0;
                    var value = Functions.PiecewiseBackward(0.3, 0.7, ref dx, ref dy);
                    var dv = new double[2];
                    value += Functions.WeightedBackward(new[] { 1.0, 2.0 }, new[] { 0.5, 0.25 }, dv);
                    System.Console.WriteLine(value + dx + dy + dv[0]);
                }
            }
        }
        """;

    /// <summary>
    /// The extension point for the name-hygiene work: a consumer whose names collide with every name the generator
    /// emits (<c>dx</c> next to <c>x</c>, <c>_result</c>, <c>@base</c>, a member called <c>…Backward</c>) and methods
    /// that return from both branches of an <c>if</c>/<c>else</c> (CS0219 on the generated <c>_returned</c> today)
    /// join the matrix as another row of <see cref="PackageMatrixTests.Configurations"/> once the per-method name scope
    /// has landed. Null until then.
    /// </summary>
    public const string? CollidingNames = null;

    /// <summary>The library with every method carrying <paramref name="attribute"/>.</summary>
    public static string LibraryWith(string attribute) => Library.Replace("ATTRIBUTE", attribute, StringComparison.Ordinal);
}
