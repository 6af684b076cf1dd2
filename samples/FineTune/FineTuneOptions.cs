using StaticGrad;

namespace FineTune;

/// <summary>The sizes, seeds and rates of <see cref="FineTuneScenario"/>; the defaults are the sample's.</summary>
public sealed record FineTuneOptions
{
    /// <summary>Training images of the first task (bars).</summary>
    public int PretrainSamples { get; init; } = 1024;

    /// <summary>Training images of the second task (shapes).</summary>
    public int FineTuneSamples { get; init; } = 512;

    /// <summary>Held-out images of each task, for the accuracies reported.</summary>
    public int TestSamples { get; init; } = 512;

    /// <summary>Passes over the first task's images.</summary>
    public int PretrainEpochs { get; init; } = 4;

    /// <summary>Passes over the second task's images with the backbone frozen.</summary>
    public int FineTuneEpochs { get; init; } = 5;

    /// <summary>Images per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate while the whole network trains.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Adam's learning rate for the new head alone (a linear model on fixed features tolerates a larger step).</summary>
    public double HeadLearningRate { get; init; } = 0.05;

    /// <summary>The dtype of images and weights (float32, PyTorch's default).</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>The seed of the data and of the initial weights.</summary>
    public long Seed { get; init; } = 2024;

    /// <summary>Where the pretrained state is saved; a temporary file (deleted afterwards) when null.</summary>
    public string? CheckpointPath { get; init; }
}
