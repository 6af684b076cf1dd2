namespace StaticGrad.Benchmarks.Workloads.Mlp;

/// <summary>
/// A two-layer perceptron regression step: pred = tanh(x·W1ᵀ + b1)·W2ᵀ + b2, loss = mean((pred − y)²), weights laid
/// out as nn.Linear's ([out, in] row-major), batch of 64, then one SGD update.
/// </summary>
public sealed class MlpProblem
{
    public const int Batch = 64;
    public const int Inputs = 32;
    public const int Hidden = 64;
    public const int Outputs = 8;
    public const double LearningRate = 1e-3;

    public MlpProblem(int seed = 7)
    {
        var random = new Random(seed);
        W1 = Scaled(Gmm.GmmInstance.Normals(random, Hidden * Inputs), 1.0 / Math.Sqrt(Inputs));
        B1 = Scaled(Gmm.GmmInstance.Normals(random, Hidden), 0.1);
        W2 = Scaled(Gmm.GmmInstance.Normals(random, Outputs * Hidden), 1.0 / Math.Sqrt(Hidden));
        B2 = Scaled(Gmm.GmmInstance.Normals(random, Outputs), 0.1);
        X = Gmm.GmmInstance.Normals(random, Batch * Inputs);
        Y = Gmm.GmmInstance.Normals(random, Batch * Outputs);
    }

    public double[] W1 { get; }

    public double[] B1 { get; }

    public double[] W2 { get; }

    public double[] B2 { get; }

    public double[] X { get; }

    public double[] Y { get; }

    public int ParameterCount => W1.Length + B1.Length + W2.Length + B2.Length;

    public double[][] Parameters => [W1, B1, W2, B2];

    /// <summary>The loss, from the [Differentiable] definition.</summary>
    public double Loss() => MlpLoss.Loss(W1, B1, W2, B2, X, Y, Batch, Inputs, Hidden, Outputs);

    /// <summary>p ← p − lr·g for the flat gradient (W1, b1, W2, b2 in order).</summary>
    public void Update(ReadOnlySpan<double> gradient)
    {
        var offset = 0;
        foreach (var parameter in Parameters)
        {
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] -= LearningRate * gradient[offset + i];
            }

            offset += parameter.Length;
        }
    }

    private static double[] Scaled(double[] values, double scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }

        return values;
    }
}
