using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// The generated <c>….Tensor.g.cs</c> of representative Tensor-bodied methods, checked in as baselines
/// (Baselines/TensorBaselineTests.{Case}/): a user reads this code. Each also compiles clean; its gradients are
/// checked against the tape in <see cref="TensorOpTests"/>.
/// </summary>
public sealed class TensorBaselineTests
{
    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["MlpMse"] = """
            using StaticGrad;

            namespace Samples;

            public static partial class Mlp
            {
                /// <summary>A two-layer perceptron's mean squared error.</summary>
                [Differentiable]
                public static Tensor Loss([NoGrad] Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor y)
                {
                    var h = (x.MatMul(w1) + b1).Tanh();
                    var output = h.MatMul(w2) + b2;
                    var diff = output - y;
                    return (diff * diff).Mean();
                }
            }
            """,
        ["CrossEntropy"] = """
            using StaticGrad;

            namespace Samples;

            public static partial class Losses
            {
                /// <summary>Cross-entropy of softmax(logits) against one-hot (or soft) targets, averaged over the batch.</summary>
                [Differentiable]
                public static Tensor CrossEntropy(Tensor logits, [NoGrad] Tensor targets) =>
                    -(targets * logits.LogSoftmax(1)).Sum(1).Mean();
            }
            """,
        ["InstanceReassigned"] = """
            using StaticGrad;

            namespace Samples;

            public partial class Model<T>
            {
                /// <summary>An instance method with scalar parameters, a reassigned local and a value used twice.</summary>
                [Differentiable]
                public Tensor Gate(Tensor x, Tensor w, double scale, int steps)
                {
                    var h = x.MatMul(w);
                    h = h.Sigmoid() * scale;
                    h += h * x.Detach();
                    return h.Sum() / steps;
                }
            }
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_baseline_and_compiles_clean(string name)
    {
        var output = GeneratorHarness.Run(s_cases[name]);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics);
        Baselines.Verify("TensorBaselineTests." + name, output);
    }
}
