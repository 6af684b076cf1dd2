namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>The grammar productions of the random-program generator, each of which can be switched off by name.</summary>
public enum Production
{
    Arithmetic,
    SmoothMath,
    KinkedMath,
    ZeroDerivativeMath,
    Conditional,
    Detach,
    HelperCall,
    ArrayParameter,
    SpanParameter,
    LocalArray,
    Stackalloc,
    IfElse,
    ForLoop,
    NestedLoop,
    WhileLoop,
    DoWhileLoop,
    Foreach,
    Break,
    Continue,
    EarlyReturn,
    NoGradBlock,
    Switch,
    IncrementDecrement,
    CompoundAssignment,
    NoGradParameter,
    IntParameter,
    SinglePrecision,
    BreakInsideSwitchSection,
    Reduction,
    ParameterWrite,
    LoopRestore,
}

/// <summary>
/// Productions the compiler does not support yet, with the reason: the generator leaves them out. Each entry is a
/// bug report for the compiler; remove it when the construct is supported.
/// </summary>
public static class UnsupportedProductions
{
    public static readonly IReadOnlyDictionary<Production, string> All = new Dictionary<Production, string>
    {
    };
}
