namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// The newer math library as code written against .NET 7+ uses it: the static members of double and float
/// (Hypot, Exp2, LogP1, SinPi, Lerp, RootN, …) and Math's additions (MaxMagnitude, ScaleB, BitIncrement).
/// </summary>
internal static class MathLibraryCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class MathLibrary
        {
            [Differentiable]
            public static double PolarRadius(double x, double y) => double.Hypot(x, y) + double.Hypot(x * 0.5, 1.0);

            // domain: x=-2..2
            [Differentiable]
            public static double StableSoftplus(double x) =>
                x > 0 ? x + double.LogP1(Math.Exp(-x)) : double.LogP1(Math.Exp(x));

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ExponentialFamily(double x, double y) =>
                double.Exp2(x) + double.Exp10(y * 0.5) + double.ExpM1(x * y) + double.Exp2M1(y) + double.Exp10M1(x * 0.3);

            // domain: x=0..2 y=0..2
            [Differentiable]
            public static double LogarithmFamily(double x, double y) =>
                double.Log2P1(x) * double.Log10P1(y) + Math.Log(x + 1, y + 2) + double.LogP1(x * y);

            // domain: a=-1..1 b=-1..1 t=0..1
            [Differentiable]
            public static double Interpolation(double a, double b, double t) => double.Lerp(a, b, t * t) * double.Lerp(b, 1.0, t);

            // domain: x=-0.4..0.4 y=-0.9..0.9
            [Differentiable]
            public static double PiScaledTrigonometry(double x, double y) =>
                double.SinPi(x) * double.CosPi(y) + double.TanPi(x) + double.AsinPi(y) - double.AcosPi(y * 0.5) + double.AtanPi(x + y);

            // domain: x=0.5..2 y=-2..-0.5
            [Differentiable]
            public static double BearingInTurns(double x, double y) => double.Atan2Pi(y, x) + double.Atan2Pi(x, y - 3);

            // domain: x=0.5..3 n=2..4
            [Differentiable]
            public static double RootsAndScales(double x, int n) => double.RootN(x, n) + Math.ScaleB(x, n) - double.ScaleB(x * x, -1);

            // domain: x=0.6..2 y=-0.5..0.5
            [Differentiable]
            public static double MagnitudeSelection(double x, double y) =>
                Math.MaxMagnitude(x, y) * Math.MinMagnitude(x, -y) + double.MaxMagnitude(-x, y * y);

            // domain: x=0.5..2 y=-2..-0.5
            [Differentiable]
            public static double SignTransfer(double x, double y) => Math.CopySign(x * x, y) + double.CopySign(y, x) * x;

            [Differentiable]
            public static double NextRepresentable(double x, double y) => Math.BitIncrement(x) * y + Math.BitDecrement(y);

            // domain: angle=-180..180 r=0.5..2
            [Differentiable]
            public static double DegreesToCartesian(double angle, double r) => r * Math.Cos(double.DegreesToRadians(angle)) + double.RadiansToDegrees(r) * 0.01;

            // domain: x=-1..1 y=-1..1 z=-1..1
            [Differentiable]
            public static double GenericMathStatics(double x, double y, double z) =>
                double.FusedMultiplyAdd(x, y, z) + double.Clamp(x + y, -0.5, 0.5) * z + double.MaxNumber(x, y) + double.Sqrt(z * z + 1) + double.Pow(2, x);

            // domain: x=-1..1 y=1.5..2.5
            [Differentiable]
            public static double RemainderInsideOnePeriod(double x, double y) => Math.IEEERemainder(x, y) * y;

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatGenericMath(float x, float y) =>
                float.Hypot(x, y + 2) + float.Exp2(x) + float.SinPi(y * 0.3f) + float.Lerp(x, y, 0.25f) + MathF.MaxMagnitude(x, 3f) + float.LogP1(y * y);

            // domain: a=-2..2 b=-1..1
            [Differentiable]
            public static double SineAndCosineTogether(double a, double b)
            {
                var (s, c) = Math.SinCos(a);
                var (sp, cp) = double.SinCosPi(b * 0.25);
                return s * c + sp - cp * a + c * b;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RoundingOptionsAreConstants(double x, double y) =>
                x * y + Math.Round(Autograd.Detach(y), 2, MidpointRounding.AwayFromZero);
        }
        """;
}
