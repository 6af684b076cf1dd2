using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Reads a [Differentiable] method into a <see cref="DifferentiableMethodSpec"/>. Nothing from Roslyn survives
/// this step.
/// </summary>
public static class MethodParser
{
    private const string NoGradAttributeName = "StaticGrad.NoGradAttribute";

    /// <summary>Returns the model of <paramref name="method"/>, or null when it cannot be differentiated.</summary>
    public static DifferentiableMethodSpec? Parse(IMethodSymbol method, SyntaxNode declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (declaration is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        var body = (SyntaxNode?)syntax.ExpressionBody ?? syntax.Body;
        if (body is null || semanticModel.GetOperation(body, cancellationToken) is not { } operation)
        {
            return null;
        }

        var returned = FindReturnedParameter(operation);
        if (returned is null || !IsFloating(method.ReturnType))
        {
            return null;
        }

        var containingTypes = new List<ContainingTypeSpec>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            containingTypes.Insert(0, new ContainingTypeSpec(TypeKeyword(type), type.Name, type.IsStatic ? "static partial" : "partial"));
        }

        var parameters = method.Parameters
            .Select(p => new ParameterSpec(
                p.Name,
                p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                IsFloating(p.Type) && !p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoGradAttributeName)))
            .ToEquatableArray();

        var ns = method.ContainingNamespace.IsGlobalNamespace ? null : method.ContainingNamespace.ToDisplayString();
        var hintName = string.Join(".", containingTypes.Select(t => t.Name)) + "." + method.Name + ".g.cs";
        if (ns is not null)
        {
            hintName = ns + "." + hintName;
        }

        return new DifferentiableMethodSpec(
            hintName,
            ns,
            containingTypes.ToEquatableArray(),
            method.Name,
            SyntaxFacts.GetText(method.DeclaredAccessibility),
            method.IsStatic,
            method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            parameters,
            returned);
    }

    private static string? FindReturnedParameter(IOperation operation)
    {
        // The foundation supports one body shape, `return p;`; the full language comes with the reverse transform.
        var root = operation is IMethodBodyOperation methodBody ? (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody : operation;
        if (root is IBlockOperation { Operations.Length: 1 } block && block.Operations[0] is IReturnOperation { ReturnedValue: IParameterReferenceOperation parameter })
        {
            return parameter.Parameter.Name;
        }

        return null;
    }

    private static bool IsFloating(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
