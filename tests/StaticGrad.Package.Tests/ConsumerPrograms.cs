namespace StaticGrad.Package.Tests;

/// <summary>The programs the consumer projects are built from: what a user would write.</summary>
internal static class ConsumerPrograms
{
    /// <summary>
    /// Exercises what a user's first real model needs from the package: a loop that overwrites its accumulator and
    /// reads an array parameter, a call into another type's [Differentiable] method, a [DerivativeOf] rule for a
    /// method StaticGrad cannot read, a [NoGrad] parameter (no adjoint in the generated signature: the call below
    /// would not compile otherwise) and <c>float</c>. It prints each analytic gradient next to the central finite
    /// difference of the same function, and the test compares them.
    /// </summary>
    public const string Working = """
        using System.Globalization;
        using StaticGrad;

        namespace Consumer;

        /// <summary>Stands for another library's code: StaticGrad cannot read it.</summary>
        public static class Library
        {
            public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
        }

        public static class Rules
        {
            [DerivativeOf(typeof(Library), nameof(Library.Softplus))]
            public static double SoftplusPullback(double v, ref double dv, double seed)
            {
                dv += seed / (1 + Math.Exp(-v));
                return Library.Softplus(v);
            }
        }

        public static partial class Kernels
        {
            [Differentiable]
            public static double Bump(double v, double width) => Math.Exp(-v * v / width);
        }

        public static partial class Models
        {
            [Differentiable]
            public static double Horner(double[] coefficients, double x, [NoGrad] double scale)
            {
                var acc = 0.0;
                for (var i = coefficients.Length - 1; i >= 0; i--)
                {
                    acc = acc * x + coefficients[i];
                }

                return scale * Kernels.Bump(acc, 2.0) + Library.Softplus(x * acc);
            }

            [Differentiable]
            public static float Logistic(float x, float w) => 1f / (1f + MathF.Exp(-w * x));
        }

        public static class Program
        {
            public static void Main()
            {
                var coefficients = new[] { 0.3, -0.2, 0.5 };
                const double x = 0.7;
                const double scale = 1.5;
                var dCoefficients = new double[coefficients.Length];
                var dx = 0.0;
                var value = Models.HornerBackward(coefficients, x, scale, dCoefficients, ref dx);
                var point = new[] { coefficients[0], coefficients[1], coefficients[2], x };
                var fd = FiniteDifferences.Gradient(p => Models.Horner(new[] { p[0], p[1], p[2] }, p[3], scale), point);
                Print("horner", value, new[] { dCoefficients[0], dCoefficients[1], dCoefficients[2], dx }, fd);

                float dxf = 0f, dwf = 0f;
                var valuef = Models.LogisticBackward(0.4f, -1.3f, ref dxf, ref dwf);
                // float has 7 digits: a larger step keeps the difference quotient's rounding error small.
                var fdf = FiniteDifferences.Gradient(p => Models.Logistic((float)p[0], (float)p[1]), new[] { 0.4, -1.3 }, step: 1e-2);
                Print("logistic", valuef, new double[] { dxf, dwf }, fdf);
            }

            private static void Print(string name, double value, double[] gradient, double[] finiteDifference) =>
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name}: value={value:R} grad={string.Join(';', gradient.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))} fd={string.Join(';', finiteDifference.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))}"));
        }
        """;

    /// <summary>The marker of the planted SG0001 error in <see cref="Broken"/>: the diagnostic starts here.</summary>
    public const string PlantedTensorError = "y.RequiresGrad = true;";

    /// <summary>The marker of the planted SG1001 error in <see cref="Broken"/>: the diagnostic starts at the call.</summary>
    public const string PlantedDifferentiabilityError = "Helpers.Opaque(x) * x";

    /// <summary>
    /// One tensor mistake PyTorch finds only at run time (requires_grad on a computed tensor) and one call the
    /// compiler cannot differentiate; everything else in the file is correct, so the build must report exactly
    /// these two errors.
    /// </summary>
    public const string Broken = """
        using StaticGrad;

        namespace Consumer;

        public static class Helpers
        {
            public static double Opaque(double v) => v * 3;
        }

        public static partial class Models
        {
            [Differentiable]
            public static double Loss(double x) => Helpers.Opaque(x) * x;
        }

        public static class Program
        {
            public static void Main()
            {
                var x = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = x * 2.0;
                y.RequiresGrad = true;
                Console.WriteLine(Models.Loss(1.0) + y.Sum().Item());
            }
        }
        """;
}
