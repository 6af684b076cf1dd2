using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Lowers a [Differentiable] method from Roslyn's <see cref="IOperation"/> tree to the IR. Total: every construct
/// outside the body language becomes a located SG1002 (or a more specific SG1xxx) instead of an exception, and
/// nothing from Roslyn survives in the result.
/// </summary>
public static class MethodLowering
{
    public static LoweringResult Lower(IMethodSymbol method, SyntaxNode declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        // Tensor-bodied methods have their own body language and emitter (TensorMethods/): no scalar spec, only their diagnostics.
        if (TensorMethods.TensorMethodLowering.IsTensorMethod(method))
        {
            return new LoweringResult(null, TensorMethods.TensorMethodLowering.Lower(method, declaration, semanticModel, cancellationToken).Diagnostics, EquatableArray<LocationInfo>.Empty);
        }

        var context = new LoweringContext(semanticModel, cancellationToken) { Method = method };
        context.Lifting = new LocalFunctionLifting(method, context);
        var identifierLocation = declaration switch
        {
            MethodDeclarationSyntax m => LocationInfo.From(m.Identifier.GetLocation()),
            OperatorDeclarationSyntax o => LocationInfo.From(o.OperatorToken.GetLocation()),
            _ => LocationInfo.From(declaration),
        };

        // Site 0 is the method's name: where method-level findings (SG1005) are reported.
        context.Sites.Add(identifierLocation ?? new LocationInfo(string.Empty, default, default));
        CheckContainingTypes(method, identifierLocation, context);

        // One error for a generic method: its T-typed parameters, result and operators would each repeat it.
        var generic = GenericMath.Spec(method);
        if (method.IsGenericMethod && generic is null)
        {
            context.Report("SG1002", identifierLocation, "generic methods other than over one floating type (write 'where T : IFloatingPointIeee754<T>', or a method for double or float)");
            return new LoweringResult(null, context.Diagnostics.ToEquatableArray(), context.Sites.ToEquatableArray());
        }

        var returnType = TypeMapping.ToIrType(method.ReturnType) ?? StructResult.ScalarType(method.ReturnType);
        if (returnType is not { IsFloating: true })
        {
            context.Report("SG1008", identifierLocation, method.Name, method.ReturnType.ToDisplayString());
        }

        var parameters = new List<ParamIR>();
        foreach (var parameter in method.Parameters)
        {
            parameters.AddRange(LowerParameter(parameter, context));
        }

        parameters.AddRange(StructResult.DeclareSeeds(method, context));
        InParameters.CheckWritesThroughArrays(method, declaration, context);

        var hasNoGradFloating = parameters.Any(p => !p.IsDifferentiable && (p.Type.IsFloating || p.Type.IsFloatingCollection));
        GeneratedMemberCollision.Check(method, GeneratedMemberCollision.ScalarMembers(method, HessianOptIn.IsSet(method), hasNoGradFloating), identifierLocation, context);

        var body = ParameterCopies.Apply(parameters, LowerBody(method, declaration, context), context);
        var ir = new MethodIR(
            method.Name,
            returnType is { IsFloating: true } ? returnType : IrType.Double,
            parameters.ToEquatableArray(),
            context.Locals.ToEquatableArray(),
            body.ToEquatableArray()) { CheckedArithmetic = semanticModel.Compilation.Options.CheckOverflow };

        var spec = new DifferentiableMethodSpec(
            HintName(method),
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes(method).ToEquatableArray(),
            SyntaxFacts.GetText(method.DeclaredAccessibility),
            method.IsStatic,
            ir,
            context.HasErrors) { Hessian = HessianOptIn.IsSet(method), Jacobian = JacobianOptIn.Check(method, identifierLocation, context), Boundary = StructParameters.Boundary(method, context), Result = StructResult.Boundary(method, context), TakenMemberNames = GeneratedMemberCollision.TakenDefaultNames(method, tensorBodied: false, hasNoGradFloating), HasPairBackward = PairBackwardEligibility.Applies(method, context.SemanticModel.Compilation) };
        spec = spec with { HasOverloadOfSameArity = HasOverloadOfSameArity(method), Generic = generic, Receiver = Receiver(method), Lifted = context.Lifting.Specs, Key = Symbols.Key(method), StructArrays = HessianOptIn.StructArrays(method), PrimaryParameters = context.PrimaryParameters.ToEquatableArray() };
        return new LoweringResult(spec, context.Diagnostics.ToEquatableArray(), context.Sites.ToEquatableArray());
    }

