namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// An n-body simulation as physics code writes it: bodies with nested <c>Vector3</c> fields passed to a force
/// helper, the body array handed to an energy helper, and a step that updates the bodies of its parameter array in
/// place (<c>bodies[i].Velocity += …</c>). The check reaches array-of-struct methods through <c>{Name}_Value</c> (a
/// copy, as the method writes its argument), <c>{Name}_Backward</c> and <c>{Name}_Tangent</c>.
/// </summary>
internal static class NBodyCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public struct Planet
        {
            public Vector3 Position;
            public Vector3 Velocity;
            public float Mass;
        }

        public struct Surface
        {
            public Vector3 Albedo;
            public float Roughness;
        }

        public static partial class NBody
        {
            public static object[] PairForce_Args() => new object[]
            {
                new Planet { Position = new Vector3(0.1f, 0.2f, -0.3f), Velocity = new Vector3(0.5f, -0.1f, 0.2f), Mass = 1.5f },
                new Planet { Position = new Vector3(1.1f, -0.4f, 0.6f), Velocity = new Vector3(-0.2f, 0.3f, 0.1f), Mass = 0.8f },
            };

            [Differentiable]
            public static float PairForce(Planet a, Planet b)
            {
                var f = Attraction(a, b);
                var g = Attraction(b, a);
                return f.X * 0.5f + Vector3.Dot(f - g, a.Velocity);
            }

            [Differentiable]
            public static Vector3 Attraction(Planet on, Planet by)
            {
                var r = by.Position - on.Position;
                var distanceSquared = r.LengthSquared() + 0.05f;
                var inverse = 1f / MathF.Sqrt(distanceSquared);
                return on.Mass * by.Mass * inverse * inverse * inverse * r;
            }

            public static object[] Step_Args() => new object[]
            {
                new[]
                {
                    new Planet { Position = new Vector3(0f, 0f, 0f), Velocity = new Vector3(0.1f, 0f, 0f), Mass = 2f },
                    new Planet { Position = new Vector3(1f, 0.2f, -0.1f), Velocity = new Vector3(0f, 0.3f, 0f), Mass = 0.5f },
                    new Planet { Position = new Vector3(-0.6f, 0.8f, 0.4f), Velocity = new Vector3(0f, -0.2f, 0.1f), Mass = 1f },
                },
                0.05f,
            };

            [Differentiable]
            public static float Step(Planet[] bodies, float dt)
            {
                for (var i = 0; i < bodies.Length; i++)
                {
                    var force = Vector3.Zero;
                    for (var j = 0; j < bodies.Length; j++)
                    {
                        if (j != i)
                        {
                            force += Attraction(bodies[i], bodies[j]);
                        }
                    }

                    bodies[i].Velocity += dt * force / bodies[i].Mass;
                }

                for (var i = 0; i < bodies.Length; i++)
                {
                    bodies[i].Position += dt * bodies[i].Velocity;
                }

                return Energy(bodies);
            }

            [Differentiable]
            public static float Energy(Planet[] bodies)
            {
                var energy = 0f;
                for (var i = 0; i < bodies.Length; i++)
                {
                    energy += 0.5f * bodies[i].Mass * bodies[i].Velocity.LengthSquared();
                    for (var j = i + 1; j < bodies.Length; j++)
                    {
                        energy -= bodies[i].Mass * bodies[j].Mass / MathF.Sqrt(Vector3.DistanceSquared(bodies[i].Position, bodies[j].Position) + 0.05f);
                    }
                }

                return energy;
            }

            public static float Step_Value(Planet[] bodies, float dt) => Step((Planet[])bodies.Clone(), dt);

            public static float Step_Backward(Planet[] bodies, float dt, Planet[] dBodies, ref float dDt, float seed) => StepBackward(bodies, dt, dBodies, ref dDt, seed);

            public static (float, float) Step_Tangent(Planet[] bodies, float dt, Planet[] dBodies, float dDt) => StepTangent(bodies, dt, dBodies, dDt);

            public static object[] Damp_Args() => new object[]
            {
                new[]
                {
                    new Planet { Position = new Vector3(0.3f, 0f, 0f), Velocity = new Vector3(0.4f, 0.1f, 0f), Mass = 1f },
                    new Planet { Position = new Vector3(0f, 0.7f, 0.2f), Velocity = new Vector3(-0.3f, 0.2f, 0.5f), Mass = 3f },
                },
                0.9f,
            };

            [Differentiable]
            public static float Damp(Span<Planet> bodies, float factor)
            {
                var total = 0f;
                for (var i = 0; i < bodies.Length; i++)
                {
                    ref var body = ref bodies[i];
                    body.Velocity *= factor;
                    body.Velocity.Y -= 0.1f * body.Position.Y;
                    total += body.Mass * body.Velocity.LengthSquared();
                }

                return total + bodies[0].Velocity.X;
            }

            public static float Damp_Value(Planet[] bodies, float factor) => Damp((Planet[])bodies.Clone(), factor);

            public static float Damp_Backward(Planet[] bodies, float factor, Planet[] dBodies, ref float dFactor, float seed) => DampBackward(bodies, factor, dBodies, ref dFactor, seed);

            public static (float, float) Damp_Tangent(Planet[] bodies, float factor, Planet[] dBodies, float dFactor) => DampTangent(bodies, factor, dBodies, dFactor);

            public static object[] Glaze_Args() => new object[] { new Vector3(0.4f, 0.8f, 0.1f), 0.6f };

            [Differentiable]
            public static float Glaze(Vector3 normal, float gloss)
            {
                var coat = new Surface { Albedo = new Vector3(0.9f, 0.9f, 0.8f), Roughness = 0.3f };
                coat.Roughness += 0.1f;
                return Tint(normal, coat, gloss) + gloss * Tint(-normal, coat, 1f);
            }

            [Differentiable]
            public static float Tint(Vector3 normal, [NoGrad] Surface coat, float strength)
            {
                var cosine = MathF.Max(Vector3.Dot(Vector3.Normalize(normal), Vector3.UnitY), 0.05f);
                var lobe = MathF.Pow(cosine, 1f / (coat.Roughness * coat.Roughness + 0.1f));
                return strength * (coat.Albedo.X * cosine + lobe);
            }

            public static object[] Shade_Args() => new object[]
            {
                new Vector3(0.2f, 0.9f, 0.3f),
                new Surface { Albedo = new Vector3(0.8f, 0.5f, 0.3f), Roughness = 0.4f },
            };

            [Differentiable]
            public static float Shade(Vector3 normal, Surface material)
            {
                var n = Vector3.Normalize(normal);
                var direct = Radiance(n, material, 0.7f);
                var bounce = Radiance(-n, material, 0.2f);
                return direct + 0.5f * bounce;
            }

            [Differentiable]
            public static float Radiance(Vector3 normal, Surface material, float strength)
            {
                var light = Vector3.Normalize(new Vector3(0.3f, 1f, 0.2f));
                var cosine = MathF.Max(Vector3.Dot(normal, light), 0.05f);
                var specular = MathF.Pow(cosine, 1f / (material.Roughness * material.Roughness + 0.1f));
                return strength * (Vector3.Dot(material.Albedo, Vector3.One) * cosine + specular);
            }
        }
        """;
}
