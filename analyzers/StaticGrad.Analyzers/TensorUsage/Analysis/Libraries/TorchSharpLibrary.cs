using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

/// <summary>
/// TorchSharp (<c>torch.Tensor</c>, <c>torch.no_grad()</c>, <c>requires_grad_()</c>, <c>optim.SGD</c>): PyTorch's
/// snake_case names. A name maps to PascalCase (<c>backward</c> → <c>Backward</c>), a trailing underscore to the
/// in-place suffix (<c>add_</c> → <c>AddInPlace</c>), parameters to camelCase (<c>retain_graph</c> →
/// <c>retainGraph</c>), with the exceptions below.
/// </summary>
internal sealed class TorchSharpLibrary : TensorLibrary
{
    public static readonly TorchSharpLibrary Instance = new();

    private static readonly Dictionary<string, string> Exceptions = new()
    {
        ["requires_grad_"] = "SetRequiresGrad",
        ["copy_"] = "CopyFrom",
        ["matmul"] = "MatMul",
        ["argmax"] = "ArgMax",
        ["argmin"] = "ArgMin",
        ["tensor"] = "FromArray",
        ["from_array"] = "FromArray",
        ["to_type"] = "ToDType",
        ["grad_tensors"] = "gradient",
        ["rawArray"] = "data",
        ["dataArray"] = "data",
        ["sizes"] = "shape",
        ["learningRate"] = "lr",
    };

    private TorchSharpLibrary()
    {
    }

    public override string Name => "TorchSharp";

    public override string AssemblyName => "TorchSharp";

    public override string TensorType => "TorchSharp.torch+Tensor";

    public override string? FactoryHost => "TorchSharp.torch";

    public override ImmutableArray<string> AutogradTypes { get; } = ImmutableArray.Create("TorchSharp.torch", "TorchSharp.torch+autograd");

    public override string ParameterType => "TorchSharp.Modules.Parameter";

    public override string OptimizerType => "TorchSharp.torch+optim+Optimizer";

    public override string ModuleType => "TorchSharp.torch+nn+Module";

    // state_dict() holds the parameters themselves.
    public override IReadOnlyList<string> ParameterHandouts { get; } = new[]
    {
        "parameters", "named_parameters", "get_parameter", "state_dict", "_internal_params", "_parameters", "_named_parameters", "param_groups",
    };

    public override bool RegistersParameterFields => true;

    public override IReadOnlyList<(string StaticGrad, string Library)> Spelling { get; } = new (string, string)[]
    {
        ("using (Autograd.NoGrad())", "using (torch.no_grad())"),
        ("Autograd.InferenceMode()", "torch.inference_mode()"),
        ("Autograd.NoGrad()", "torch.no_grad()"),
        ("Autograd.Grad", "torch.autograd.grad"),
        ("InferenceMode", "inference_mode"),
        ("NoGrad", "no_grad"),
        ("SetRequiresGrad(true)", "requires_grad_(true)"),
        ("SetRequiresGrad()", "requires_grad_()"),
        ("SetRequiresGrad", "requires_grad_"),
        ("RequiresGrad = true", "requires_grad = true"),
        ("RequiresGrad = false", "requires_grad = false"),
        ("RequiresGrad", "requires_grad"),
        ("requiresGrad: true", "requires_grad: true"),
        ("retainGraph: true", "retain_graph: true"),
        ("retainGraph", "retain_graph"),
        ("RetainGrad()", "retain_grad()"),
        ("Backward()", "backward()"),
        ("DetachInPlace()", "detach_()"),
        ("Detach()", "detach()"),
        ("ZeroGrad()", "zero_grad()"),
        ("Step()", "step()"),
        ("Item()", "item<T>()"),
        ("Clone()", "clone()"),
        ("Tensor.OnesLike", "torch.ones_like"),
        (".Grad = null", ".grad = null"),
        ("its Grad", "its grad"),
        ("Grad is", "grad is"),
        ("a Grad", "a grad"),
        ("double[] or float[]", "double[] or float[] data, or a floating ScalarType"),
    };

    protected override string Translate(string name)
    {
        if (Exceptions.TryGetValue(name, out var mapped))
        {
            return mapped;
        }

        // Operators, accessors of PascalCase properties (get_Item) and PascalCase members keep their names.
        var accessor = (name.StartsWith("get_", System.StringComparison.Ordinal) || name.StartsWith("set_", System.StringComparison.Ordinal)) && name.Length > 4 && char.IsUpper(name[4]);
        if (name.Length == 0 || name.StartsWith("op_", System.StringComparison.Ordinal) || accessor || char.IsUpper(name[0]))
        {
            return name;
        }

        var inPlace = name.Length > 1 && name[name.Length - 1] == '_';
        var parts = (inPlace ? name.Substring(0, name.Length - 1) : name).Split('_').Where(p => p.Length > 0).ToArray();
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            builder.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }

        return inPlace ? builder + "InPlace" : builder.ToString();
    }

    /// <summary>A parameter's canonical name: camelCase of the member form (<c>requires_grad</c> → <c>requiresGrad</c>).</summary>
    public override string CanonicalParameter(string name)
    {
        if (Exceptions.TryGetValue(name, out var mapped))
        {
            return mapped;
        }

        var pascal = Canonical(name);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }
}
