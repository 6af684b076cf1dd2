using StaticGrad;
using StaticGrad.Nn;

namespace FineTune;

/// <summary>
/// A ResNet in miniature with torchvision's layout and names: a 3×3 stem (<c>conv1</c>, <c>bn1</c>, <c>relu</c>,
/// <c>maxpool</c>), two residual stages of one <see cref="BasicBlock"/> each (<c>layer1</c>, and <c>layer2</c> with
/// stride 2 and a downsample), a global average pool, and the classifier head <see cref="Fc"/>.
/// For a 16×16 image the resolutions are 16 → 8 (max pool) → 8 → 4.
/// </summary>
public sealed class SmallResNet : Module
{
    /// <summary>The channels of the features the head sees.</summary>
    public const int Features = 16;

    /// <summary>Creates the network with freshly initialised weights.</summary>
    /// <param name="classes">The head's outputs.</param>
    /// <param name="dtype">The parameters' dtype.</param>
    /// <param name="generator">The random source of the initial weights.</param>
    public SmallResNet(int classes, DType dtype, RandomGenerator generator)
    {
        RegisterModule("conv1", new Conv2d(1, 8, 3, padding: 1, bias: false, dtype: dtype, generator: generator));
        RegisterModule("bn1", new BatchNorm2d(8, dtype: dtype));
        RegisterModule("relu", new ReLU());
        RegisterModule("maxpool", new MaxPool2d(3, stride: 2, padding: 1));
        RegisterModule("layer1", new BasicBlock(8, 8, dtype: dtype, generator: generator));
        RegisterModule("layer2", new BasicBlock(8, Features, stride: 2, dtype: dtype, generator: generator));
        RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        RegisterModule("flatten", new Flatten());
        Fc = new Linear(Features, classes, dtype: dtype, generator: generator);
    }

    /// <summary>The classifier head; assigning a new layer replaces it in place (PyTorch's <c>model.fc = nn.Linear(…)</c>).</summary>
    public Linear Fc
    {
        get => GetModule<Linear>("fc");
        set => RegisterModule("fc", value);
    }

    /// <summary>Every child but the head: the feature extractor a fine-tuning freezes.</summary>
    public IEnumerable<Module> Backbone => NamedChildren().Where(c => c.Name != "fc").Select(c => c.Module);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var child in Children())
        {
            x = child.Forward(x);
        }

        return x;
    }
}
