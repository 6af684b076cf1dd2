namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>Structs, tuples and two-dimensional or jagged arrays passed to other [Differentiable] methods, as helpers are written.</summary>
internal static class CallCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public struct SpringSpec
        {
            public double Stiffness;
            public double Rest;
            public int Segments;
        }

        public record struct Pose2(double X, double Y, double Angle);

        public static partial class Calls
        {
            public static object[] RayMarch_Args() => new object[] { new Vector3(0.1f, 0.2f, -3f), new Vector3(0.05f, -0.02f, 1f) };

            [Differentiable]
            public static float RayMarch(Vector3 origin, Vector3 direction)
            {
                var t = 0f;
                for (var i = 0; i < 4; i++)
                {
                    var p = origin + t * direction;
                    t += SphereDistance(p, 1f);
                }

                return t;
            }

            [Differentiable]
            public static float SphereDistance(Vector3 p, float radius) => p.Length() - radius;

            public static object[] Portfolio_Args() => new object[] { 100.0, 0.2, 0.3 };

            [Differentiable]
            public static double Portfolio(double spot, double volatility, double weight) =>
                Payoff((spot, volatility), weight) + Payoff((spot * 1.1, volatility * 0.9), 1 - weight);

            [Differentiable]
            public static double Payoff((double Spot, double Volatility) state, double weight) =>
                weight * state.Spot * Math.Exp(-0.5 * state.Volatility * state.Volatility);

            public static object[] Chain_Args() => new object[] { new SpringSpec { Stiffness = 3.0, Rest = 1.0, Segments = 2 }, 1.4, 0.7 };

            [Differentiable]
            public static double Chain(SpringSpec spring, double a, double b) => SpringEnergy(spring, a) + SpringEnergy(spring, b) * spring.Segments;

            [Differentiable]
            public static double SpringEnergy(SpringSpec spring, double length) => 0.5 * spring.Stiffness * (length - spring.Rest) * (length - spring.Rest);

            public static object[] Track_Args() => new object[] { new Pose2(0.5, -0.2, 0.3), 1.2 };

            [Differentiable]
            public static double Track(Pose2 start, double speed)
            {
                var pose = start;
                var cost = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    pose = pose with { X = pose.X + speed * Math.Cos(pose.Angle), Y = pose.Y + speed * Math.Sin(pose.Angle) };
                    cost += PoseCost(pose, 0.5);
                }

                return cost;
            }

            [Differentiable]
            public static double PoseCost(Pose2 pose, [NoGrad] double weight) => pose.X * pose.X + weight * Math.Sin(pose.Angle) * pose.Y;

            public static object[] Layer_Args() => new object[] { new double[,] { { 0.1, 0.2 }, { -0.3, 0.4 } }, 0.5, -0.2 };

            [Differentiable]
            public static double Layer(double[,] weights, double x0, double x1) => Bilinear(weights, x0, x1) + Bilinear(weights, x1, x0);

            [Differentiable]
            public static double Bilinear(double[,] weights, double x0, double x1) =>
                Math.Tanh(weights[0, 0] * x0 * x0 + weights[0, 1] * x0 * x1 + weights[1, 0] * x1 * x0 + weights[1, 1] * x1 * x1);

            public static object[] FixedTable_Args() => new object[] { new double[,] { { 1.0, 0.5 }, { 0.5, 2.0 } }, 0.3, 0.8 };

            [Differentiable]
            public static double FixedTable([NoGrad] double[,] table, double x0, double x1) => Bilinear(table, x0, x1) * x0;

            public static object[] RowEnergy_Args() => new object[] { new double[][] { new[] { 0.1, 0.4 }, new[] { -0.2, 0.3, 0.9 } }, 1.5 };

            [Differentiable]
            public static double RowEnergy(double[][] rows, double scale) => scale * RowSquares(rows) + RowSquares(rows) * RowSquares(rows);

            [Differentiable]
            public static double RowSquares(double[][] rows)
            {
                var sum = 0.0;
                foreach (var row in rows)
                {
                    for (var j = 0; j < row.Length; j++)
                    {
                        sum += row[j] * row[j];
                    }
                }

                return sum;
            }
        }
        """;
}