    private static IEnumerable<ParamIR> LowerParameter(IParameterSymbol parameter, LoweringContext context)
    {
        var location = LocationInfo.From(parameter.Locations.FirstOrDefault());
        var type = TypeMapping.ToIrType(parameter.Type);
        var noGrad = Symbols.HasAttribute(parameter, Symbols.NoGradAttribute);
        var readOnlyReference = InParameters.IsReadOnlyReference(parameter.RefKind);
        if (type is null && (parameter.RefKind == RefKind.None || readOnlyReference) && !parameter.IsParams && StructParameters.Lower(parameter, noGrad, context) is { } leaves)
        {
            return leaves;
        }

        if (parameter.RefKind != RefKind.None && !readOnlyReference)
        {
            // A struct such as Vector3 taken by 'in' (geometry helpers do) is refused for the reference, not its type:
            // saying its type is not supported would send the user to the wrong rewrite.
            if (type is null)
            {
                context.RefusedParameters.Add(parameter);
                type = IrType.Double;
            }

            context.Report("SG1004", location, parameter.Name, "'" + RefKindText(parameter.RefKind) + "' parameters are not supported; pass the value and return the result");
        }
        else if (type is null)
        {
            context.RefusedParameters.Add(parameter);
            context.Report("SG1004", location, parameter.Name, "its type '" + parameter.Type.ToDisplayString() + "' is not supported; use double, float, a differentiable struct or tuple, their arrays (also two-dimensional or jagged) or spans, or mark it [NoGrad] to read it as a constant");
            type = IrType.Double;
        }
        else if (parameter.IsParams && type.Shape != ShapeKind.Array)
        {
            context.Report("SG1004", location, parameter.Name, "'params' parameters are not supported; take an array or a span");
        }

        context.DeclareParameter(parameter, type);
        return new[] { new ParamIR(Naming.NameScope.Escape(parameter.Name), type, !noGrad && (type.IsFloating || type.IsFloatingCollection)) { Modifier = readOnlyReference ? InParameters.Keyword(parameter.RefKind) : string.Empty } };
    }

    internal static string Receiver(IMethodSymbol method) =>
        method.IsStatic ? method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : "this";

    private static bool HasOverloadOfSameArity(IMethodSymbol method) =>
        method.ContainingType is { } type &&
        type.GetMembers(method.Name).OfType<IMethodSymbol>().Any(m => !SymbolEqualityComparer.Default.Equals(m, method) && m.Parameters.Length == method.Parameters.Length);

    private static string RefKindText(RefKind kind) => kind == RefKind.Out ? "out" : "ref";

    private static List<Stmt> LowerBody(IMethodSymbol method, SyntaxNode declaration, LoweringContext context)
    {
        var operation = context.SemanticModel.GetOperation(declaration, context.CancellationToken);
        var root = operation switch
        {
            IMethodBodyOperation body => (IOperation?)body.BlockBody ?? body.ExpressionBody,
            _ => null,
        };
        if (root is null)
        {
            context.Report("SG1002", LocationInfo.From(declaration), "methods without a body");
            return new List<Stmt>();
        }

        var lowering = new StatementLowering(context);
        var statements = lowering.LowerBlock(root);
        lowering.CheckConfigurationWrites();
        return statements;
    }

    internal static void CheckContainingTypes(IMethodSymbol method, LocationInfo? location, LoweringContext context)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            var isPartial = type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(context.CancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .Any(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                context.Report("SG1003", location, type.Name, method.Name);
            }
        }
    }

    internal static IEnumerable<ContainingTypeSpec> ContainingTypes(IMethodSymbol method)
    {
        var types = new List<ContainingTypeSpec>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            var name = type.Name + (type.TypeParameters.Length > 0 ? "<" + string.Join(", ", type.TypeParameters.Select(t => t.Name)) + ">" : string.Empty);
            types.Insert(0, new ContainingTypeSpec(TypeKeyword(type) + " " + name, type.IsStatic));
        }

        return types;
    }

    private static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    /// <summary><c>{Namespace}.{Type}.{Method}.g.cs</c>, with the parameter types appended for overloads.</summary>
    internal static string HintName(IMethodSymbol method)
    {
        var parts = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            parts.Insert(0, type.Name + (type.Arity > 0 ? "`" + type.Arity : string.Empty));
        }

        if (method.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            parts.Insert(0, ns.ToDisplayString());
        }

        var name = method.Name;
        if (method.ContainingType is { } containing && containing.GetMembers(method.Name).OfType<IMethodSymbol>().Count() > 1)
        {
            name += "_" + string.Join("_", method.Parameters.Select(p => Sanitize(p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))));
        }

        parts.Add(name);
        return string.Join(".", parts) + ".g.cs";
    }

    private static string Sanitize(string text) =>
        new string(text.Select(c => char.IsLetterOrDigit(c) ? c : c == '[' || c == ']' ? 'A' : '_').ToArray());
}
