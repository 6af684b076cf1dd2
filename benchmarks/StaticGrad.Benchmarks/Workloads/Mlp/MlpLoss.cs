namespace StaticGrad.Benchmarks.Workloads.Mlp;

/// <summary>The MLP's loss over flat arrays, in the form the generator differentiates.</summary>
public static partial class MlpLoss
{
#if GENERATED_MLP
    [Differentiable]
#endif
    public static double Loss(double[] w1, double[] b1, double[] w2, double[] b2, [NoGrad] double[] x, [NoGrad] double[] y, int batch, int inputs, int hidden, int outputs)
    {
        var h = new double[batch * hidden];
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < hidden; j++)
            {
                var z = b1[j];
                for (var i = 0; i < inputs; i++)
                {
                    z += w1[(j * inputs) + i] * x[(b * inputs) + i];
                }

                h[(b * hidden) + j] = Math.Tanh(z);
            }
        }

        var loss = 0.0;
        for (var b = 0; b < batch; b++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var prediction = b2[o];
                for (var j = 0; j < hidden; j++)
                {
                    prediction += w2[(o * hidden) + j] * h[(b * hidden) + j];
                }

                var error = prediction - y[(b * outputs) + o];
                loss += error * error;
            }
        }

        return loss / (batch * outputs);
    }
}
