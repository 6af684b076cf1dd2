using FineTune;
using StaticGrad.Nn;

namespace StaticGrad.Integration.Tests.FineTune;

/// <summary>The FineTune sample's workflow, on fewer images and epochs than the sample runs.</summary>
public class FineTuneTests
{
    [Fact]
    public void A_saved_backbone_reloads_exactly_and_fine_tuning_moves_only_the_new_head()
    {
        var path = Path.Combine(Path.GetTempPath(), $"finetune-test-{Guid.NewGuid():N}.sgstate");
        try
        {
            var options = new FineTuneOptions { PretrainSamples = 512, FineTuneSamples = 256, TestSamples = 192, PretrainEpochs = 2, FineTuneEpochs = 4, CheckpointPath = path };
            var lines = new List<string>();
            
            var result = FineTuneScenario.Run(options, lines.Add);

            Assert.True(result.ReloadedOutputsIdentical);
            Assert.Equal(result.PretrainAccuracy, result.ReloadedAccuracy);
            Assert.Equal(["fc.weight", "fc.bias"], result.HeadParameters);
            Assert.Equal(result.HeadParameters, result.MovedParameters);
            Assert.Equal(18, result.UnchangedParameters.Count);
            Assert.Empty(result.ChangedBuffers);

            // 20 parameters and 3 buffers for each of the 6 batch norms.
            Assert.Equal(38, result.CheckpointEntries);
            Assert.Equal(38, StateDictFile.Load(path).Count);

            // Chance is 25 % for the four bar orientations and 33 % for the three shapes; a network that did not
            // learn, or a head on features that do not transfer, stays near chance.
            Assert.InRange(result.PretrainAccuracy, 0.8, 1.0);
            Assert.InRange(result.FineTuneAccuracy, 0.8, 1.0);

            // The pretrained features are what the head learns from: on an untrained backbone it does far worse.
            Assert.True(result.FineTuneAccuracy > result.ControlAccuracy + 0.15, $"fine-tuned {result.FineTuneAccuracy:P1}, control {result.ControlAccuracy:P1}");
            Assert.Contains(lines, l => l.StartsWith("  requires grad: fc.weight, fc.bias;", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_network_has_torchvisions_resnet_layout_and_its_head_can_be_replaced()
    {
        var model = new SmallResNet(4, DType.Float64, new RandomGenerator(1));
        Assert.Equal(["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "avgpool", "flatten", "fc"], model.NamedChildren().Select(c => c.Name));
        Assert.Equal([3, 4], model.Forward(Tensor.Randn([3, 1, SyntheticImages.Size, SyntheticImages.Size], 2)).Shape);
        model.Fc = new Linear(SmallResNet.Features, 7);
        Assert.Equal("fc", model.NamedChildren().Last().Name);
        Assert.Equal([3, 7], model.Forward(Tensor.Randn([3, 1, SyntheticImages.Size, SyntheticImages.Size], 2)).Shape);
        Assert.DoesNotContain(model.Backbone, m => ReferenceEquals(m, model.Fc));
    }
}
