using System.Diagnostics;
using System.Globalization;
using System.Text;
using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

namespace FineTune;

/// <summary>
/// The fine-tuning workflow of a PyTorch user (SPEC R43, seeds 000/004), on a CNN: train a ResNet-style network on
/// one task, save its state, load it into a fresh network, freeze the backbone (no gradients, batch norm in eval mode
/// so its running statistics stay), replace the head and train only the head on a second task.
/// </summary>
public static class FineTuneScenario
{
    /// <summary>Runs the workflow, reporting progress through <paramref name="log"/>.</summary>
    /// <param name="options">Sizes, seeds and rates.</param>
    /// <param name="log">Receives one line per step worth printing.</param>
    /// <returns>What was measured.</returns>
    public static FineTuneResult Run(FineTuneOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var rng = new RandomGenerator(options.Seed);
        var (barsTrain, barsTrainLabels) = SyntheticImages.Bars(options.PretrainSamples, rng, options.DType);
        var (barsTest, barsTestLabels) = SyntheticImages.Bars(options.TestSamples, rng, options.DType);
        var (shapesTrain, shapesTrainLabels) = SyntheticImages.Shapes(options.FineTuneSamples, rng, options.DType);
        var (shapesTest, shapesTestLabels) = SyntheticImages.Shapes(options.TestSamples, rng, options.DType);

        var model = new SmallResNet(SyntheticImages.BarClasses.Length, options.DType, rng);
        log(Invariant($"Phase 1: train {model.Parameters().Sum(p => p.NumElements)} parameters on bar orientation ({string.Join(", ", SyntheticImages.BarClasses)}), {options.PretrainSamples} images"));
        var seconds = Train(model, new Adam(model.Parameters(), lr: options.LearningRate), barsTrain, barsTrainLabels, options, options.PretrainEpochs, () => model.Train(), log);
        var pretrainAccuracy = Accuracy(model, barsTest, barsTestLabels);
        log(Invariant($"  held-out accuracy {pretrainAccuracy:P1}"));

        var path = options.CheckpointPath ?? Path.Combine(Path.GetTempPath(), $"finetune-{Environment.ProcessId}.sgstate");
        StateDictFile.Save(model.StateDict(), path);
        var state = StateDictFile.Load(path);
        log(Invariant($"Saved {state.Count} tensors (parameters and batch-norm buffers) to {Path.GetFileName(path)}, {new FileInfo(path).Length} bytes"));
        if (options.CheckpointPath is null)
        {
            File.Delete(path);
        }

        // A fresh network with other initial weights: everything it computes now comes from the file.
        var reloaded = new SmallResNet(SyntheticImages.BarClasses.Length, options.DType, new RandomGenerator(options.Seed + 1));
        reloaded.LoadStateDict(state);
        var reloadedAccuracy = Accuracy(reloaded, barsTest, barsTestLabels);
        model.Eval();
        reloaded.Eval();
        bool identical;
        using (Autograd.NoGrad())
        {
            identical = model.Forward(barsTest).ToArray().SequenceEqual(reloaded.Forward(barsTest).ToArray());
        }

        log(Invariant($"Reloaded into a fresh network: held-out accuracy {reloadedAccuracy:P1}, outputs {(identical ? "bit-for-bit identical" : "DIFFERENT")}"));

        FreezeAndReplaceHead(reloaded, options, rng);
        var head = reloaded.Fc.Parameters().ToHashSet();
        log(string.Empty);
        log(Invariant($"Phase 2: backbone frozen (SetRequiresGrad(false), batch norm in Eval()), head replaced by Linear({SmallResNet.Features}, {SyntheticImages.ShapeClasses.Length}); shapes ({string.Join(", ", SyntheticImages.ShapeClasses)}), {options.FineTuneSamples} images"));
        var trainable = reloaded.NamedParameters().Where(p => p.Parameter.RequiresGrad).Select(p => p.Name).ToList();
        log(Invariant($"  requires grad: {string.Join(", ", trainable)}; frozen: {reloaded.NamedParameters().Count() - trainable.Count} tensors"));

        var parametersBefore = reloaded.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        var buffersBefore = reloaded.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer.ToArray());
        var fineTuneAccuracy = TrainHead(reloaded, shapesTrain, shapesTrainLabels, shapesTest, shapesTestLabels, options, log);
        log(Invariant($"  held-out accuracy {fineTuneAccuracy:P1}"));

        // The control: the same head training on a backbone that never saw the bars.
        var control = new SmallResNet(SyntheticImages.BarClasses.Length, options.DType, new RandomGenerator(options.Seed + 2));
        FreezeAndReplaceHead(control, options, rng);
        var controlAccuracy = TrainHead(control, shapesTrain, shapesTrainLabels, shapesTest, shapesTestLabels, options, _ => { });
        log(Invariant($"  for comparison, the same head on an untrained frozen backbone: {controlAccuracy:P1}"));

