using System.Globalization;

namespace StaticGrad.Benchmarks.AnalyzerCost;

/// <summary>
/// One experiment of the analyzer-cost projects, as users write training code: settings parsed from strings, data
/// helpers on arrays, a module of three layers, loss helpers, an evaluation under no-grad, a trainer with a training
/// loop (optimizer, early stop, a loss lambda, a learning-rate lambda), a fine-tuning loop with a penalty over the
/// module's parameters, an input-sensitivity check, and a report. About a third of the lines touch no tensor.
/// </summary>
internal static class TrainingUnits
{
    /// <summary>The experiment in one tensor library's spelling.</summary>
    public static string Tensor(int unit, TrainingSpelling s)
    {
        var shape = (string dims) => string.Format(CultureInfo.InvariantCulture, s.Shape, dims);
        var register = (string name, string value) => string.Format(CultureInfo.InvariantCulture, s.Register, name, value);
        return $$"""
            {{Preamble(unit, s.Usings)}}

                public static Tensor Row(int row, int width) => {{s.FromArray}}(Features(row, width), {{shape("1, width")}});

                public static (Tensor Inputs, Tensor Targets) MakeBatch(int[] order, int start, int size, int width)
                {
                    var inputs = new double[size * width];
                    var targets = new double[size];
                    for (var r = 0; r < size; r++)
                    {
                        var features = Features(order[(start + r) % order.Length], width);
                        Array.Copy(features, 0, inputs, r * width, width);
                        targets[r] = features.Sum() > 0 ? 1.0 : 0.0;
                    }

                    return ({{s.FromArray}}(inputs, {{shape("size, width")}}), {{s.FromArray}}(targets, {{shape("size, 1")}}));
                }

                public static Tensor Normalize(Tensor x)
                {
                    var mean = x.{{s.Mean}}();
                    var centered = x - mean;
                    return centered / (centered.{{s.Square}}().{{s.Mean}}() + 1e-6).{{s.Sqrt}}();
                }
            }

            public sealed class Encoder : {{s.ModuleBase}}
            {
                private readonly Linear _input;
                private readonly Linear _hidden;
                private readonly Linear _output;

                public Encoder(int inputs, int hidden){{s.ModuleBaseCall}}
                {
                    {{register("input", $"{s.NewLinear}(inputs, hidden)")}}
                    {{register("hidden", $"{s.NewLinear}(hidden, hidden)")}}
                    {{register("output", $"{s.NewLinear}(hidden, 1)")}}{{(s.RegistersComponents ? "\n        RegisterComponents();" : string.Empty)}}
                }

                public override Tensor {{s.Forward}}(Tensor x)
                {
                    var h = _input.{{s.Forward}}(x).{{s.Relu}}();
                    h = _hidden.{{s.Forward}}(h).{{s.Tanh}}() + h;
                    return _output.{{s.Forward}}(h).{{s.Sigmoid}}();
                }

                public Tensor Embed(Tensor x) => _input.{{s.Forward}}(x).{{s.Relu}}();
            }

            public static class Losses
            {
                public static Tensor Mse(Tensor prediction, Tensor target) => (prediction - target).{{s.Square}}().{{s.Mean}}();

                public static Tensor L1(Tensor prediction, Tensor target) => (prediction - target).{{s.Abs}}().{{s.Mean}}();

                public static Tensor Penalty(IEnumerable<{{s.Parameter}}> parameters, double decay)
                {
                    Tensor total = null;
                    foreach (var p in parameters)
                    {
                        var term = p.{{s.Square}}().{{s.Sum}}();
                        total = total is null ? term : total + term;
                    }

                    return total * decay;
                }
            }

            public static class Scores
            {
                public static double Evaluate(Encoder model, int[] order, int width)
                {
                    model.{{s.Eval}}();
                    using ({{s.NoGrad}})
                    {
                        var total = 0.0;
                        for (var start = 0; start < order.Length; start += 16)
                        {
                            var (inputs, targets) = Batches.MakeBatch(order, start, 16, width);
                            total += Losses.Mse(model.{{s.Forward}}(inputs), targets).{{s.Item}};
                        }

                        model.{{s.Train}}();
                        return total / Math.Max(1, order.Length / 16);
                    }
                }

                public static double Sensitivity(Encoder model, int row)
                {
                    var x = {{s.FromArray}}(Batches.Features(row, 8), {{shape("1, 8")}}, {{s.RequiresGradArgument}});
                    var y = model.{{s.Forward}}(x).{{s.Sum}}();
                    y.{{s.Backward}}();
                    return x.{{s.Grad}}.{{s.Abs}}().{{s.Sum}}().{{s.Item}};
                }

            {{Describe()}}
            }

            public sealed class Trainer
            {
                private readonly Settings _settings;
                private readonly Encoder _model;
                private readonly Func<int, double> _schedule;

                public Trainer(Settings settings)
                {
                    _settings = settings;
                    _model = new Encoder(8, 16);
                    _schedule = epoch => settings.LearningRate * Math.Pow(0.95, epoch);
                }

                public List<double> History { get; } = new();

                public Encoder Model => _model;

                public double Fit(int[] train, int[] valid)
                {
                    var optimizer = {{string.Format(CultureInfo.InvariantCulture, s.Adam, $"_model.{s.Parameters}()", "_settings.LearningRate")}};
                    Func<Tensor, Tensor, Tensor> criterion = (p, t) => Losses.Mse(p, t) + Losses.L1(p, t) * 0.1;
                    var best = double.MaxValue;
                    for (var epoch = 0; epoch < _settings.Epochs; epoch++)
                    {
                        var running = 0.0;
                        for (var start = 0; start + _settings.BatchSize <= train.Length; start += _settings.BatchSize)
                        {
                            var (inputs, targets) = Batches.MakeBatch(train, start, _settings.BatchSize, 8);
                            optimizer.{{s.ZeroGrad}}();
                            var loss = criterion(_model.{{s.Forward}}(Batches.Normalize(inputs)), targets);
                            loss.{{s.Backward}}();
                            optimizer.{{s.Step}}();
                            running += loss.{{s.Item}};
                        }

            {{EndOfEpoch(", lr {_schedule(epoch):G3}")}}
                    }

                    return best;
                }

                public double FineTune(int[] train)
                {
                    var optimizer = {{string.Format(CultureInfo.InvariantCulture, s.Sgd, $"_model.{s.Parameters}()", "_schedule(0)")}};
                    var total = 0.0;
                    for (var step = 0; step < 3; step++)
                    {
                        var (inputs, targets) = Batches.MakeBatch(train, step * 4, 4, 8);
                        optimizer.{{s.ZeroGrad}}();
                        var prediction = _model.{{s.Forward}}(inputs);
                        var loss = Losses.Mse(prediction, targets) + Losses.Penalty(_model.{{s.Parameters}}(), _settings.WeightDecay);
                        loss.{{s.Backward}}();
                        optimizer.{{s.Step}}();
                        total += loss.{{s.Item}};
                    }

                    var features = _model.Embed(Batches.Row(0, 8)).{{s.Detach}}();
                    return total / 3 + features.{{s.Exp}}().{{s.Mean}}().{{s.Item}};
                }
            }

            public static class Experiment
            {
                public static string Run(IReadOnlyDictionary<string, string> values)
                {
                    var settings = Settings.Parse(values);
                    var order = Batches.Shuffle(256, {{unit}});
                    var trainer = new Trainer(settings);
                    var best = trainer.Fit(order.Take(192).ToArray(), order.Skip(192).ToArray());
                    var tuned = trainer.FineTune(order);
                    var sensitivity = Scores.Sensitivity(trainer.Model, {{unit}});
                    return Scores.Describe(settings.Name, trainer.History) + $" (best {best:F4}, tuned {tuned:F4}, sensitivity {sensitivity:F4})";
                }
            }

            """;
    }

