namespace StaticGrad.Analyzers.Diagnostics;

/// <summary>The diagnostic ids of StaticGrad's analyzers: SG0xxx tensor usage, SG1xxx differentiability.</summary>
internal static class RuleIds
{
    public const string RequiresGradOnNonLeaf = "SG0001";
    public const string BackwardWithoutGrad = "SG0002";
    public const string RequiresGradOnNonFloating = "SG0003";
    public const string GradOfNonLeaf = "SG0004";
    public const string BackwardTwice = "SG0005";
    public const string InPlaceOnLeafRequiringGrad = "SG0006";
    public const string RetainGradWithoutGrad = "SG0007";
    public const string GradInputWithoutGrad = "SG0008";
    public const string ImplicitBackwardNonScalar = "SG0009";
    public const string SetRequiresGradOnNonLeafIsNoOp = "SG0010";
    public const string InferenceTensorOutsideInferenceMode = "SG0011";
    public const string FrozenParameterKeepsStaleGrad = "SG0012";
    public const string OptimizerNonLeaf = "SG0013";
    public const string GradientSizeMismatch = "SG0014";
    public const string OptimizerMissesReplacedLayer = "SG0015";
    public const string ZeroGradMissingInLoop = "SG0016";
    public const string LossAccumulatedWithGraph = "SG0017";
    public const string DetachViewInPlace = "SG0018";
}
