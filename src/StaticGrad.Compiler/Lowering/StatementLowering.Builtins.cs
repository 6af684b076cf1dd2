using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Recognising the math library's calls and their option arguments, and indices from the end.</summary>
internal sealed partial class StatementLowering
{
    /// <summary>
    /// Where a static math function lives, as the generated code spells it: Math and MathF, and the static members
    /// of double and float (generic math: <c>double.Exp2</c>, <c>float.Hypot</c>); null for anything else.
    /// </summary>
    private static string? BuiltinContainer(IMethodSymbol method)
    {
        if (!method.IsStatic || method.ContainingType is not { } type)
        {
            return null;
        }

        return type.SpecialType switch
        {
            SpecialType.System_Double => "double",
            SpecialType.System_Single => "float",
            _ => type.ToDisplayString() is "System.Math" or "System.MathF" ? "global::" + type.ToDisplayString() : null,
        };
    }

    /// <summary>An enum constant (<c>MidpointRounding.AwayFromZero</c>, a user's option enum) as an inactive value spelled in C#.</summary>
    private static Expr? EnumConstant(IOperation operation)
    {
        if (operation.Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType || operation.ConstantValue is not { HasValue: true, Value: { } value })
        {
            return null;
        }

        var number = System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return new ConstExpr(IrType.Int, "((" + enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + number + "))");
    }

    /// <summary>The <c>k</c> of an index from the end, <c>a[^k]</c> (read as <c>a[a.Length - k]</c>), or null.</summary>
    private static IOperation? FromEnd(IOperation index) => SkipConversions(index) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat ? hat.Operand : null;

    private static bool IsRange(IOperation index) => index.Type is { Name: "Range", ContainingNamespace.Name: "System" } || index is IRangeOperation;

    /// <summary>
    /// <c>var (s, c) = Math.SinCos(a)</c> (and <c>SinCosPi</c>): the pair is two calls with rules, <c>Sin</c> and
    /// <c>Cos</c>, of the angle evaluated once.
    /// </summary>
    private bool TryLowerSinCos(IDeconstructionAssignmentOperation deconstruction, List<Stmt> output)
    {
        if (deconstruction.Value is not IInvocationOperation { TargetMethod: { Name: "SinCos" or "SinCosPi" } method, Arguments: [var argument] }
            || BuiltinContainer(method) is null
            || (deconstruction.Target is IDeclarationExpressionOperation { Expression: ITupleOperation declared } ? declared : deconstruction.Target) is not ITupleOperation { Elements: [var first, var second] }
            || TypeMapping.ToIrType(argument.Value.Type) is not { IsFloating: true } type)
        {
            return false;
        }

        var angle = _context.DeclareHidden("_angle", type);
        output.Add(new AssignStmt(angle, type, LowerExpression(argument.Value)));
        var isPi = method.Name == "SinCosPi";
        var container = isPi ? type.ScalarKeyword : type.Scalar == ScalarKind.Float ? "global::System.MathF" : "global::System.Math";
        var angleValue = new EquatableArray<Expr>(new Expr[] { new VarExpr(type, angle) });
        var site = _context.Site(deconstruction.Syntax);
        foreach (var (element, function) in new[] { (first, isPi ? "SinPi" : "Sin"), (second, isPi ? "CosPi" : "Cos") })
        {
            var target = element is IDeclarationExpressionOperation { Expression: var declaredTarget } ? declaredTarget : element;
            if (target is IDiscardOperation)
            {
                continue;
            }

            if (target is ILocalReferenceOperation { IsDeclaration: true, Local: var local })
            {
                _context.DeclareLocal(local, type);
            }

            LowerAssignment(target, new BuiltinCallExpr(type, container, function, angleValue, site), deconstruction.Syntax, output);
        }

        return true;
    }
}
