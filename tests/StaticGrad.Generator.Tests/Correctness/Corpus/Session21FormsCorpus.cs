namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 21's domain corpus, the everyday forms: a user complex-like struct with <c>+ - * /</c> operators and a
/// <c>static</c> factory, <c>in</c>/<c>ref readonly</c>/<c>out</c> parameters of helpers, <c>ReadOnlySpan&lt;double&gt;</c>
/// slices and <c>stackalloc</c>, <c>List&lt;double&gt;</c>/<c>IReadOnlyList&lt;double&gt;</c>, LINQ over arrays
/// (<c>Sum</c>, <c>Select</c>, <c>Zip</c>, <c>Max</c>, <c>Average</c>), <c>switch</c> with <c>when</c>, <c>is not</c>,
/// <c>??</c>, <c>double.IsFinite</c> guards, <c>const</c> locals, computed properties and <c>with</c> on record structs.
/// It declares a <c>ref readonly</c> parameter, so the strict-consumer tests compile it from C# 12 on.
/// </summary>
internal static partial class Session21DomainCorpus
{
    public const string FormsSource = """
        // requires C# 12
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using StaticGrad;

        namespace Corpus;

        public readonly struct S21Cpx
        {
            public S21Cpx(double re, double im) { Re = re; Im = im; }
            public double Re { get; }
            public double Im { get; }
            public double Modulus => Math.Sqrt(Re * Re + Im * Im);
            public static S21Cpx FromPolar(double r, double theta) => new S21Cpx(r * Math.Cos(theta), r * Math.Sin(theta));
            public static S21Cpx operator +(S21Cpx a, S21Cpx b) => new S21Cpx(a.Re + b.Re, a.Im + b.Im);
            public static S21Cpx operator -(S21Cpx a, S21Cpx b) => new S21Cpx(a.Re - b.Re, a.Im - b.Im);
            public static S21Cpx operator *(S21Cpx a, S21Cpx b) => new S21Cpx(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);
            public static S21Cpx operator /(S21Cpx a, S21Cpx b) =>
                new S21Cpx((a.Re * b.Re + a.Im * b.Im) / (b.Re * b.Re + b.Im * b.Im), (a.Im * b.Re - a.Re * b.Im) / (b.Re * b.Re + b.Im * b.Im));
        }

        public struct S21Rect
        {
            public double Left, Top, Right, Bottom;
            public double Width => Right - Left;
            public double Height => Bottom - Top;
            public double Area => Width * Height;
        }

        public readonly record struct S21Reading(double Value, double Weight, int Sensor);

        public static partial class S21Forms
        {
            // domain: r=0.5..2 theta=-1..1 re=0.5..2 im=-1..1
            [Differentiable]
            public static double ComplexStructOperators(double r, double theta, double re, double im)
            {
                var z = S21Cpx.FromPolar(r, theta);
                var w = new S21Cpx(re, im);
                var q = (z * w + z) / (w - new S21Cpx(3, 0));
                return q.Modulus + q.Re;
            }

            [Differentiable]
            private static double Norm2(in S21Cpx v) => v.Re * v.Re + v.Im * v.Im;

            // domain: re=-2..2 im=-2..2
            [Differentiable]
            public static double InParameterHelper(double re, double im)
            {
                var v = new S21Cpx(re, im);
                return Norm2(in v) + Norm2(v);
            }

            [Differentiable]
            private static double Scaled(ref readonly double x, double s) => x * s;

            // domain: x=-2..2 s=-2..2
            [Differentiable]
            public static double RefReadonlyParameterHelper(double x, double s)
            {
                double local = x * x;
                return Scaled(ref local, s) + Scaled(in x, 2);
            }

            private static void SplitPolar(double x, double y, out double radius, out double angle)
            {
                radius = Math.Sqrt(x * x + y * y);
                angle = Math.Atan2(y, x);
            }

            // domain: x=0.5..2 y=-1..1
            [Differentiable]
            public static double OutParameterHelper(double x, double y)
            {
                SplitPolar(x, y, out var radius, out var angle);
                return radius * Math.Cos(2 * angle);
            }

            [Differentiable]
            private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
                return s;
            }

            // domain: signal[8]=-1..1 kernel[3]=-1..1
            [Differentiable]
            public static double SpanSliceConvolution(double[] signal, double[] kernel)
            {
                double total = 0;
                for (int i = 0; i + kernel.Length <= signal.Length; i++)
                {
                    double y = Dot(signal.AsSpan(i, kernel.Length), kernel);
                    total += y * y;
                }
                return total;
            }

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double StackallocBuffer(double x, double y)
            {
                Span<double> buffer = stackalloc double[4];
                buffer[0] = x;
                buffer[1] = y;
                buffer[2] = x * y;
                buffer[3] = Math.Sin(x);
                double s = 0;
                foreach (var v in buffer) s += v * v;
                return s;
            }

            // domain: xs[5]=-2..2
            [Differentiable]
            public static double LinqSumOfSquares(double[] xs) => xs.Sum(x => x * x);

            // domain: logits[4]=-2..2
            [Differentiable]
            public static double LinqLogSumExp(double[] logits)
            {
                double max = logits.Max();
                return max + Math.Log(logits.Select(l => Math.Exp(l - max)).Sum());
            }

            // domain: a[4]=-1..1 b[4]=-1..1
            [Differentiable]
            public static double LinqZipDot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

            // domain: values[6]=-2..2
            [Differentiable]
            public static double LinqVariance(double[] values)
            {
                double mean = values.Average();
                return values.Select(v => (v - mean) * (v - mean)).Sum() / values.Length;
            }

            [Differentiable]
            private static double MeanOf(IReadOnlyList<double> xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Count; i++) s += xs[i];
                return s / xs.Count;
            }

            // domain: xs[5]=-2..2
            [Differentiable]
            public static double ReadOnlyListHelper(double[] xs) => MeanOf(xs) * xs[0];

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double ListLocal(double x, double y)
            {
                var values = new List<double> { x, y, x * y };
                values.Add(Math.Sin(x));
                double total = 0;
                foreach (var v in values) total += v * v;
                return total + values[0];
            }

            // domain: x=-3..3 mode=0..3
            [Differentiable]
            public static double SwitchWithWhenGuards(double x, int mode)
            {
                switch (mode)
                {
                    case 0 when x > 0:
                        return Math.Sqrt(x + 1);
                    case 0:
                        return Math.Exp(x);
                    case 1 or 2 when Math.Abs(x) < 10:
                        return x * x * mode;
                    default:
                        return Math.Tanh(x);
                }
            }

            // domain: x=0.5..3 y=-2..2
            [Differentiable]
            public static double IsNotPatterns(double x, double y)
            {
                if (x is not > 0)
                    throw new ArgumentOutOfRangeException(nameof(x));
                double r = y is not (< -1 or > 1) ? y * y : Math.Abs(y);
                return Math.Log(x) + r;
            }

            // domain: x=-2..2 y=-2..2 useCap=0..1
            [Differentiable]
            public static double NullCoalescing(double x, double y, bool useCap)
            {
                double? cap = useCap ? y * 2 : null;
                double limit = cap ?? 5.0;
                return x * limit;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double PowWithIntExponent(double x)
            {
                const int n = 3;
                return Math.Pow(x, 2) + Math.Pow(x, n) - Math.Pow(x + 3, -2) + Math.Pow(2 * x, 0);
            }

            // domain: x=0.2..3 y=-2..2
            [Differentiable]
            public static double IsFiniteGuard(double x, double y)
            {
                double ratio = y / x;
                if (!double.IsFinite(ratio))
                    return 0;
                double log = Math.Log(x);
                return double.IsFinite(log) ? ratio * log : ratio;
            }

            // domain: left=-1..0 top=-1..0 right=1..2 bottom=1..2
            [Differentiable]
            public static double ComputedStructProperties(double left, double top, double right, double bottom)
            {
                var rect = new S21Rect { Left = left, Top = top, Right = right, Bottom = bottom };
                rect.Right += 0.5 * rect.Width;
                return rect.Area + rect.Height / rect.Width;
            }

            // domain: value=-2..2 weight=0.5..2
            [Differentiable]
            public static double WithOnRecordStruct(double value, double weight)
            {
                var reading = new S21Reading(value, weight, 3);
                var calibrated = reading with { Value = reading.Value * 1.1 + 0.2 };
                var halved = calibrated with { Weight = calibrated.Weight / 2 };
                return halved.Value * halved.Weight + reading.Sensor;
            }

            // The rewrites the refusals above name, checked to work.
            [Differentiable]
            private static double Norm2Value(double re, double im) => re * re + im * im;

            // domain: re=-2..2 im=-2..2
            [Differentiable]
            public static double ValueParameterRewrite(double re, double im)
            {
                var v = new S21Cpx(re, im);
                return Norm2Value(v.Re, v.Im) + Norm2Value(im, 1);
            }

            [Differentiable]
            private static (double Radius, double Angle) ToPolar(double x, double y)
            {
                var radius = Math.Sqrt(x * x + y * y);
                return (radius, Math.Atan2(y, x));
            }

            // domain: x=0.5..2 y=-1..1
            [Differentiable]
            public static double TupleResultRewrite(double x, double y)
            {
                var (radius, angle) = ToPolar(x, y);
                return radius * Math.Cos(2 * angle);
            }

            [Differentiable]
            private static double MeanOfSpan(ReadOnlySpan<double> xs)
            {
                double s = 0;
                for (int i = 0; i < xs.Length; i++) s += xs[i];
                return s / xs.Length;
            }

            // domain: xs[5]=-2..2
            [Differentiable]
            public static double ReadOnlySpanRewrite(double[] xs) => MeanOfSpan(xs) * xs[0];

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double ArrayInsteadOfList(double x, double y)
            {
                var values = new[] { x, y, x * y, Math.Sin(x) };
                double total = 0;
                foreach (var v in values) total += v * v;
                return total + values[0];
            }

            // domain: x=-2..2 y=-2..2 useCap=0..1
            [Differentiable]
            public static double DefaultInsteadOfNullable(double x, double y, bool useCap)
            {
                double limit = useCap ? y * 2 : 5.0;
                return x * limit;
            }

            [Differentiable]
            private static double SquareMarked(double v) => v * v;

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double MarkedExpressionBodiedHelper(double x, double y) => SquareMarked(x - y) + SquareMarked(x);

            private static double Square(double v) => v * v;

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double UnmarkedExpressionBodiedHelper(double x, double y) => Square(x - y) + Square(x);
        }
        """;
}