        var moved = new List<string>();
        var unchanged = new List<string>();
        log(string.Empty);
        log("Which parameters moved during phase 2:");
        foreach (var (name, parameter) in reloaded.NamedParameters())
        {
            var change = parameter.ToArray().Zip(parametersBefore[name], (a, b) => Math.Abs(a - b)).Max();
            (change == 0 ? unchanged : moved).Add(name);
            log(Invariant($"  {name,-28} {(change == 0 ? "unchanged" : "changed  ")}  max |Δ| = {change:E2}  grad: {(parameter.Grad is null ? "null" : "set")}"));
        }

        var changedBuffers = reloaded.NamedBuffers().Where(b => !b.Buffer.ToArray().SequenceEqual(buffersBefore[b.Name])).Select(b => b.Name).ToList();
        log(Invariant($"  batch-norm buffers: {buffersBefore.Count - changedBuffers.Count} of {buffersBefore.Count} unchanged"));
        return new FineTuneResult(
            pretrainAccuracy,
            reloadedAccuracy,
            identical,
            fineTuneAccuracy,
            controlAccuracy,
            state.Count,
            moved,
            unchanged,
            reloaded.NamedParameters().Where(p => head.Contains(p.Parameter)).Select(p => p.Name).ToList(),
            changedBuffers,
            seconds);
    }

    /// <summary>PyTorch's recipe: freeze every parameter, then replace the head, whose new parameters require grad.</summary>
    private static void FreezeAndReplaceHead(SmallResNet model, FineTuneOptions options, RandomGenerator generator)
    {
        model.SetRequiresGrad(false);
        model.Fc = new Linear(SmallResNet.Features, SyntheticImages.ShapeClasses.Length, dtype: options.DType, generator: generator);
    }

    /// <summary>
    /// Trains the parameters that require grad (the head) with the backbone in evaluation mode, so that its batch
    /// norms normalise with, and keep, the running statistics; returns the held-out accuracy.
    /// </summary>
    private static double TrainHead(SmallResNet model, Tensor images, Tensor labels, Tensor testImages, Tensor testLabels, FineTuneOptions options, Action<string> log)
    {
        void FineTuneMode()
        {
            model.Train();
            foreach (var module in model.Backbone)
            {
                module.Eval();
            }
        }

        var optimizer = new Adam(model.Parameters().Where(p => p.RequiresGrad), lr: options.HeadLearningRate);
        Train(model, optimizer, images, labels, options, options.FineTuneEpochs, FineTuneMode, log);
        return Accuracy(model, testImages, testLabels);
    }

    /// <summary>
    /// Mini-batch training with cross entropy; returns the mean CPU seconds per epoch (on a shared machine the wall
    /// clock also counts other processes).
    /// </summary>
    private static double Train(Module model, Optimizer optimizer, Tensor images, Tensor labels, FineTuneOptions options, int epochs, Action trainingMode, Action<string> log)
    {
        var loss = new CrossEntropyLoss();
        int count = images.Shape[0];
        var total = Process.GetCurrentProcess().TotalProcessorTime;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            trainingMode();
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double lossSum = 0, correct = 0;
            for (int start = 0; start < count; start += options.BatchSize)
            {
                int size = Math.Min(options.BatchSize, count - start);
                var batch = images.Narrow(0, start, size);
                var targets = labels.Narrow(0, start, size);
                optimizer.ZeroGrad();
                var scores = model.Forward(batch);
                var value = loss.Forward(scores, targets);
                value.Backward();
                optimizer.Step();
                lossSum += value.Item() * size;
                correct += scores.Detach().ArgMax(1).Eq(targets).ToDType(DType.Float64).Sum().Item();
            }

            log(Invariant($"  epoch {epoch}/{epochs} {Bar(epoch, epochs)} loss {lossSum / count:F4}  train accuracy {correct / count:P1}  ({watch.Elapsed.TotalSeconds:F2} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s)"));
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - total).TotalSeconds / Math.Max(1, epochs);
    }

    /// <summary>The fraction classified correctly in evaluation mode, without recording.</summary>
    private static double Accuracy(Module model, Tensor images, Tensor labels)
    {
        model.Eval();
        using (Autograd.NoGrad())
        {
            return model.Forward(images).ArgMax(1).Eq(labels).ToDType(DType.Float64).Mean().Item();
        }
    }

    private static string Bar(int done, int total)
    {
        const int Width = 20;
        var filled = done * Width / total;
        return new StringBuilder("[").Append('#', filled).Append('.', Width - filled).Append(']').ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
