using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// What <see cref="EffectFreeCallees"/> may pass over without reading user code: framework members that run nothing
/// of the user's (a whitelist: <c>Lazy&lt;T&gt;.Value</c> runs a factory handed over earlier, a foreach over a user
/// collection runs its enumerator, an interpolated user object its <c>ToString</c>) and values of types whose members
/// cannot be user code. Anything not known here counts as running user code, which only costs a summary.
/// </summary>
internal sealed class InertTypes
{
    /// <summary>Framework types whose members run no user code when their receiver and arguments are inert.</summary>
    private static readonly string[] FrameworkTypes =
    [
        "System.Math", "System.MathF", "System.Convert", "System.BitConverter", "System.Array", "System.String",
        "System.Random", "System.Span`1", "System.ReadOnlySpan`1", "System.MemoryExtensions", "System.Linq.Enumerable",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1",
        "System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4", "System.Console",
        "System.Diagnostics.Debug", "System.Nullable`1", "System.ValueTuple",
    ];

    /// <summary>A value whose members, enumeration and <c>ToString</c> run no user code.</summary>
    public bool IsInertType(ITypeSymbol? type) => type switch
    {
        null => false,
        IArrayTypeSymbol array => IsInertType(array.ElementType),
        { TypeKind: TypeKind.Enum } => true,
        // An interface (IDisposable, IEnumerable<T>) may hold a user object or a grad-mode scope, whose members run code.
        { TypeKind: TypeKind.Interface } => false,
        { SpecialType: not SpecialType.None and not SpecialType.System_Object } => true,
        INamedTypeSymbol { IsGenericType: true } named => IsFramework(named) && named.TypeArguments.All(IsInertType),
        INamedTypeSymbol named => IsFramework(named),
        _ => false,
    };

    /// <summary>A framework call on the whitelist whose receiver and arguments are inert.</summary>
    public bool IsInertFrameworkCall(IOperation operation, IMethodSymbol callee, ITypeSymbol? receiverType)
    {
        if (callee.ContainingType is not { } owner || !IsFramework(owner) && owner.SpecialType is SpecialType.None or SpecialType.System_Object)
        {
            return false;
        }

        if (receiverType is not null && !IsInertType(receiverType))
        {
            return false;
        }

        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            IPropertyReferenceOperation property => property.Arguments,
            _ => default,
        };
        return arguments.IsDefault || arguments.All(a => a.Value is ILiteralOperation { ConstantValue.Value: null } || IsInertType(Unconverted(a.Value).Type));
    }

    private static bool IsFramework(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var name = definition.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? ns.ToDisplayString() + "." + definition.MetadataName
            : definition.MetadataName;
        return definition.DeclaringSyntaxReferences.Length == 0 && System.Array.IndexOf(FrameworkTypes, name) >= 0
            || definition.MetadataName.StartsWith("ValueTuple`", System.StringComparison.Ordinal) && name.StartsWith("System.", System.StringComparison.Ordinal);
    }

    private static IOperation Unconverted(IOperation value) =>
        value is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : value;
}
