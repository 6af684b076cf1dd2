namespace StaticGrad.Benchmarks.Workloads.Lstm;

/// <summary>
/// Backpropagation through time by hand, the limit the generated gradient is measured against. The forward pass keeps
/// every gate of every step and layer (8 values per cell, in buffers reused across calls); the backward pass walks
/// the steps in reverse, carrying the adjoints of each layer's hidden and cell state from step t+1 to step t.
/// </summary>
public sealed class LstmHandGradient
{
    private const int Saved = 8; // input, previous hidden, previous cell, forget, input gate, output gate, candidate, tanh(cell)
    private double[] _cells = [];
    private double[] _probabilities = [];

    public double Gradient(LstmProblem p, Span<double> gradient)
    {
        int layers = p.Layers, hidden = p.Hidden, steps = p.Steps;
        var cellsPerStep = layers * hidden;
        if (_cells.Length < (steps - 1) * cellsPerStep * Saved)
        {
            _cells = new double[(steps - 1) * cellsPerStep * Saved];
            _probabilities = new double[(steps - 1) * hidden];
        }

        gradient.Clear();
        var dMain = gradient[..p.MainParams.Length];
        var dExtra = gradient[p.MainParams.Length..];
        var w = p.MainParams;
        var e = p.ExtraParams;
        var seq = p.Sequence;
        Span<double> state = stackalloc double[2 * cellsPerStep];
        p.State.CopyTo(state);
        Span<double> x = stackalloc double[hidden];
        var total = 0.0;
        for (var t = 0; t < steps - 1; t++)
        {
            for (var i = 0; i < hidden; i++)
            {
                x[i] = seq[(t * hidden) + i] * e[i];
            }

            for (var layer = 0; layer < layers; layer++)
            {
                int weights = 2 * layer * 4 * hidden, biases = weights + (4 * hidden), h = 2 * layer * hidden, c = h + hidden;
                var saved = _cells.AsSpan(((t * cellsPerStep) + (layer * hidden)) * Saved, hidden * Saved);
                for (var i = 0; i < hidden; i++)
                {
                    var forget = Sigmoid((x[i] * w[weights + i]) + w[biases + i]);
                    var input = Sigmoid((state[h + i] * w[weights + hidden + i]) + w[biases + hidden + i]);
                    var output = Sigmoid((x[i] * w[weights + (2 * hidden) + i]) + w[biases + (2 * hidden) + i]);
                    var change = Math.Tanh((state[h + i] * w[weights + (3 * hidden) + i]) + w[biases + (3 * hidden) + i]);
                    var cell = (state[c + i] * forget) + (input * change);
                    var tanhCell = Math.Tanh(cell);
                    var s = saved.Slice(i * Saved, Saved);
                    s[0] = x[i];
                    s[1] = state[h + i];
                    s[2] = state[c + i];
                    s[3] = forget;
                    s[4] = input;
                    s[5] = output;
                    s[6] = change;
                    s[7] = tanhCell;
                    state[c + i] = cell;
                    state[h + i] = output * tanhCell;
                    x[i] = state[h + i];
                }
            }

            var largest = double.NegativeInfinity;
            var probabilities = _probabilities.AsSpan(t * hidden, hidden);
            for (var i = 0; i < hidden; i++)
            {
                probabilities[i] = (x[i] * e[hidden + i]) + e[(2 * hidden) + i];
                largest = Math.Max(largest, probabilities[i]);
            }

            var sum = 0.0;
            for (var i = 0; i < hidden; i++)
            {
                sum += Math.Exp(probabilities[i] - largest);
            }

            var logSumExp = largest + Math.Log(sum);
            for (var i = 0; i < hidden; i++)
            {
                total += seq[((t + 1) * hidden) + i] * (probabilities[i] - logSumExp);
                probabilities[i] = Math.Exp(probabilities[i] - logSumExp);
            }
        }

        // d loss / d total = −1/count; d total / d prediction_k = gold_k − (Σ gold)·softmax_k.
        var dTotal = -1.0 / ((steps - 1) * hidden);
        Span<double> dState = stackalloc double[2 * cellsPerStep];
        dState.Clear();
        Span<double> dx = stackalloc double[hidden];
        for (var t = steps - 2; t >= 0; t--)
        {
            var gold = seq.AsSpan((t + 1) * hidden, hidden);
            var goldSum = 0.0;
            for (var i = 0; i < hidden; i++)
            {
                goldSum += gold[i];
            }

            var probabilities = _probabilities.AsSpan(t * hidden, hidden);
            var top = _cells.AsSpan(((t * cellsPerStep) + ((layers - 1) * hidden)) * Saved, hidden * Saved);
            for (var i = 0; i < hidden; i++)
            {
                var dPrediction = dTotal * (gold[i] - (goldSum * probabilities[i]));
                var output = top[(i * Saved) + 5] * top[(i * Saved) + 7];
                dExtra[hidden + i] += dPrediction * output;
                dExtra[(2 * hidden) + i] += dPrediction;
                dx[i] = dPrediction * e[hidden + i];
            }

            for (var layer = layers - 1; layer >= 0; layer--)
            {
                int weights = 2 * layer * 4 * hidden, biases = weights + (4 * hidden), h = 2 * layer * hidden, c = h + hidden;
                var saved = _cells.AsSpan(((t * cellsPerStep) + (layer * hidden)) * Saved, hidden * Saved);
                for (var i = 0; i < hidden; i++)
                {
                    var s = saved.Slice(i * Saved, Saved);
                    double xin = s[0], hPrev = s[1], cPrev = s[2], forget = s[3], input = s[4], output = s[5], change = s[6], tanhCell = s[7];
                    var dHidden = dx[i] + dState[h + i];
                    var dCell = dState[c + i] + (dHidden * output * (1.0 - (tanhCell * tanhCell)));
                    var dOutput = dHidden * tanhCell * output * (1.0 - output);
                    var dForget = dCell * cPrev * forget * (1.0 - forget);
                    var dInput = dCell * change * input * (1.0 - input);
                    var dChange = dCell * input * (1.0 - (change * change));
                    dMain[weights + i] += dForget * xin;
                    dMain[biases + i] += dForget;
                    dMain[weights + hidden + i] += dInput * hPrev;
                    dMain[biases + hidden + i] += dInput;
                    dMain[weights + (2 * hidden) + i] += dOutput * xin;
                    dMain[biases + (2 * hidden) + i] += dOutput;
                    dMain[weights + (3 * hidden) + i] += dChange * hPrev;
                    dMain[biases + (3 * hidden) + i] += dChange;
                    dState[h + i] = (dInput * w[weights + hidden + i]) + (dChange * w[weights + (3 * hidden) + i]);
                    dState[c + i] = dCell * forget;
                    dx[i] = (dForget * w[weights + i]) + (dOutput * w[weights + (2 * hidden) + i]);
                }
            }

            for (var i = 0; i < hidden; i++)
            {
                dExtra[i] += dx[i] * seq[(t * hidden) + i];
            }
        }

        return -total / ((steps - 1) * hidden);
    }

    private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
