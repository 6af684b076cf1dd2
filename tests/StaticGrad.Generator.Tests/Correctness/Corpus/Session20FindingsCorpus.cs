namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Adversarial checks of what session 20's domain corpus made supported: an integer read as an enum (a cast, an enum
/// local, reassigned in a loop, in a switch statement and expression), <c>foreach</c> over a static readonly table
/// (zero-trip, early return, nested, a throw the user's loop reaches), and local arrays of tuples (element writes,
/// whole-element reads, <c>foreach</c> with and without deconstruction, float elements, an empty array, an element
/// read after it is overwritten, an index out of range the user's loop throws).
/// </summary>
internal static class Session20FindingsCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public enum S20Mode { Linear, Square, Cube }

        public static partial class S20Findings
        {
            private static readonly double[] Taps = { 0.25, 0.5, 0.25 };
            private static readonly double[] NoTaps = { };
            private static readonly float[] FloatTaps = { 1f, -2f, 0.5f };

            // domain: x=-2..2 mode=0..2
            [Differentiable]
            public static double EnumLocalInLoop(double x, int mode)
            {
                double y = x;
                var m = (S20Mode)mode;
                for (var i = 0; i < 3; i++)
                {
                    y = m switch
                    {
                        S20Mode.Linear => y * 1.5,
                        S20Mode.Square => y * y * 0.5,
                        _ => Math.Sin(y) * y,
                    };
                    m = (S20Mode)((mode + i + 1) % 3);
                }

                return y + (m == S20Mode.Cube ? x : 0);
            }

            // domain: x=-1..1 n=0..5
            [Differentiable]
            public static double EnumLocalSavedInLoop(double x, int n)
            {
                // Random batch 20262540's P208: the loop's break makes the reverse restore the enum local from the tape.
                double v = x;
                for (var i = 0; i < 5; i++)
                {
                    if (i >= n) break;
                    var m = (S20Mode)(i % 3);
                    v = m switch { S20Mode.Linear => v * 1.5 + x, S20Mode.Square => Math.Sin(v), _ => v * 0.5 };
                }

                return v;
            }

            // domain: x=-2..2 mode=0..2
            [Differentiable]
            public static double EnumCastThrows(double x, int mode)
            {
                switch ((S20Mode)mode)
                {
                    case S20Mode.Linear: return 2 * x;
                    case S20Mode.Square: return x * x;
                    case S20Mode.Cube: return x * x * x;
                    default: throw new ArgumentOutOfRangeException(nameof(mode), $"mode {mode}");
                }
            }

            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double ForEachTableNested(double x, double y)
            {
                double s = 0;
                foreach (var a in Taps)
                {
                    foreach (var b in Taps)
                        s += a * b * Math.Sin(a * x + b * y);
                    foreach (var none in NoTaps)
                        s += none * x * 1e6;
                }

                return s;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double ForEachTableEarlyReturn(double x)
            {
                double s = x;
                foreach (var t in Taps)
                {
                    s = s * t + Math.Cos(s);
                    if (t > 0.4)
                        return s * x;
                }

                return s;
            }

            // domain: x=-2..2 n=0..1
            [Differentiable]
            public static double ForEachTableThrows(double x, int n)
            {
                double s = 0;
                var count = 0;
                foreach (var t in Taps)
                {
                    // The user's own out-of-range read: n = 2 reaches Taps[3] on the last element and must still throw (Session20ExceptionTests).
                    s += Taps[count + n / 2] * t * x * x;
                    count++;
                }

                return s;
            }

            // domain: x=-1..1
            [Differentiable]
            public static float ForEachFloatTable(float x)
            {
                var s = 0f;
                foreach (var t in FloatTaps)
                    s = s * x + t;
                return s;
            }

            // domain: a[4]=-1..1 n=0..3
            [Differentiable]
            public static double TupleArrayOverwrite(double[] a, int n)
            {
                var pairs = new (double Low, double High)[n];
                for (var i = 0; i < n; i++)
                    pairs[i] = (a[i], a[i + 1] * a[i]);
                double s = 0;
                for (var i = 0; i < n; i++)
                {
                    var before = pairs[i];
                    pairs[i] = (pairs[i].High, pairs[i].Low + pairs[i].High);
                    s += before.Low * pairs[i].High + Math.Exp(pairs[i].Low);
                }

                foreach (var (low, high) in pairs)
                    s += low * high;
                return s;
            }

            // domain: a[3]=-1..1 n=1..3
            [Differentiable]
            public static double TupleArrayOutOfRange(double[] a, int n)
            {
                var points = new (double X, double Y)[3];
                for (var i = 0; i < points.Length; i++)
                    points[i] = (a[i], a[i] * a[i]);
                double s = 0;
                // n = 4 reads points[3]: the IndexOutOfRangeException the user's loop throws (Session20ExceptionTests).
                for (var i = 0; i < n; i++)
                    s += points[i].X * points[i].Y;
                return s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static float FloatTupleForEach(float[] a)
            {
                var points = new (float X, float Y)[a.Length];
                for (var i = 0; i < a.Length; i++)
                    points[i] = (a[i], MathF.Sin(a[i]));
                var s = 0f;
                var last = points[^1];
                foreach (var p in points)
                {
                    s += p.X * last.Y - last.X * p.Y;
                    last = p;
                }

                foreach (var (x, y) in points)
                    s += x * y * y;
                return s;
            }
        }
        """;
}
