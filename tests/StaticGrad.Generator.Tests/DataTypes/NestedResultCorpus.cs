namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Helpers returning structs that hold other structs or mix float and double fields, as simulation and pricing code
/// writes them: a particle state of two <c>Vector3</c>s advanced by a semi-implicit Euler step, a spring between two
/// such states, a quote whose price is double and whose weight is float, a pose of a <c>Vector2</c> and an angle.
/// Each helper is checked itself (its seed has the result's type) and through a caller.
/// </summary>
internal static class NestedResultCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public struct ParticleState
        {
            public Vector3 Position;
            public Vector3 Velocity;
        }

        public struct Quote
        {
            public double Price;
            public float Weight;
            public int Day;
        }

        public record struct Heading2(Vector2 At, double Angle);

        public static partial class NestedResults
        {
            public static object[] Advance_Args() => new object[] { new ParticleState { Position = new Vector3(0.2f, 1f, -0.3f), Velocity = new Vector3(0.5f, 0f, 0.1f) }, 0.1f };

            [Differentiable]
            public static ParticleState Advance(ParticleState state, float dt)
            {
                var gravity = new Vector3(0f, -9.8f, 0f);
                var drag = 0.2f * state.Velocity.Length();
                var velocity = state.Velocity + dt * (gravity - drag * state.Velocity);
                var next = new ParticleState { Velocity = velocity, Position = state.Position + dt * velocity };
                return next;
            }

            public static object[] Flight_Args() => new object[] { new Vector3(0f, 2f, 0f), new Vector3(1f, 3f, 0.5f), 0.05f };

            [Differentiable]
            public static float Flight(Vector3 start, Vector3 launch, float dt)
            {
                var state = new ParticleState { Position = start, Velocity = launch };
                for (var k = 0; k < 4; k++)
                {
                    state = Advance(state, dt);
                }

                var target = new Vector3(1f, 2.5f, 0.2f);
                return Vector3.DistanceSquared(state.Position, target) + 0.1f * state.Velocity.Y;
            }

            public static object[] Spring_Args() => new object[] { new Vector3(0f, 0f, 0f), new Vector3(1.2f, 0.1f, 0f), 3f, 1f };

            [Differentiable]
            public static ParticleState Spring(Vector3 a, Vector3 b, float stiffness, float rest)
            {
                var d = b - a;
                var length = d.Length();
                var force = stiffness * (length - rest) / length * d;
                return new ParticleState { Position = force, Velocity = -force };
            }

            public static object[] SpringEnergy_Args() => new object[] { new Vector3(0f, 0.2f, 0f), new Vector3(1.1f, -0.1f, 0.3f), 2.5f };

            [Differentiable]
            public static float SpringEnergy(Vector3 a, Vector3 b, float stiffness)
            {
                var pair = Spring(a, b, stiffness, 1f);
                return Vector3.Dot(pair.Position, b) + Vector3.Dot(pair.Velocity, a) + pair.Position.X * pair.Velocity.Y;
            }

            public static object[] Price_Args() => new object[] { 101.0, 0.3, 0.7f };

            [Differentiable]
            public static Quote Price(double spot, double volatility, float weight)
            {
                var forward = spot * Math.Exp(0.01);
                var premium = 0.4 * volatility * forward;
                var q = new Quote { Price = premium, Weight = weight * weight, Day = 3 };
                return q;
            }

            public static object[] Book_Args() => new object[] { 99.0, 0.25, 0.6f };

            [Differentiable]
            public static double Book(double spot, double volatility, float weight)
            {
                var total = 0.0;
                for (var k = 1; k <= 2; k++)
                {
                    var q = Price(spot * k, volatility, weight);
                    total += q.Price * q.Weight / q.Day;
                }

                return total;
            }

            public static object[] Turn_Args() => new object[] { new Heading2(new Vector2(0.3f, -0.2f), 0.4), 0.25 };

            [Differentiable]
            public static Heading2 Turn(Heading2 pose, double rate)
            {
                var angle = pose.Angle + rate;
                var step = new Vector2((float)Math.Cos(angle), (float)Math.Sin(angle));
                return new Heading2(pose.At + 0.5f * step, angle);
            }

            public static object[] Path_Args() => new object[] { 0.1f, 0.3f };

            // Float inputs: the path runs through float vectors, so central differences need float's steps.
            [Differentiable]
            public static double Path(float heading, float rate)
            {
                var pose = new Heading2(Vector2.Zero, heading);
                var travelled = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    pose = Turn(pose, rate);
                    travelled += pose.At.X - 0.5 * pose.At.Y;
                }

                return travelled + pose.Angle * pose.Angle;
            }
        }
        """;
}