    /// <summary>The same experiment without a tensor library: the model is an array of weights fitted by hand.</summary>
    public static string Plain(int unit) => $$"""
        {{Preamble(unit, string.Empty)}}
        }

        public sealed class LinearModel
        {
            private readonly double[] _weights;

            public LinearModel(int width) => _weights = new double[width];

            public double Predict(double[] x)
            {
                var sum = 0.0;
                for (var k = 0; k < x.Length; k++)
                {
                    sum += _weights[k] * x[k];
                }

                return 1.0 / (1.0 + Math.Exp(-sum));
            }

            public double Step(double[] x, double target, double rate)
            {
                var prediction = Predict(x);
                var error = prediction - target;
                var slope = error * prediction * (1 - prediction);
                for (var k = 0; k < x.Length; k++)
                {
                    _weights[k] -= rate * slope * x[k];
                }

                return error * error;
            }
        }

        public static class Scores
        {
            public static double Evaluate(LinearModel model, int[] order, int width)
            {
                var total = 0.0;
                foreach (var row in order)
                {
                    var features = Batches.Features(row, width);
                    var target = features.Sum() > 0 ? 1.0 : 0.0;
                    var error = model.Predict(features) - target;
                    total += error * error;
                }

                return total / Math.Max(1, order.Length);
            }

        {{Describe()}}
        }

        public sealed class Trainer
        {
            private readonly Settings _settings;
            private readonly LinearModel _model = new(8);
            private readonly Func<int, double> _schedule;

            public Trainer(Settings settings)
            {
                _settings = settings;
                _schedule = epoch => settings.LearningRate * Math.Pow(0.95, epoch);
            }

            public List<double> History { get; } = new();

            public double Fit(int[] train, int[] valid)
            {
                var best = double.MaxValue;
                for (var epoch = 0; epoch < _settings.Epochs; epoch++)
                {
                    var running = 0.0;
                    foreach (var row in train)
                    {
                        var features = Batches.Features(row, 8);
                        running += _model.Step(features, features.Sum() > 0 ? 1.0 : 0.0, _schedule(epoch));
                    }

        {{EndOfEpoch(string.Empty)}}
                }

                return best;
            }
        }

        public static class Experiment
        {
            public static string Run(IReadOnlyDictionary<string, string> values)
            {
                var settings = Settings.Parse(values);
                var order = Batches.Shuffle(256, {{unit}});
                var trainer = new Trainer(settings);
                var best = trainer.Fit(order.Take(192).ToArray(), order.Skip(192).ToArray());
                return Scores.Describe(settings.Name, trainer.History) + $" (best {best:F4})";
            }
        }

        """;

