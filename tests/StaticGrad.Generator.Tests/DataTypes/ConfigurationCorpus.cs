namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>Configuration of every kind read as constants: classes, strings, enums, delegates, [NoGrad] structs, static tables, this.</summary>
internal static class ConfigurationCorpus
{
    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace DataCorpus;

        public enum Activation { Relu, Tanh, Softplus }

        public sealed class TrainingOptions
        {
            public double L2 { get; init; } = 0.01;
            public double[] Weights { get; } = { 0.5, 1.5, -0.25 };
            public string Loss { get; init; } = "huber";
            public Activation Activation { get; init; } = Activation.Tanh;
            public int Steps = 3;
            public double Scale(int i) => 1.0 + 0.5 * i;
        }

        public readonly struct Grid
        {
            public Grid(int width, int height) { Width = width; Height = height; }
            public int Width { get; }
            public int Height { get; }
        }

        public static partial class Config
        {
            private static readonly double[] s_table = { 0.1, 0.2, 0.4, 0.8 };
            private const double Tau = 6.283185307179586;

            public static object[] Regularized_Args() => new object[] { 0.7, -0.3, new TrainingOptions() };

            [Differentiable]
            public static double Regularized(double w, double b, TrainingOptions options)
            {
                var loss = 0.0;
                for (var i = 0; i < options.Weights.Length; i++)
                {
                    var r = w * options.Weights[i] + b - options.Scale(i);
                    loss += options.Loss == "huber" ? (Math.Abs(r) < 1 ? 0.5 * r * r : Math.Abs(r) - 0.5) : r * r;
                }

                return loss + options.L2 * (w * w + b * b);
            }

            public static object[] Activate_Args() => new object[] { 0.4, Activation.Softplus };

            [Differentiable]
            public static double Activate(double x, Activation kind)
            {
                var y = x;
                switch (kind)
                {
                    case Activation.Relu:
                        y = x > 0 ? x : 0.0;
                        break;
                    case Activation.Tanh:
                        y = Math.Tanh(x);
                        break;
                    default:
                        y = Math.Log(1 + Math.Exp(x));
                        break;
                }

                return y;
            }

            public static object[] ByName_Args() => new object[] { 1.3, "cube" };

            [Differentiable]
            public static double ByName(double x, string name) => name switch
            {
                "square" => x * x,
                "cube" => x * x * x,
                _ => x,
            };

            public static object[] Table_Args() => new object[] { 0.9 };

            [Differentiable]
            public static double Table(double x)
            {
                var sum = 0.0;
                for (var i = 0; i < s_table.Length; i++)
                {
                    sum += s_table[i] * Math.Sin(Tau * x * i);
                }

                return sum;
            }

            public static object[] OnGrid_Args() => new object[] { 0.25, new Grid(3, 2) };

            [Differentiable]
            public static double OnGrid(double h, Grid grid)
            {
                var total = 0.0;
                for (var i = 0; i < grid.Width * grid.Height; i++)
                {
                    total += Math.Exp(-h * i);
                }

                return total;
            }

            public static object[] Shaped_Args() => new object[] { 1.1, new Func<double, double>(v => v * 3) };

            [Differentiable]
            public static double Shaped(double x, Func<double, double> weight) => x * x * weight(2.0);

            public static object[] FixedLight_Args() => new object[] { 0.3f, new Vector3(0.0f, 0.6f, 0.8f) };

            [Differentiable]
            public static float FixedLight(float albedo, [NoGrad] Vector3 light) => albedo * MathF.Max(light.Y, 0f) + albedo * albedo * light.Z;
        }

        public partial class Pricer
        {
            public double Rate { get; set; } = 0.03;
            private readonly TrainingOptions _options = new();

            public static object[] Discounted_Args() => new object[] { 2.5, 100.0 };

            [Differentiable]
            public double Discounted(double t, double cash) => cash * Math.Exp(-Rate * t) * (1 + _options.L2);
        }
        """;
}
