namespace FineTune;

/// <summary>What <see cref="FineTuneScenario.Run"/> measured.</summary>
/// <param name="PretrainAccuracy">The trained network's accuracy on held-out bars.</param>
/// <param name="ReloadedAccuracy">The same network's accuracy after saving and loading its state into a fresh one.</param>
/// <param name="ReloadedOutputsIdentical">Whether the reloaded network's outputs equal the original's bit for bit.</param>
/// <param name="FineTuneAccuracy">The accuracy on held-out shapes after training only the new head.</param>
/// <param name="ControlAccuracy">The accuracy on held-out shapes of the same head trained on an untrained frozen backbone.</param>
/// <param name="CheckpointEntries">The tensors in the saved state (parameters and buffers).</param>
/// <param name="MovedParameters">Parameters whose values changed while fine-tuning.</param>
/// <param name="UnchangedParameters">Parameters whose values did not change while fine-tuning.</param>
/// <param name="HeadParameters">The new head's parameters.</param>
/// <param name="ChangedBuffers">Buffers (running statistics) that changed while fine-tuning.</param>
/// <param name="SecondsPerPretrainEpoch">The mean CPU time of one pretraining epoch (forward, backward, step), in seconds.</param>
public sealed record FineTuneResult(
    double PretrainAccuracy,
    double ReloadedAccuracy,
    bool ReloadedOutputsIdentical,
    double FineTuneAccuracy,
    double ControlAccuracy,
    int CheckpointEntries,
    IReadOnlyList<string> MovedParameters,
    IReadOnlyList<string> UnchangedParameters,
    IReadOnlyList<string> HeadParameters,
    IReadOnlyList<string> ChangedBuffers,
    double SecondsPerPretrainEpoch);
