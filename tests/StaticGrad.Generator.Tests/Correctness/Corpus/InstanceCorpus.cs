namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Instance methods reading instance fields and calling each other, in a class and in a struct.</summary>
internal static class InstanceCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public partial class Oscillator
        {
            private readonly double _frequency = 1.5;
            private double _damping = 0.25;

            private double _phase = 0.1;

            [Differentiable]
            public double Displacement(double t, double amplitude) =>
                amplitude * Math.Exp(-_damping * t) * Math.Cos(_frequency * t + _phase);

            [Differentiable]
            public double Energy(double t, double amplitude)
            {
                var d = Displacement(t, amplitude);
                return 0.5 * d * d + Scalars.Polynomial(t, amplitude) * 0.01;
            }

            [Differentiable]
            public static double StaticMemberOfInstanceType(double x) => x * x * 0.5;
        }

        public partial struct Spring
        {
            private const double Stiffness = 3.0;

            [Differentiable]
            public double Potential(double x) => 0.5 * Stiffness * x * x;
        }

        public static partial class Outer
        {
            public static partial class Inner
            {
                [Differentiable]
                public static double NestedTypeMethod(double x, double y) => x * Math.Sin(y);
            }
        }
        """;
}
