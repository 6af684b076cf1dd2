namespace StaticGrad.Benchmarks.Workloads.Lstm;

/// <summary>
/// ADBench's LSTM objective shape: <see cref="Layers"/> stacked diagonal LSTM cells of width <see cref="Hidden"/>
/// run over a character sequence of <see cref="Steps"/> one-hot-like vectors, scored by log-softmax against the next
/// character. Parameters: per layer a weight block and a bias block of 4·Hidden each (forget, input, output gates and
/// the candidate), then the input scale, output scale and output bias (3·Hidden). ADBench's instances use
/// l = 2 or 4, c = 1024 or 4096, b = 14; the data is generated with a fixed seed (ADBench's own files are text read
/// from a corpus, not needed for timing).
/// </summary>
public sealed class LstmProblem
{
    public LstmProblem(int layers = 2, int hidden = 14, int steps = 1024, int seed = 7)
    {
        Layers = layers;
        Hidden = hidden;
        Steps = steps;
        var random = new Random(seed);
        MainParams = Fill(random, 2 * layers * 4 * hidden, 0.5);
        ExtraParams = Fill(random, 3 * hidden, 0.5);
        State = Fill(random, 2 * layers * hidden, 0.5);
        Sequence = new double[steps * hidden];
        for (var t = 0; t < steps; t++)
        {
            // A soft one-hot character: ADBench's sequence rows are one-hot; a little mass elsewhere keeps every
            // gold weight in the derivative nonzero.
            var hot = random.Next(hidden);
            for (var i = 0; i < hidden; i++)
            {
                Sequence[(t * hidden) + i] = i == hot ? 0.9 : 0.1 / (hidden - 1);
            }
        }
    }

    public int Layers { get; }

    public int Hidden { get; }

    public int Steps { get; }

    public double[] MainParams { get; }

    public double[] ExtraParams { get; }

    /// <summary>The initial hidden and cell state of every layer (inputs, not differentiated).</summary>
    public double[] State { get; }

    public double[] Sequence { get; }

    public int ParameterCount => MainParams.Length + ExtraParams.Length;

    public double Loss() => LstmObjective.Loss(MainParams, ExtraParams, State, Sequence, Layers, Hidden, Steps);

    private static double[] Fill(Random random, int length, double scale)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = scale * ((2.0 * random.NextDouble()) - 1.0);
        }

        return values;
    }
}
