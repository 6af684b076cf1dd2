using System.Collections.Generic;
using System.Collections.Immutable;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

/// <summary>StaticGrad's runtime: its names are the canonical ones.</summary>
internal sealed class StaticGradLibrary : TensorLibrary
{
    public static readonly StaticGradLibrary Instance = new();

    private StaticGradLibrary()
    {
    }

    public override string Name => "StaticGrad";

    public override string AssemblyName => "StaticGrad";

    public override string TensorType => "StaticGrad.Tensor";

    public override string? FactoryHost => null;

    public override ImmutableArray<string> AutogradTypes { get; } = ImmutableArray.Create("StaticGrad.Autograd");

    public override string ParameterType => "StaticGrad.Nn.Parameter";

    public override string OptimizerType => "StaticGrad.Optim.Optimizer";

    public override string ModuleType => "StaticGrad.Nn.Module";

    // StateDict() holds detached aliases, not the parameters; Module.SetRequiresGrad freezes what it reaches.
    public override IReadOnlyList<string> ParameterHandouts { get; } = new[] { "Parameters", "NamedParameters", "GetParameter", "SetRequiresGrad", "ParamGroups", "State" };

    public override bool RegistersParameterFields => false;

    public override IReadOnlyList<(string StaticGrad, string Library)> Spelling { get; } = new (string, string)[0];

    protected override bool NamesAreCanonical => true;

    protected override string Translate(string name) => name;
}
