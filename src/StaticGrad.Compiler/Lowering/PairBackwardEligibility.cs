using System.Linq;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Which [Differentiable] methods get <c>{Name}BackwardPair</c> (<see cref="Forward.PairBackward"/>). The callee's
/// generator and every caller's decide from the method's declaration alone, with this one predicate, so that a caller
/// calls the member exactly when the callee's file has it (each method is generated on its own).
/// </summary>
internal static class PairBackwardEligibility
{
    /// <summary>
    /// An ordinary static, non-generic method declared in this compilation (in no generic type) with one by-value <c>double</c> or
    /// <c>float</c> parameter that carries a derivative and a result of the same type, whose type has no member of the
    /// pair's name, in a compilation whose <c>Vector128</c> has the operations the pair's vector pass uses (.NET 7+).
    /// </summary>
    public static bool Applies(IMethodSymbol method, Compilation compilation)
    {
        if (method.MethodKind != MethodKind.Ordinary || !method.IsStatic || method.IsGenericMethod || method.DeclaringSyntaxReferences.Length == 0 || method.ReturnsByRef || method.ReturnsByRefReadonly
            || !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) || method.Parameters.Length != 1)
        {
            return false;
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return false;
            }
        }

        var parameter = method.Parameters[0];
        if (parameter.RefKind != RefKind.None || parameter.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single)
            || !SymbolEqualityComparer.Default.Equals(parameter.Type, method.ReturnType) || Symbols.HasAttribute(parameter, Symbols.NoGradAttribute)
            || method.ContainingType!.GetMembers(method.Name + Forward.PairBackward.Suffix).Length > 0)
        {
            return false;
        }

        return compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector128") is { } vector
            && new[] { "ExtractMostSignificantBits", "ConditionalSelect", "GetElement", "IsHardwareAccelerated" }.All(name => vector.GetMembers(name).Length > 0);
    }
}
