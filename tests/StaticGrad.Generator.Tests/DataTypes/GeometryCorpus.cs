namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>Geometry, kinematics, finance and ML written with the data types users reach for.</summary>
internal static class GeometryCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public struct Market
        {
            public double Rate;
            public double Dividend;
            public bool IsCall;
        }

        public readonly record struct Link(double Length, double Angle)
        {
            public double EndX => Length * Math.Cos(Angle);
            public double EndY => Length * Math.Sin(Angle);
        }

        public sealed class Camera
        {
            public double Focal { get; } = 1.2;
            public double[] Principal { get; } = { 0.1, -0.05 };
        }

        public static partial class Geometry
        {
            public static object[] PolygonArea_Args() => new object[] { new double[][] { new[] { 0.0, 0.0 }, new[] { 1.0, 0.1 }, new[] { 1.2, 0.9 }, new[] { 0.1, 1.1 } } };

            [Differentiable]
            public static double PolygonArea(double[][] vertices)
            {
                var area = 0.0;
                var n = vertices.Length;
                for (var i = 0; i < n; i++)
                {
                    var j = (i + 1) % n;
                    area += vertices[i][0] * vertices[j][1] - vertices[j][0] * vertices[i][1];
                }

                return 0.5 * area;
            }

            public static object[] SdfBox_Args() => new object[] { new Vector3(0.9f, 0.2f, -1.4f), new Vector3(0.5f, 0.5f, 0.5f) };

            [Differentiable]
            public static float SdfBox(Vector3 p, [NoGrad] Vector3 halfExtent)
            {
                var q = Vector3.Abs(p) - halfExtent;
                return Vector3.Max(q, Vector3.Zero).Length() + MathF.Min(MathF.Max(q.X, MathF.Max(q.Y, q.Z)), 0f);
            }

            public static object[] SmoothUnion_Args() => new object[] { new Vector3(0.3f, 0.4f, 0.2f), new Vector3(1f, 0f, 0f), 0.25f };

            [Differentiable]
            public static float SmoothUnion(Vector3 p, Vector3 center, float k)
            {
                var a = p.Length() - 0.5f;
                var b = Vector3.Distance(p, center) - 0.4f;
                var h = MathF.Max(k - MathF.Abs(a - b), 0f) / k;
                return MathF.Min(a, b) - h * h * k * 0.25f;
            }

            public static object[] TwoLinkReach_Args() => new object[] { new Link(1.0, 0.4), new Link(0.8, 0.9), 1.2, 1.1 };

            [Differentiable]
            public static double TwoLinkReach(Link upper, Link lower, [NoGrad] double targetX, [NoGrad] double targetY)
            {
                var x = upper.EndX + lower.Length * Math.Cos(upper.Angle + lower.Angle);
                var y = upper.EndY + lower.Length * Math.Sin(upper.Angle + lower.Angle);
                return (x - targetX) * (x - targetX) + (y - targetY) * (y - targetY);
            }

            public static object[] Reproject_Args() => new object[] { new Vector3(0.4f, -0.3f, 3f), new Camera() };

            [Differentiable]
            public static double Reproject(Vector3 point, Camera camera)
            {
                var u = camera.Focal * point.X / point.Z + camera.Principal[0];
                var v = camera.Focal * point.Y / point.Z + camera.Principal[1];
                return u * u + v * v;
            }
        }

        public static partial class Finance
        {
            public static object[] Forward_Args() => new object[] { 100.0, 1.5, new Market { Rate = 0.03, Dividend = 0.01, IsCall = true } };

            [Differentiable]
            public static double Forward(double spot, double time, Market market) =>
                spot * Math.Exp((market.Rate - market.Dividend) * time) * (market.IsCall ? 1.0 : -1.0);

            public static object[] Annuity_Args() => new object[] { 0.04, new double[] { 1.0, 2.0, 3.0, 5.0 } };

            [Differentiable]
            public static double Annuity(double rate, [NoGrad] double[] times)
            {
                var value = 0.0;
                foreach (var t in times)
                {
                    value += Math.Exp(-rate * t);
                }

                return value;
            }
        }

        public static partial class Learning
        {
            public static object[] Logistic_Args() => new object[]
            {
                new double[,] { { 0.3, -0.2, 0.5 } },
                new double[,] { { 1.0, 0.5, -1.0 }, { -0.5, 2.0, 0.3 }, { 0.2, -0.4, 0.9 } },
                new[] { 1.0, 0.0, 1.0 },
            };

            [Differentiable]
            public static double Logistic(double[,] weights, [NoGrad] double[,] features, [NoGrad] double[] labels)
            {
                var loss = 0.0;
                for (var i = 0; i < features.GetLength(0); i++)
                {
                    var z = 0.0;
                    for (var j = 0; j < features.GetLength(1); j++)
                    {
                        z += weights[0, j] * features[i, j];
                    }

                    var p = 1 / (1 + Math.Exp(-z));
                    loss -= labels[i] * Math.Log(p) + (1 - labels[i]) * Math.Log(1 - p);
                }

                return loss;
            }

            public static object[] Attention_Args() => new object[] { new double[][] { new[] { 0.2, 0.5 }, new[] { -0.3, 0.8 }, new[] { 0.9, -0.1 } }, new Vector2(0.4f, -0.6f) };

            [Differentiable]
            public static double Attention([NoGrad] double[][] keys, Vector2 query)
            {
                var normalizer = 0.0;
                var weighted = 0.0;
                for (var i = 0; i < keys.Length; i++)
                {
                    var score = Math.Exp(query.X * keys[i][0] + query.Y * keys[i][1]);
                    normalizer += score;
                    weighted += score * keys[i][0];
                }

                return weighted / normalizer;
            }

            public static object[] Pair_Args() => new object[] { (0.5, -1.5), 2.0 };

            [Differentiable]
            public static double Pair((double Mean, double LogStd) parameters, double x)
            {
                var std = Math.Exp(parameters.LogStd);
                var z = (x - parameters.Mean) / std;
                return 0.5 * z * z + parameters.LogStd;
            }
        }
        """;
}