    /// <summary>What both kinds of experiment begin with: usings, settings, and the array helpers of <c>Batches</c> (left open).</summary>
    private static string Preamble(int unit, string usings) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        {{usings}}

        namespace Experiments.E{{unit}};

        {{Settings(unit)}}

        public static class Batches
        {
            public static double[] Features(int row, int width)
            {
                var values = new double[width];
                for (var k = 0; k < width; k++)
                {
                    values[k] = Math.Sin(row * 0.37 + k * {{unit + 1}}) * 0.5;
                }

                return values;
            }

        {{Shuffle()}}
        """;

    private static string Settings(int unit) => $$"""
        public sealed class Settings
        {
            public int Epochs { get; init; } = {{10 + (unit % 7)}};

            public int BatchSize { get; init; } = 16;

            public double LearningRate { get; init; } = 0.01;

            public double WeightDecay { get; init; } = 1e-4;

            public string Name { get; init; } = "experiment-{{unit}}";

            public static Settings Parse(IReadOnlyDictionary<string, string> values)
            {
                var defaults = new Settings();
                return new Settings
                {
                    Epochs = values.TryGetValue("epochs", out var epochs) && int.TryParse(epochs, out var e) ? e : defaults.Epochs,
                    BatchSize = values.TryGetValue("batch", out var batch) && int.TryParse(batch, out var b) ? b : defaults.BatchSize,
                    LearningRate = values.TryGetValue("lr", out var lr) && double.TryParse(lr, out var l) ? l : defaults.LearningRate,
                    WeightDecay = values.TryGetValue("decay", out var decay) && double.TryParse(decay, out var d) ? d : defaults.WeightDecay,
                    Name = values.TryGetValue("name", out var name) ? name : defaults.Name,
                };
            }

            public override string ToString() => $"{Name}: epochs={Epochs}, batch={BatchSize}, lr={LearningRate:G3}, decay={WeightDecay:G3}";
        }
        """;

    /// <summary>The end of an epoch of <c>Fit</c> in both kinds: validation, a log line, early stop.</summary>
    private static string EndOfEpoch(string logTail) => $$"""
                    var score = Scores.Evaluate(_model, valid, 8);
                    History.Add(score);
                    Console.WriteLine($"epoch {epoch}: train {running:F4}, valid {score:F4}{{logTail}}");
                    if (score < best)
                    {
                        best = score;
                    }
                    else if (epoch > 3 && score > best * 1.5)
                    {
                        break;
                    }
        """;

    private static string Shuffle() => """
            public static int[] Shuffle(int count, int seed)
            {
                var order = Enumerable.Range(0, count).ToArray();
                var random = new Random(seed);
                for (var k = count - 1; k > 0; k--)
                {
                    var j = random.Next(k + 1);
                    (order[k], order[j]) = (order[j], order[k]);
                }

                return order;
            }
        """;

    private static string Describe() => """
            public static string Describe(string name, IReadOnlyList<double> history) =>
                history.Count == 0 ? $"{name}: no epochs" : $"{name}: best {history.Min():F4}, last {history[^1]:F4} after {history.Count} epochs";
        """;
}
