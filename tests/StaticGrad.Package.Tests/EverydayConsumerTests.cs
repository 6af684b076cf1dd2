namespace StaticGrad.Package.Tests;

/// <summary>
/// Everyday C# from the packed package in a fresh console project: a generic-math method (called with double and
/// float), a local function and a recursive one (lifted to a member), a pattern switch, a guard and a range passed to
/// another [Differentiable] method, and (session 22) a generic-math triangle nest of GMM's shape with integer Math calls
/// under user names the generator also uses. Each gradient is printed next to the central finite difference of the
/// same function and compared here.
/// </summary>
[Collection(nameof(PackageCollection))]
public sealed class EverydayConsumerTests(PackageFixture package)
{
    private const string Program = """
        using System.Globalization;
        using System.Numerics;
        using StaticGrad;

        namespace Everyday;

        public static partial class Models
        {
            [Differentiable]
            public static T Swish<T>(T x, T beta) where T : IFloatingPointIeee754<T> => x / (T.One + T.Exp(-beta * x));

            // Session 22: a loop index's exit value and the user's integer Math calls in a generic-math method (CS1503 before).
            [Differentiable]
            public static T Triangle<T>(T[] icf, T[] x, int d) where T : IFloatingPointIeee754<T>
            {
                T _result = T.Zero;
                for (int dx = 0; dx < d; dx++)
                {
                    T seed = T.Exp(icf[dx]) * x[dx];
                    int _tape = d + dx - 1;
                    for (int col = 0; col < dx; col++)
                    {
                        seed += icf[_tape] * x[Math.Max(col - 1, 0)] * T.CreateChecked(Math.Abs(col - 2) + 1);
                        _tape += d - col - 2;
                    }

                    _result += seed * seed;
                }

                return _result;
            }

            [Differentiable]
            public static double Mean(ReadOnlySpan<double> v)
            {
                double s = 0;
                foreach (var e in v)
                    s += e;
                return s / v.Length;
            }

            [Differentiable]
            public static double Loss(double[] y, double delta)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(delta);
                double Huber(double r) => Math.Abs(r) switch
                {
                    var a when a <= delta => 0.5 * r * r,
                    var a => delta * (a - 0.5 * delta),
                };

                double Horner(int i) => i == y.Length - 1 ? y[i] : y[i] + 0.5 * delta * Horner(i + 1);
                return Huber(Mean(y[1..]) - y[0]) + Swish(y[0], 1.5) + 0.1 * Horner(0);
            }
        }

        public static class Program
        {
            public static void Main()
            {
                var y = new[] { 0.4, -1.2, 2.5, 0.3 };
                var dy = new double[y.Length];
                double dDelta = 0;
                var value = Models.LossBackward(y, 0.8, dy, ref dDelta);
                var point = new[] { y[0], y[1], y[2], y[3], 0.8 };
                var fd = FiniteDifferences.Gradient(p => Models.Loss(new[] { p[0], p[1], p[2], p[3] }, p[4]), point);
                Print("everyday", value, new[] { dy[0], dy[1], dy[2], dy[3], dDelta }, fd);

                float dx = 0f, dBeta = 0f;
                var valuef = Models.SwishBackward(0.7f, 1.3f, ref dx, ref dBeta);
                var fdf = FiniteDifferences.Gradient(p => Models.Swish((float)p[0], (float)p[1]), new[] { 0.7, 1.3 }, step: 1e-2);
                Print("swishf", valuef, new double[] { dx, dBeta }, fdf);

                var icf = new double[15];
                for (var i = 0; i < icf.Length; i++)
                    icf[i] = 0.1 * Math.Sin(i + 1.0);
                var x = new[] { 0.3, -0.7, 1.1, 0.5, -0.2 };
                var dIcf = new double[icf.Length];
                var dX = new double[x.Length];
                var valuet = Models.TriangleBackward(icf, x, 5, dIcf, dX);
                var fdt = FiniteDifferences.Gradient(p => Models.Triangle(p[..15], p[15..], 5), icf.Concat(x).ToArray());
                Print("triangle", valuet, dIcf.Concat(dX).ToArray(), fdt);
            }

            private static void Print(string name, double value, double[] gradient, double[] finiteDifference) =>
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name}: value={value:R} grad={string.Join(';', gradient.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))} fd={string.Join(';', finiteDifference.Select(g => g.ToString("R", CultureInfo.InvariantCulture)))}"));
        }
        """;

    [Fact]
    public void Generic_math_local_functions_patterns_guards_and_ranges_work_from_the_package()
    {
        var directory = package.CreateConsumer("Everyday", Program);
        var build = ProcessRunner.Dotnet(directory, "build", "-c", "Release").EnsureSuccess("dotnet build of the everyday consumer");
        Assert.DoesNotContain(BuildDiagnostics.Parse(build.Output), d => d.Id.StartsWith("SG", StringComparison.Ordinal));

        var run = ProcessRunner.Dotnet(directory, "run", "-c", "Release", "--no-build").EnsureSuccess("dotnet run of the everyday consumer");

        // double against central differences with the default step: 1e-6 relative.
        var everyday = PrintedGradient.Find(run.Output, "everyday");
        Assert.Equal(5, everyday.Gradient.Length);
        PrintedGradient.AssertClose(everyday, relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        Assert.Contains(everyday.Gradient, g => Math.Abs(g) > 1e-3);

        // The generic method instantiated with float: 7 digits and a 1e-2 step, so 1e-3 relative.
        var swish = PrintedGradient.Find(run.Output, "swishf");
        PrintedGradient.AssertClose(swish, relativeTolerance: 1e-3, absoluteTolerance: 1e-4);
        Assert.All(swish.Gradient, g => Assert.True(Math.Abs(g) > 1e-2, $"gradient component {g} unexpectedly small"));

        // The generic triangle at double, against central differences: 1e-6 relative.
        var triangle = PrintedGradient.Find(run.Output, "triangle");
        Assert.Equal(20, triangle.Gradient.Length);
        PrintedGradient.AssertClose(triangle, relativeTolerance: 1e-6, absoluteTolerance: 1e-8);
        Assert.Contains(triangle.Gradient, g => Math.Abs(g) > 1e-2);
    }
}
