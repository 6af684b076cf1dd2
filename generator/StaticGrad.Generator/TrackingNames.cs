namespace StaticGrad.Generator;

/// <summary>Names of the incremental steps, for the caching tests.</summary>
public static class TrackingNames
{
    public const string DifferentiableMethods = nameof(DifferentiableMethods);
    public const string ParsedMethods = nameof(ParsedMethods);
}
