using System.Linq;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    /// <summary>
    /// A use of a static member (a call of a static method with source, a read of a static field or property) runs its
    /// type's static constructor and initializers the first time: user code no summary reads, which may change the
    /// grad mode (<c>static Config() { SetGradEnabled(true); }</c>). Whether it already ran is not known, so unless
    /// the type's initialization runs nothing (<see cref="Interprocedural.EffectFreeCallees.HasInertStaticInitialization"/>)
    /// the mode and the external objects are forgotten, as after unknown code.
    /// </summary>
    private void StaticInitialization(ISymbol member)
    {
        if (!member.IsStatic || member is IFieldSymbol { IsConst: true } || member.ContainingType is not { } type || AlreadyInitialized(type)
            || _calls.Cache.EffectFree.HasInertStaticInitialization(type, default))
        {
            return;
        }

        UserCodeEffects();
    }

    /// <summary>
    /// Inside a method of a class with a static constructor, that constructor has run (it runs before the class's first
    /// instance or static member is used). A class with initializers only may run them later, at its first static field
    /// read, and a struct's instance methods run on <c>default</c> values without it.
    /// </summary>
    private bool AlreadyInitialized(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class && _function.ContainingType is { } own && SymbolEqualityComparer.Default.Equals(own.OriginalDefinition, type.OriginalDefinition)
        && type.StaticConstructors.Any(c => !c.IsImplicitlyDeclared);
}
