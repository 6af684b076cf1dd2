// Fine-tuning the way PyTorch users do it (SPEC R43, seeds 000/004), on a CNN: train a small ResNet-style network on
// one image task, save its parameters and batch-norm buffers, load them into a fresh network, freeze the backbone,
// replace the head with a fresh layer for a new task, optimize only the head, and check which parameters moved.
using System.Globalization;
using FineTune;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var result = FineTuneScenario.Run(new FineTuneOptions(), Console.WriteLine);

var backboneUntouched = result.MovedParameters.SequenceEqual(result.HeadParameters) && result.ChangedBuffers.Count == 0;
Console.WriteLine(backboneUntouched
    ? "The frozen backbone (parameters and running statistics) is bit-for-bit unchanged; only the new head learned."
    : "UNEXPECTED: a frozen backbone tensor changed, or a head parameter did not.");
return backboneUntouched && result.ReloadedOutputsIdentical ? 0 : 1;
