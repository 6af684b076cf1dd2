namespace StaticGrad.Compiler.Model;

/// <summary>
/// One parameter of a method as the user declared it, when its IR is scalarised: a differentiable struct is lowered
/// to one IR parameter per field, so the analyses and both transformers see scalars, and the generated methods that
/// follow the contract take the struct and unpack it (<c>p.X</c>, <c>ref dP.X</c>) around a call of the scalar ones.
/// </summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its C# type, fully qualified.</param>
/// <param name="IsDifferentiable">It gets an adjoint (and a tangent) of its own type.</param>
/// <param name="Leaves">For a struct, its scalar fields in IR order; empty for any other parameter (one IR parameter of the same name).</param>
public sealed record BoundaryParameter(string Name, string Type, bool IsDifferentiable, EquatableArray<BoundaryLeaf> Leaves)
{
    /// <summary><c>in</c> or <c>ref readonly</c> as declared (empty for a value): see <see cref="IR.ParamIR.Modifier"/>.</summary>
    public string Modifier { get; init; } = string.Empty;

    /// <summary>The parameter as a generated method declares it: <c>in</c> for both read-only references.</summary>
    public string Declaration => (Modifier.Length > 0 ? "in " : string.Empty) + Type + " " + Name;

    /// <summary>The modifier as a documentation reference to the user's method writes it.</summary>
    public string CrefPrefix => Modifier.Length > 0 ? Modifier + " " : string.Empty;

    /// <summary>Its adjoint, of its own type, cannot be rebuilt with a floating member's partial (a get-only property or read-only field on the path; SG1004).</summary>
    public bool AdjointUnwritable { get; init; }
}

/// <summary>The struct or tuple a method returns: its leaves (for the seed's fields) and how a value is built from them.</summary>
/// <param name="Type">Its C# type, fully qualified.</param>
/// <param name="Construction">How a value is built from its leaves: C# text with <c>{k}</c> standing for leaf k, nested structs included (<c>new Body { Position = new Vector3({0}, {1}, {2}), Mass = {3} }</c>).</param>
public sealed record BoundaryResult(string Type, EquatableArray<BoundaryLeaf> Leaves, string Construction);

/// <summary>One scalar field of a struct parameter.</summary>
/// <param name="Access">How it is read from the struct, e.g. <c>.Position.X</c>.</param>
/// <param name="Type">Its C# type keyword.</param>
/// <param name="IsFloating">It carries a derivative.</param>
/// <param name="Write">How the partial derivative is added to the adjoint's member.</param>
public sealed record BoundaryLeaf(string Access, string Type, bool IsFloating, AdjointWrite Write);

/// <summary>How a partial derivative reaches a member of a struct adjoint.</summary>
public enum AdjointWrite
{
    /// <summary>A mutable field (every member on the path is one): passed by <c>ref</c>.</summary>
    Ref,

    /// <summary>A property with a setter: accumulated in a local, then <c>dP.X += …</c>.</summary>
    Add,

    /// <summary>An init-only property: accumulated in a local, then <c>dP = dP with { X = dP.X + … }</c>.</summary>
    With,
}
