using System.ComponentModel;

namespace StaticGrad.CompilerServices;

/// <summary>
/// Lists, on an assembly, a type that declares <see cref="DerivativeOfAttribute">[DerivativeOf]</see> rules. The
/// generator writes one per rule-declaring type, so that a project referencing this assembly finds its rules by
/// reading a few assembly attributes instead of searching every type of every reference. Not for user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeRulesAttribute : Attribute
{
    /// <summary>Records that <paramref name="rulesType"/> declares [DerivativeOf] rules.</summary>
    /// <param name="rulesType">The type that declares the rules.</param>
    public DerivativeRulesAttribute(Type rulesType)
    {
        RulesType = rulesType;
    }

    /// <summary>The type that declares the rules.</summary>
    public Type RulesType { get; }
}
