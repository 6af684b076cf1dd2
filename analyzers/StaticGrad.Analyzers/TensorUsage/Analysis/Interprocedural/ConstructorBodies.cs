using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// Constructors a creation can be summarized through. <c>new C(…)</c> runs C's static initialization (the first
/// time), its field and property initializers, the base or this constructor, and the body. The body and the
/// constructor it calls are summarized like any method; the rest must run nothing that the summary would not see:
/// no static constructor, and initializers (instance and static) that only create and call library members that do
/// not change the grad mode, on literals and on what they create. An implicit constructor is its initializers and
/// the base type's parameterless constructor, which must be the library's, <c>object</c>'s, or again such a one.
/// </summary>
internal sealed class ConstructorBodies
{
    private const int MaxBaseDepth = 8;

    private readonly TensorApi _api;
    private readonly SummaryCache _cache;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _inertInitializers = new(SymbolEqualityComparer.Default);

    public ConstructorBodies(TensorApi api, SummaryCache cache)
    {
        _api = api;
        _cache = cache;
    }

    /// <summary>Whether a call of <paramref name="constructor"/> (a class's, in source) runs nothing a summary of its body misses.</summary>
    public bool CanSummarize(IMethodSymbol constructor) => CanSummarize(constructor, 0);

    /// <summary>Whether <paramref name="constructor"/> has no body to read and runs only inert initializers and library code.</summary>
    public bool IsBodiless(IMethodSymbol constructor) => constructor.IsImplicitlyDeclared && CanSummarize(constructor);

    private bool CanSummarize(IMethodSymbol constructor, int depth)
    {
        if (constructor.IsStatic || constructor.ContainingType is not { TypeKind: TypeKind.Class } type || depth > MaxBaseDepth
            || !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _api.Compilation.Assembly)
            || type.StaticConstructors.Any(c => !c.IsImplicitlyDeclared) || !InertInitializers(type))
        {
            return false;
        }

        if (!constructor.IsImplicitlyDeclared)
        {
            return true;
        }

        // An implicit constructor calls the base type's parameterless one.
        var baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object || _api.IsInRuntime(baseType))
        {
            return true;
        }

        var baseConstructor = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
        return baseConstructor is { IsImplicitlyDeclared: true } && CanSummarize(baseConstructor, depth + 1);
    }

    private bool InertInitializers(INamedTypeSymbol type) =>
        _inertInitializers.TryGetValue(type, out var inert) ? inert : _inertInitializers.GetOrAdd(type, DecideInitializers(type));

    private bool DecideInitializers(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is not (IFieldSymbol or IPropertySymbol))
            {
                continue;
            }

            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var initializer = InitializerOf(reference.GetSyntax());
                if (initializer is not null && !Inert(_cache.ModelOf(initializer.SyntaxTree).GetOperation(initializer.Value)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The initializer of a field's declarator or a property's declaration (<c>= …</c>), if any.</summary>
    public static EqualsValueClauseSyntax? InitializerOf(SyntaxNode declaration) => declaration switch
    {
        VariableDeclaratorSyntax variable => variable.Initializer,
        PropertyDeclarationSyntax property => property.Initializer,
        _ => null,
    };

    private bool Inert(IOperation? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            var inert = operation switch
            {
                IInvocationOperation invocation => _api.IsInRuntime(invocation.TargetMethod) && !_api.IsAutogradMember(invocation.TargetMethod) && !invocation.TargetMethod.IsVirtual && !invocation.TargetMethod.IsAbstract,
                IObjectCreationOperation creation => creation.Constructor is { } constructor && _api.IsInRuntime(constructor) && creation.Initializer is null,
                IMemberReferenceOperation reference => _api.IsInRuntime(reference.Member) || reference.Member is IFieldSymbol { IsConst: true },
                IConversionOperation { OperatorMethod: { } method } => _api.IsInRuntime(method),
                IBinaryOperation { OperatorMethod: { } method } => _api.IsInRuntime(method),
                IUnaryOperation { OperatorMethod: { } method } => _api.IsInRuntime(method),
                IAnonymousFunctionOperation or IDelegateCreationOperation or IDynamicInvocationOperation or IDynamicObjectCreationOperation or IDynamicMemberReferenceOperation => false,
                _ => true,
            };
            if (!inert)
            {
                return false;
            }
        }

        return true;
    }
}
