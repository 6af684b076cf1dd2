namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Arrays and spans of structs, written as physics and graphics code keeps its particles and vertices. A method with
/// span parameters or span adjoints is called by the check through its <c>{Name}_Value</c>, <c>{Name}_Backward</c>
/// and <c>{Name}_Tangent</c> (reflection cannot pass a span; these only forward arrays).
/// </summary>
internal static class StructArrayCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public struct Body2D
        {
            public Vector2 Position;
            public Vector2 Velocity;
            public double Mass;
            public int Id;
        }

        public record struct Sample(double X, double Y);

        public static partial class Bodies
        {
            public static object[] PotentialEnergy_Args() => new object[]
            {
                new[] { new Vector3(0f, 0f, 0f), new Vector3(1f, 0.2f, -0.3f), new Vector3(-0.4f, 0.9f, 0.5f), new Vector3(0.3f, -0.8f, 1.1f) },
                new[] { 1.0f, 0.5f, 2.0f, 0.8f },
            };

            [Differentiable]
            public static float PotentialEnergy(Vector3[] positions, [NoGrad] float[] masses)
            {
                var energy = 0f;
                for (var i = 0; i < positions.Length; i++)
                {
                    for (var j = i + 1; j < positions.Length; j++)
                    {
                        var r = positions[i] - positions[j];
                        energy -= masses[i] * masses[j] / MathF.Sqrt(r.LengthSquared() + 0.01f);
                    }
                }

                return energy;
            }

            public static float PotentialEnergy_Backward(Vector3[] positions, float[] masses, Vector3[] dPositions, float seed) => PotentialEnergyBackward(positions, masses, dPositions, seed);

            public static (float, float) PotentialEnergy_Tangent(Vector3[] positions, float[] masses, Vector3[] dPositions) => PotentialEnergyTangent(positions, masses, dPositions);

            public static object[] PolylineLength_Args() => new object[] { new[] { new Vector2(0f, 0f), new Vector2(1f, 0.5f), new Vector2(1.5f, 1.8f), new Vector2(0.2f, 2.4f) } };

            [Differentiable]
            public static float PolylineLength(ReadOnlySpan<Vector2> points)
            {
                var length = 0f;
                for (var i = 1; i < points.Length; i++)
                {
                    length += Vector2.Distance(points[i - 1], points[i]);
                }

                return length;
            }

            public static float PolylineLength_Value(Vector2[] points) => PolylineLength(points);

            public static float PolylineLength_Backward(Vector2[] points, Vector2[] dPoints, float seed) => PolylineLengthBackward(points, dPoints, seed);

            public static (float, float) PolylineLength_Tangent(Vector2[] points, Vector2[] dPoints) => PolylineLengthTangent(points, dPoints);

            public static object[] KineticEnergy_Args() => new object[]
            {
                new[]
                {
                    new Body2D { Position = new Vector2(0f, 1f), Velocity = new Vector2(0.5f, -0.2f), Mass = 1.5, Id = 1 },
                    new Body2D { Position = new Vector2(2f, 0f), Velocity = new Vector2(-0.3f, 0.8f), Mass = 0.7, Id = 2 },
                },
            };

            [Differentiable]
            public static double KineticEnergy(Body2D[] particles)
            {
                var total = 0.0;
                foreach (var p in particles)
                {
                    total += 0.5 * p.Mass * p.Velocity.LengthSquared();
                }

                return total;
            }

            public static double KineticEnergy_Backward(Body2D[] particles, Body2D[] dParticles, double seed) => KineticEnergyBackward(particles, dParticles, seed);

            public static (double, double) KineticEnergy_Tangent(Body2D[] particles, Body2D[] dParticles) => KineticEnergyTangent(particles, dParticles);

            public static object[] SpringChain_Args() => new object[]
            {
                new[]
                {
                    new Body2D { Position = new Vector2(0f, 0f), Mass = 1.0 },
                    new Body2D { Position = new Vector2(1.2f, 0.1f), Mass = 2.0 },
                    new Body2D { Position = new Vector2(2.1f, -0.3f), Mass = 1.0 },
                },
                2.5,
            };

            [Differentiable]
            public static double SpringChain(Body2D[] particles, double stiffness)
            {
                var energy = 0.0;
                for (var i = 0; i + 1 < particles.Length; i++)
                {
                    var stretch = Vector2.Distance(particles[i].Position, particles[i + 1].Position) - 1.0;
                    energy += 0.5 * stiffness * stretch * stretch + 9.81 * particles[i].Mass * particles[i].Position.Y;
                }

                return energy;
            }

            public static double SpringChain_Backward(Body2D[] particles, double stiffness, Body2D[] dParticles, ref double dStiffness, double seed) => SpringChainBackward(particles, stiffness, dParticles, ref dStiffness, seed);

            public static (double, double) SpringChain_Tangent(Body2D[] particles, double stiffness, Body2D[] dParticles, double dStiffness) => SpringChainTangent(particles, stiffness, dParticles, dStiffness);

            public static object[] Trajectory_Args() => new object[] { new Vector2(0.1f, 0.2f), new Vector2(1f, 2f), 5 };

            [Differentiable]
            public static float Trajectory(Vector2 start, Vector2 velocity, int steps)
            {
                var trail = new Vector2[steps];
                trail[0] = start;
                for (var i = 1; i < steps; i++)
                {
                    trail[i] = trail[i - 1] + 0.1f * velocity;
                    trail[i].Y -= 0.05f * i;
                }

                var spread = 0f;
                foreach (var point in trail)
                {
                    spread += Vector2.Dot(point, point);
                }

                return spread;
            }

            public static object[] Centroid_Args() => new object[] { new Vector3(0.5f, 1f, -0.2f), new Vector3(1.5f, -0.5f, 0.3f), new Vector3(-0.7f, 0.4f, 0.9f) };

            [Differentiable]
            public static float Centroid(Vector3 a, Vector3 b, Vector3 c)
            {
                var corners = new[] { a, b, c };
                var center = Vector3.Zero;
                for (var i = 0; i < corners.Length; i++)
                {
                    center += corners[i] / 3f;
                }

                var spread = 0f;
                for (var i = 0; i < corners.Length; i++)
                {
                    spread += Vector3.DistanceSquared(corners[i], center);
                }

                return spread;
            }

            public static object[] LineFit_Args() => new object[] { new[] { new Sample(0.0, 1.1), new Sample(1.0, 2.9), new Sample(2.0, 5.2) }, 1.8, 1.0 };

            [Differentiable]
            public static double LineFit(Sample[] samples, double slope, double intercept)
            {
                var loss = 0.0;
                for (var i = 0; i < samples.Length; i++)
                {
                    var residual = slope * samples[i].X + intercept - samples[i].Y;
                    loss += residual * residual;
                }

                return loss / samples.Length;
            }

            public static double LineFit_Backward(Sample[] samples, double slope, double intercept, Sample[] dSamples, ref double dSlope, ref double dIntercept, double seed) => LineFitBackward(samples, slope, intercept, dSamples, ref dSlope, ref dIntercept, seed);

            public static (double, double) LineFit_Tangent(Sample[] samples, double slope, double intercept, Sample[] dSamples, double dSlope, double dIntercept) => LineFitTangent(samples, slope, intercept, dSamples, dSlope, dIntercept);
        }
        """;
}
