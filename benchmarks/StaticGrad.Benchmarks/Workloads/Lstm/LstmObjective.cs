namespace StaticGrad.Benchmarks.Workloads.Lstm;

/// <summary>The LSTM loss written as a user writes it: a loop over time steps carrying a state array.</summary>
public static partial class LstmObjective
{
#if GENERATED_LSTM
    [Differentiable]
#endif
    public static double Loss(double[] mainParams, double[] extraParams, [NoGrad] double[] initialState, [NoGrad] double[] sequence, int layers, int hidden, int steps)
    {
        var state = new double[2 * layers * hidden];
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = initialState[i];
        }

        var x = new double[hidden];
        var prediction = new double[hidden];
        var total = 0.0;
        for (var t = 0; t < steps - 1; t++)
        {
            for (var i = 0; i < hidden; i++)
            {
                x[i] = sequence[(t * hidden) + i] * extraParams[i];
            }

            for (var layer = 0; layer < layers; layer++)
            {
                var weights = 2 * layer * 4 * hidden;
                var biases = weights + (4 * hidden);
                var h = 2 * layer * hidden;
                var c = h + hidden;
                for (var i = 0; i < hidden; i++)
                {
                    var forget = Sigmoid((x[i] * mainParams[weights + i]) + mainParams[biases + i]);
                    var input = Sigmoid((state[h + i] * mainParams[weights + hidden + i]) + mainParams[biases + hidden + i]);
                    var output = Sigmoid((x[i] * mainParams[weights + (2 * hidden) + i]) + mainParams[biases + (2 * hidden) + i]);
                    var change = Math.Tanh((state[h + i] * mainParams[weights + (3 * hidden) + i]) + mainParams[biases + (3 * hidden) + i]);
                    state[c + i] = (state[c + i] * forget) + (input * change);
                    state[h + i] = output * Math.Tanh(state[c + i]);
                    x[i] = state[h + i];
                }
            }

            var largest = double.NegativeInfinity;
            for (var i = 0; i < hidden; i++)
            {
                prediction[i] = (x[i] * extraParams[hidden + i]) + extraParams[(2 * hidden) + i];
                if (prediction[i] > largest)
                {
                    largest = prediction[i];
                }
            }

            var sum = 0.0;
            for (var i = 0; i < hidden; i++)
            {
                sum += Math.Exp(prediction[i] - largest);
            }

            var logSumExp = largest + Math.Log(sum);
            for (var i = 0; i < hidden; i++)
            {
                total += sequence[((t + 1) * hidden) + i] * (prediction[i] - logSumExp);
            }
        }

        return -total / ((steps - 1) * hidden);
    }

#if GENERATED_LSTM
    [Differentiable]
#endif
    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
