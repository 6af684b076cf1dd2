using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Lowers a Tensor-bodied [Differentiable] method (one that takes or returns <c>StaticGrad.Tensor</c>) to a
/// <see cref="TensorMethodSpec"/>: straight-line tensor operations in single-assignment form. Total, like the scalar
/// lowering: what is outside the Tensor body language becomes a located SG1015–SG1017, never an exception.
/// </summary>
public static class TensorMethodLowering
{
    /// <summary>Whether the method belongs to the Tensor body language: it returns or takes a Tensor.</summary>
    public static bool IsTensorMethod(IMethodSymbol method) =>
        IsTensor(method.ReturnType) || method.Parameters.Any(p => IsTensor(p.Type));

    /// <summary>Whether the type is <c>StaticGrad.Tensor</c>, whatever its nullable annotation (<c>var</c> locals are <c>Tensor?</c>).</summary>
    internal static bool IsTensor(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Tensor", ContainingNamespace: { Name: "StaticGrad", ContainingNamespace.IsGlobalNamespace: true } };

    public static TensorLoweringResult Lower(IMethodSymbol method, SyntaxNode declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var context = new LoweringContext(semanticModel, cancellationToken);
        var identifier = declaration is MethodDeclarationSyntax m ? LocationInfo.From(m.Identifier.GetLocation()) : LocationInfo.From(declaration);
        MethodLowering.CheckContainingTypes(method, identifier, context);
        GeneratedMemberCollision.Check(method, GeneratedMemberCollision.TensorMembers(method), identifier, context);
        if (!IsTensor(method.ReturnType))
        {
            context.Report("SG1017", identifier, method.Name, "it returns '" + method.ReturnType.ToDisplayString() + "'; a method that takes Tensors must return a Tensor");
        }

        if (method.IsGenericMethod)
        {
            context.Report("SG1017", identifier, method.Name, "generic methods are not supported");
        }

        var body = new TensorBodyLowering(context);
        var parameters = new List<TensorParameter>();
        foreach (var parameter in method.Parameters)
        {
            parameters.Add(LowerParameter(method, parameter, context, body));
        }

        var result = body.LowerMethodBody(declaration);
        if (context.HasErrors || result < 0)
        {
            return new TensorLoweringResult(null, context.Diagnostics.ToEquatableArray());
        }

        var spec = new TensorMethodSpec(
            MethodLowering.HintName(method).Replace(".g.cs", ".Tensor.g.cs"),
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            MethodLowering.ContainingTypes(method).ToEquatableArray(),
            SyntaxFacts.GetText(method.DeclaredAccessibility),
            method.IsStatic,
            method.Name,
            string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))),
            parameters.ToEquatableArray(),
            body.Values.ToEquatableArray(),
            result,
            method.ContainingType.Name + (method.ContainingType.Arity > 0 ? "<" + string.Join(", ", method.ContainingType.TypeParameters.Select(t => t.Name)) + ">" : string.Empty))
        {
            FusedNameTaken = GeneratedMemberCollision.TakenDefaultNames(method, tensorBodied: true, hasNoGradFloating: false).Count > 0,
        };
        return new TensorLoweringResult(spec, context.Diagnostics.ToEquatableArray());
    }

    private static TensorParameter LowerParameter(IMethodSymbol method, IParameterSymbol parameter, LoweringContext context, TensorBodyLowering body)
    {
        var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
        var typeText = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var isTensor = IsTensor(parameter.Type);
        if (parameter.RefKind != RefKind.None || parameter.IsParams)
        {
            context.Report("SG1017", location, method.Name, "parameter '" + parameter.Name + "' is 'ref', 'out', 'in' or 'params'; pass Tensors and scalars by value");
        }
        else if (!isTensor && parameter.Type.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean))
        {
            context.Report("SG1017", location, method.Name, "parameter '" + parameter.Name + "' has type '" + parameter.Type.ToDisplayString() + "'; use Tensor, or double, float, int, long or bool for values that are not differentiated");
        }

        var differentiable = isTensor && !Symbols.HasAttribute(parameter, Symbols.NoGradAttribute);
        if (isTensor)
        {
            body.DeclareParameter(parameter);
        }
        else
        {
            body.ReserveName(parameter.Name);
        }

        return new TensorParameter(Naming.NameScope.Escape(parameter.Name), typeText, isTensor, differentiable);
    }
}
