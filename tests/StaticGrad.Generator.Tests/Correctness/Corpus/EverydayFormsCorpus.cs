namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// The smaller everyday forms as numeric code uses them: windows of an array passed to helpers as ranges and slices,
/// ref locals to elements in relaxation sweeps, lambdas in checks and log lines, Half tables read through double,
/// checked arithmetic, nameof, default and sizeof, and recursion written as [Differentiable] methods (the rewrite the
/// error for a recursive local function gives).
/// </summary>
internal static class EverydayFormsCorpus
{
    public const string Source = """
        using System;
        using System.Diagnostics;
        using StaticGrad;

        namespace Corpus;

        public static partial class EverydayForms
        {
            private static readonly double[] Weights = { 0.5, 1.0, 2.0, 1.0, 0.5 };
            private static readonly string[] Labels = { "mass", "spring", "damper" };
            private static readonly Half[] QuantizedKernel = { (Half)0.25, (Half)0.5, (Half)0.25 };

            // domain: v[3]=-1..1
            [Differentiable]
            public static double Mean(ReadOnlySpan<double> v)
            {
                double s = 0;
                foreach (var x in v)
                    s += x;
                return s / v.Length;
            }

            // domain: a[3]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double SumSquares(double[] a)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * a[i];
                return s;
            }

            // domain: x[7]=-1..1
            [Differentiable]
            public static double SmoothnessPenalty(double[] x)
            {
                double penalty = 0;
                for (int i = 0; i + 4 <= x.Length; i++)
                {
                    double d = Mean(x[i..(i + 3)]) - Mean(x[(i + 1)..(i + 4)]);
                    penalty += d * d;
                }

                return penalty;
            }

            // domain: signal[8]=-1..1 kernel[3]=-1..1
            [Differentiable]
            public static double ValidConvolutionEnergy(double[] signal, double[] kernel)
            {
                double energy = 0;
                for (int i = 0; i + kernel.Length <= signal.Length; i++)
                {
                    double y = Dot(signal.AsSpan(i, kernel.Length), kernel);
                    energy += y * y;
                }

                return energy;
            }

            // domain: y[6]=-1..1
            [Differentiable]
            public static double HeadTailLoss(double[] y) => Mean(y[..2]) * Mean(y[^2..]) + 0.5 * SumSquares(y[1..^1]);

            // domain: q[4]=-1..1
            [Differentiable]
            public static double CoupledOscillatorEnergy(ReadOnlySpan<double> q) =>
                0.5 * Dot(q.Slice(0, 2), q.Slice(0, 2)) + 0.1 * Dot(q.Slice(0, 2), q.Slice(2));

            // domain: b[4]=-1..1 omega=0.8..1.2 sweeps=1..4
            [Differentiable]
            public static double SuccessiveOverRelaxation(double[] b, double omega, int sweeps)
            {
                // Tridiagonal system 4 x[i] - x[i-1] - x[i+1] = b[i], relaxed in place.
                var x = new double[4];
                for (int s = 0; s < sweeps; s++)
                {
                    for (int i = 0; i < x.Length; i++)
                    {
                        ref double xi = ref x[i];
                        double left = i > 0 ? x[i - 1] : 0;
                        double right = i < x.Length - 1 ? x[i + 1] : 0;
                        xi += omega * ((b[i] + left + right) / 4 - xi);
                    }
                }

                return x[0] + 2 * x[1] + 3 * x[2] + 4 * x[3];
            }

            // domain: values[6]=0..1 k=0..2
            [Differentiable]
            public static double BucketedSquares(double[] values, int k)
            {
                var totals = new double[3];
                for (int i = 0; i < values.Length; i++)
                {
                    ref double bucket = ref totals[(i + k) % totals.Length];
                    bucket += values[i] * values[i];
                }

                return totals[0] * totals[1] + totals[2];
            }

            // domain: prediction[5]=-1..1 target[5]=-1..1
            [Differentiable]
            public static double WeightedSquaredError(double[] prediction, double[] target)
            {
                Debug.Assert(Array.TrueForAll(Weights, w => w >= 0), "weights must be non-negative");
                Array.ForEach(Labels, label => Trace.WriteLine(label));
                double loss = 0;
                for (int i = 0; i < prediction.Length; i++)
                {
                    double r = prediction[i] - target[i];
                    loss += Weights[i] * r * r;
                }

                return loss;
            }

            // domain: x[3]=-1..1
            [Differentiable]
            public static double SelectedByLabel(double[] x)
            {
                int i = Array.FindIndex(Labels, l => l.StartsWith("s", StringComparison.Ordinal));
                bool heavy = Array.Exists(Weights, w => w > 1.5);
                return heavy ? x[i] * x[(i + 1) % x.Length] : x[0];
            }

            // domain: x[5]=-1..1
            [Differentiable]
            public static double QuantizedSmoothing(double[] x)
            {
                double s = 0;
                for (int i = 0; i + QuantizedKernel.Length <= x.Length; i++)
                {
                    double y = 0;
                    for (int j = 0; j < QuantizedKernel.Length; j++)
                        y += (double)QuantizedKernel[j] * x[i + j];
                    s += y * y;
                }

                return s;
            }

            // domain: x[4]=-1..1 stride=1..2
            [Differentiable]
            public static double StridedEnergy(double[] x, int stride)
            {
                if (stride <= 0)
                    throw new ArgumentOutOfRangeException(nameof(stride), stride, "must be positive");
                int bytes = checked(x.Length * sizeof(double));
                double acc = default;
                for (int i = 0; i < x.Length; i += stride)
                    acc += x[i] * x[i] * unchecked(i + 1);
                return acc * (bytes / sizeof(double)) + default(double);
            }

            // Windows named once and used twice: ranges and indices held in locals.
            // domain: a[8]=-1..1
            [Differentiable]
            public static double WindowsHeldInLocals(double[] a)
            {
                var head = ..3;
                var tail = ^3..;
                Range middle = 2..^2;
                return Mean(a[head]) + Dot(a[tail], a[head]) * Mean(a[middle]);
            }

            // domain: a[6]=-1..1 i=0..2
            [Differentiable]
            public static double IndicesHeldInLocals(double[] a, int i)
            {
                Index last = ^1;
                Index first = i;
                var lo = i + 1;
                var window = lo..^1;
                lo = 0; // the range keeps the bound it was built with
                return a[last] * a[first] + Mean(a[window]) * a[^2] + lo;
            }

            // domain: s[6]=-1..1
            [Differentiable]
            public static double SpanWindowsHeldInLocals(ReadOnlySpan<double> s)
            {
                Range inner = 1..^1;
                Index mid = s.Length / 2;
                return Dot(s[inner], s[inner]) * s[mid] + s[^1];
            }

            // The rewrite SG1002 gives for a recursive local function: a [Differentiable] method of the type.
            // domain: b=0.5..1.5 k=0..5
            [Differentiable]
            public static double Power(double b, int k) => k == 0 ? 1 : b * Power(b, k - 1);

            // domain: x=0.2..2 depth=0..5
            [Differentiable]
            public static double ContinuedFraction(double x, int depth)
            {
                if (depth == 0)
                    return x;
                return x + 1 / (1 + ContinuedFraction(x * 0.5, depth - 1));
            }

            // domain: x=-1..1 n=0..6
            [Differentiable]
            public static double EvenStep(double x, int n) => n == 0 ? x * x : OddStep(x * 0.9, n - 1);

            // domain: x=-1..1 n=0..6
            [Differentiable]
            public static double OddStep(double x, int n) => n == 0 ? Math.Sin(x) : EvenStep(x + 0.1, n - 1);
        }
        """;
}
