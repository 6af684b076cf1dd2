using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Mlp;

/// <summary>The MLP gradient (W1, b1, W2, b2 flattened in order) by every implementation; each returns the loss.</summary>
public static class MlpGradients
{
#if GENERATED_MLP
    public const bool HasGenerated = true;
#else
    public const bool HasGenerated = false;
#endif

    /// <summary>
    /// Backpropagation by hand: dpred = 2(pred − y)/(B·O), dW2 = dpredᵀ·h, db2 = Σ dpred, dz = (dpred·W2)⊙(1 − h²),
    /// dW1 = dzᵀ·x, db1 = Σ dz.
    /// </summary>
    public static double HandWritten(MlpProblem p, Span<double> gradient)
    {
        const int B = MlpProblem.Batch, I = MlpProblem.Inputs, H = MlpProblem.Hidden, O = MlpProblem.Outputs;
        gradient.Clear();
        var dW1 = gradient[..(H * I)];
        var dB1 = gradient.Slice(H * I, H);
        var dW2 = gradient.Slice((H * I) + H, O * H);
        var dB2 = gradient.Slice((H * I) + H + (O * H), O);
        var h = new double[B * H];
        var dh = new double[H];
        var loss = 0.0;
        for (var b = 0; b < B; b++)
        {
            var xb = p.X.AsSpan(b * I, I);
            var hb = h.AsSpan(b * H, H);
            for (var j = 0; j < H; j++)
            {
                var w = p.W1.AsSpan(j * I, I);
                var z = p.B1[j];
                for (var i = 0; i < I; i++)
                {
                    z += w[i] * xb[i];
                }

                hb[j] = Math.Tanh(z);
            }

            Array.Clear(dh);
            for (var o = 0; o < O; o++)
            {
                var w = p.W2.AsSpan(o * H, H);
                var prediction = p.B2[o];
                for (var j = 0; j < H; j++)
                {
                    prediction += w[j] * hb[j];
                }

                var error = prediction - p.Y[(b * O) + o];
                loss += error * error;
                var dPrediction = 2.0 * error / (B * O);
                dB2[o] += dPrediction;
                var dw = dW2.Slice(o * H, H);
                for (var j = 0; j < H; j++)
                {
                    dw[j] += dPrediction * hb[j];
                    dh[j] += dPrediction * w[j];
                }
            }

            for (var j = 0; j < H; j++)
            {
                var dz = dh[j] * (1.0 - (hb[j] * hb[j]));
                dB1[j] += dz;
                var dw = dW1.Slice(j * I, I);
                for (var i = 0; i < I; i++)
                {
                    dw[i] += dz * xb[i];
                }
            }
        }

        return loss / (B * O);
    }

#if GENERATED_MLP
    public static double Generated(MlpProblem p, Span<double> gradient)
    {
        const int H = MlpProblem.Hidden, I = MlpProblem.Inputs, O = MlpProblem.Outputs;
        gradient.Clear();
        return MlpLoss.LossBackward(
            p.W1, p.B1, p.W2, p.B2, p.X, p.Y, MlpProblem.Batch, I, H, O,
            gradient[..(H * I)], gradient.Slice(H * I, H), gradient.Slice((H * I) + H, O * H), gradient.Slice((H * I) + H + (O * H), O));
    }
#endif

    /// <summary>Through the runtime tape: Linear, Tanh, Linear and MseLoss from StaticGrad.Nn, at the problem's current weights.</summary>
    public static double Tape(MlpProblem p, Span<double> gradient) => new MlpTapeModel(p).Gradient(gradient);

    public static double FiniteDifferences(MlpProblem p, Span<double> gradient)
    {
        Checking.FiniteDifferences.Central(p.Loss, p.Parameters, gradient);
        return p.Loss();
    }
}
