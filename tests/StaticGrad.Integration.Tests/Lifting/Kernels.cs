namespace StaticGrad.Integration.Tests.Lifting;

/// <summary>Scalar [Differentiable] methods the generator lifts to tensors in this project.</summary>
public static partial class Kernels
{
    /// <summary>log(1 + eˣ), the numerically safe form.</summary>
    [Differentiable]
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>A two-input function with a [NoGrad] weight: w·(x − y)² + sin(x·y).</summary>
    [Differentiable]
    public static double Gap(double x, double y, [NoGrad] double w) => w * (x - y) * (x - y) + Math.Sin(x * y);

    /// <summary>The tanh approximation of GELU, in float.</summary>
    [Differentiable]
    public static float Gelu(float x) => 0.5f * x * (1f + MathF.Tanh(0.7978846f * (x + 0.044715f * x * x * x)));

    /// <summary>x after <paramref name="steps"/> explicit Euler steps of dx/dt = −k·x: a loop, and an int passed through.</summary>
    [Differentiable]
    public static double Decay(double x, double k, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            x -= 0.1 * k * x;
        }

        return x;
    }

    /// <summary>offset + Σ wᵢ·xᵢ² over spans.</summary>
    [Differentiable]
    public static double WeightedSquares(ReadOnlySpan<double> xs, double[] weights, double offset)
    {
        var sum = offset;
        for (var i = 0; i < xs.Length; i++)
        {
            sum += weights[i] * xs[i] * xs[i];
        }

        return sum;
    }
}
