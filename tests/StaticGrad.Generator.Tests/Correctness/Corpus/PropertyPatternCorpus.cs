namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Property patterns on struct values as simulation and statistics code writes them: a particle's state classified
/// by a switch expression, a switch statement on a sample's fields with a <c>when</c> clause, and an <c>is</c> test
/// with <c>and</c>/<c>not</c> inside the subpatterns. Each pattern is a branch decision on the struct's fields.
/// </summary>
internal static class PropertyPatternCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public struct Particle
        {
            public double X;
            public double V;
        }

        public struct Sample
        {
            public double Value;
            public double Weight;
            public int Count;
        }

        public static partial class PropertyPatterns
        {
            // domain: x=-2..2 v=-2..2
            [Differentiable]
            public static double WallPotential(double x, double v)
            {
                var p = new Particle { X = 1.5 * x, V = v };
                return p switch
                {
                    { X: > 1, V: > 0 } => (p.X - 1) * (p.X - 1) * 10 + p.V * p.V,
                    { X: < -1 } => (p.X + 1) * (p.X + 1) * 10 + 0.5 * p.V * p.V,
                    _ => 0.5 * p.V * p.V + 0.1 * p.X,
                };
            }

            // domain: value=-2..2 weight=0.2..2 count=0..3
            [Differentiable]
            public static double WeightedLoss(double value, double weight, int count)
            {
                var s = new Sample { Value = value, Weight = weight, Count = count };
                double loss;
                switch (s)
                {
                    case { Count: 0 }:
                        loss = s.Value * s.Value;
                        break;
                    case { Value: > 0 } when s.Weight > 1:
                        loss = s.Weight * Math.Log(1 + s.Value);
                        break;
                    default:
                        loss = s.Weight * s.Value * s.Value * 0.5;
                        break;
                }

                return loss;
            }

            // domain: x=-1..1 v=-1..1
            [Differentiable]
            public static double InBand(double x, double v)
            {
                var p = new Particle { X = x, V = v };
                if (p is { X: > -0.5 and < 0.5, V: not < 0 })
                    return Math.Sin(p.X) * p.V;
                return p.X * p.X - p.V;
            }
        }
        """;
}
