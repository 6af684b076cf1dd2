using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// The generated code of a struct method, a tuple method, a <c>double[,]</c> method, a call of a method returning a
/// nested struct, a local 2-D grid (a literal and a <c>new double[n, m]</c>, and one passed to a <c>double[,]</c> callee), a struct constructor reading the members it set, a spread of a helper's constant result in a loop and a ragged jagged literal, a multi-statement user operator and its use, checked in
/// as baselines (a user reads it next to the source); each compiles clean. Their gradients are checked by the corpus
/// (<see cref="DataTypesGradientTests"/>), whose functions these resemble.
/// </summary>
public sealed class DataTypesBaselineTests
{
    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["Vector3Struct"] = """
            public static partial class Shading
            {
                [Differentiable]
                public static float Lambert(Vector3 normal, Vector3 light) => MathF.Max(Vector3.Dot(Vector3.Normalize(normal), light), 0f);
            }
            """,
        ["TupleResult"] = """
            public static partial class Kinematics
            {
                [Differentiable]
                public static (double X, double Y) Rotate(double x, double y, double angle)
                {
                    var (s, c) = Math.SinCos(angle);
                    return (c * x - s * y, s * x + c * y);
                }
            }
            """,
        ["TupleJacobian"] = """
            public static partial class Cameras
            {
                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Project(double x, double y, double z, double focal)
                {
                    var depth = z;
                    if (depth < 0.1)
                    {
                        depth = 0.1 + 0.5 * (depth - 0.1) * (depth - 0.1);
                    }

                    return (focal * x / depth, focal * y / depth);
                }
            }
            """,
        ["Matrix2D"] = """
            public static partial class Layers
            {
                [Differentiable]
                public static double Quadratic(double[,] a, [NoGrad] double[] x)
                {
                    var sum = 0.0;
                    for (var i = 0; i < a.GetLength(0); i++)
                    {
                        for (var j = 0; j < a.GetLength(1); j++)
                        {
                            sum += x[i] * a[i, j] * x[j];
                        }
                    }

                    return sum;
                }
            }
            """,
        ["StructResultCall"] = """
            public struct Particle
            {
                public Vector3 Position;
                public Vector3 Velocity;
            }

            public static partial class Particles
            {
                [Differentiable]
                public static Particle Advance(Particle p, float dt)
                {
                    var velocity = p.Velocity + dt * new Vector3(0f, -9.8f, 0f);
                    return new Particle { Position = p.Position + dt * velocity, Velocity = velocity };
                }

                [Differentiable]
                public static float Height(Particle p, float dt)
                {
                    var next = Advance(p, dt);
                    return next.Position.Y;
                }
            }
            """,
        ["UserOperator"] = """
            public partial struct Body
            {
                public double X;
                public double Y;

                [Differentiable]
                public static Body operator -(Body a, Body b)
                {
                    var dx = a.X - b.X;
                    var dy = a.Y - b.Y;
                    var r = Math.Sqrt(dx * dx + dy * dy + 1e-3);
                    return new Body { X = dx / r, Y = dy / r };
                }
            }

            public static partial class Springs
            {
                [Differentiable]
                public static double Tension(Body a, Body b, double k)
                {
                    var d = a - b;
                    return k * (d.X * d.X + d.Y);
                }
            }
            """,
        ["LocalGrid"] = """
            public static partial class Grids
            {
                [Differentiable]
                public static double Rotated(double angle, double x, double y)
                {
                    var m = new double[,] { { Math.Cos(angle), -Math.Sin(angle) }, { Math.Sin(angle), Math.Cos(angle) } };
                    var q = new double[2, 2];
                    for (var i = 0; i < 2; i++)
                    {
                        q[i, 0] = m[i, 0] * x + m[i, 1] * y;
                        q[i, 1] = q[i, 0] * q[i, 0];
                    }

                    return q[0, 1] + q[1, 1];
                }
            }
            """,
        ["JaggedLocal"] = """
            public static partial class Tables
            {
                [Differentiable]
                public static double Tableau(double y0, double h)
                {
                    var a = new[] { new double[] { }, new[] { 0.5 }, new[] { 0.0, 1.0 } };
                    var k = new double[a.Length];
                    for (var s = 0; s < a.Length; s++)
                    {
                        var y = y0;
                        for (var j = 0; j < a[s].Length; j++)
                        {
                            y += h * a[s][j] * k[j];
                        }

                        k[s] = -y * y;
                    }

                    return y0 + h * (k[0] + 4 * k[1] + k[2]) / 6;
                }
            }
            """,
        ["LocalGridArgument"] = """
            public static partial class Stencils
            {
                [Differentiable]
                public static double Smoothness(double a, double b)
                {
                    var u = new double[2, 3];
                    for (var j = 0; j < 3; j++)
                    {
                        u[0, j] = a * j;
                        u[1, j] = b - a * j;
                    }

                    var w = new double[,] { { 0.5, 1, 2 }, { 1, 0.5, 0.25 } };
                    return Energy(u) * b + Weighted(w, u);
                }

                [Differentiable]
                public static double Energy(double[,] g) => g[0, 1] * g[0, 1] + g[1, 2] * g[0, 2];

                [Differentiable]
                public static double Weighted(double[,] w, double[,] g) => w[0, 1] * g[0, 1] + w[1, 2] * g[1, 2] * g[1, 2];
            }
            """,
        ["ConstructorReadingMembers"] = """
            public struct Body
            {
                public double Mass;
                public double Speed;
                public double Kinetic;

                public Body(double mass, double speed)
                {
                    Mass = mass;
                    Speed = speed;
                    Kinetic = 0.5 * Mass * this.Squared();
                }

                public double Squared() => Speed * Speed;
            }

            public static partial class Bodies
            {
                [Differentiable]
                public static double Energy(double m, double v) => new Body(m * 2, v + 1).Kinetic;
            }
            """,
        ["CallSpread"] = """
            public static partial class Filters
            {
                [Differentiable]
                public static double Smoothed(double x, double y)
                {
                    var s = 0.0;
                    for (var i = 0; i < 2; i++)
                    {
                        s += Dot([.. Taps(2), x * i, y]);
                    }

                    return s;
                }

                [Differentiable]
                public static double Dot(double[] v) => v[0] * v[2] + v[1] * v[3] * v[3];

                public static double[] Taps(int n) => n == 2 ? new[] { 0.5, 0.25 } : new[] { 1.0 };
            }
            """,
        ["GridFilledOnce"] = """
            public static partial class Fields
            {
                [Differentiable]
                public static double Energy(double a, int n)
                {
                    var u = new double[n, 2];
                    for (var i = 0; i < n; i++)
                    {
                        for (var j = 0; j < 2; j++)
                        {
                            u[i, j] = a * (i + j);
                        }
                    }

                    return Norm(u);
                }

                [Differentiable]
                public static double Norm(double[,] g) => g[0, 0] * g[0, 1] + g[g.GetLength(0) - 1, 1];
            }
            """,
        ["JaggedArgument"] = """
            public static partial class Features
            {
                [Differentiable]
                public static double Score(double a, int n)
                {
                    var rows = new double[n][];
                    for (var i = 0; i < n; i++)
                    {
                        rows[i] = new double[i + 1];
                        rows[i][i] = a * i;
                    }

                    double[] taps = [.. Taps(n), a];
                    return Total(rows) * taps[n];
                }

                [Differentiable]
                public static double Total(double[][] rows) => rows[rows.Length - 1][0] * rows[0][0] + rows[1][1];

                public static double[] Taps(int n) => new double[n];
            }
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_baseline_and_compiles_clean(string name)
    {
        var output = GeneratorHarness.Run("using System;\nusing System.Numerics;\nusing StaticGrad;\n\nnamespace Samples;\n\n" + s_cases[name]);
        GeneratorHarness.AssertClean(output);
        Baselines.Verify("DataTypesBaselineTests." + name, output);
    }
}
