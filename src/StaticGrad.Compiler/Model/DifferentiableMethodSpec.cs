namespace StaticGrad.Compiler.Model;

/// <summary>A type that encloses the differentiated method, outermost first (for the partial declarations).</summary>
public sealed record ContainingTypeSpec(string Keyword, string Name, string Modifiers);

/// <summary>A parameter of the differentiated method.</summary>
/// <param name="Name">The source name.</param>
/// <param name="Type">The fully qualified type.</param>
/// <param name="IsDifferentiable">Whether it gets an adjoint (floating, not [NoGrad]).</param>
public sealed record ParameterSpec(string Name, string Type, bool IsDifferentiable);

/// <summary>
/// Everything the emitter needs to write one method's backward: plain data, no Roslyn objects, so that the
/// incremental pipeline can compare it with the previous run's.
/// </summary>
public sealed record DifferentiableMethodSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Name,
    string Accessibility,
    bool IsStatic,
    string ReturnType,
    EquatableArray<ParameterSpec> Parameters,
    string ReturnedParameter);
