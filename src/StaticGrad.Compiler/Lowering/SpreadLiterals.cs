using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Collection expressions with spreads of numbers, <c>[.. a, x, .. b[i..j]]</c>: a new array of the summed length, each
/// element stored at an offset computed from the lengths before it (no position variable that changes, so the reverse
/// sweep reads every index as it was), a spread copied in a counted loop.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Creates the array <paramref name="name"/> from a collection expression with a spread; false when <paramref name="value"/> is none.</summary>
    private bool StoreSpreadLiteral(string name, IrType type, IOperation value, List<Stmt> output)
    {
        if (SkipConversions(value).Syntax is not CollectionExpressionSyntax collection || !collection.Elements.Any(e => e is SpreadElementSyntax)
            || type.StructName.Length > 0 || type.Shape != ShapeKind.Array)
        {
            return false;
        }

        // Only variables and their parts are spread (checked before anything is lowered, so that a refused spread is one error).
        if (collection.Elements.OfType<SpreadElementSyntax>().Any(s => _context.SemanticModel.GetOperation(s.Expression, _context.CancellationToken) is not { } o
            || SkipConversions(o) is not (ILocalReferenceOperation or IParameterReferenceOperation or IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation })
               && !IsSpreadPart(SkipConversions(o)) && Row(o) is null && !HoldableCall(o)))
        {
            return false;
        }

        var parts = new List<(Expr? Single, RowElements? Spread, string Hint)>();
        var held = new List<Stmt>();
        foreach (var element in collection.Elements)
        {
            var expression = element switch
            {
                ExpressionElementSyntax single => single.Expression,
                SpreadElementSyntax spread => spread.Expression,
                _ => null,
            };

            // The semantic model has no operation for a parenthesized element ('[.. a, (x + y)]'): ask for the inside.
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            if (expression is null || _context.SemanticModel.GetOperation(expression, _context.CancellationToken) is not { } operation)
            {
                return false;
            }

            if (element is SpreadElementSyntax)
            {
                if (IsSpreadPart(SkipConversions(operation)))
                {
                    // 'a[i..j]', 'a[^k..]', 'span.Slice(i, n)': the part an argument would pass, its bounds read once.
                    if (LowerSliceArgument(operation, operation.Type!) is not SliceExpr { Type.StructName.Length: 0 } part)
                    {
                        return false;
                    }

                    var start = Atom(part.Start, "_spreadStart");
                    parts.Add((null, new RowElements(Atom(part.Length, "_spreadLength"), k => new ElementExpr(type.Element, part.Array, Offset(start, k))), part.Array));
                    continue;
                }

                // A row of a jagged array ('[.. rows[i]]', '[.. row]' of 'var row = rows[i];'), its index read once.
                if (TypeMapping.ToIrType(operation.Type) is { Shape: ShapeKind.Array, StructName.Length: 0 } rowType && RowOf(operation, rowType.Element, held) is { } row)
                {
                    parts.Add((null, row with { Element = k => Convert(row.Element(k), type.Element, expression) }, "row"));
                    continue;
                }

                // A call whose result is data ('[.. Weights()]', '[.. Table(3)]', '[.. Taps(n)]'): held once in a hidden
                // array where the literal is built, its length read once. Its arguments must carry no derivative: one
                // that does is one error after the activity analysis (the method has none to give).
                if (HoldableCall(operation))
                {
                    var call = HeldCall(operation) ?? LowerHeldCall((IInvocationOperation)SkipConversions(operation));
                    var callee = ((IInvocationOperation)SkipConversions(operation)).TargetMethod.Name;
                    var stem = char.ToLowerInvariant(callee[0]) + callee.Substring(1);
                    var result = _context.DeclareHidden("_" + stem, call.Type);
                    var count = _context.DeclareHidden("_" + stem + "Length", IrType.Int);
                    held.Add(new AssignStmt(result, call.Type, call));
                    held.Add(new AssignStmt(count, IrType.Int, new LengthExpr(result)));
                    parts.Add((null, new RowElements(new VarExpr(IrType.Int, count), k => Convert(new ElementExpr(call.Type.Element, result, k), type.Element, expression)), stem));
                    continue;
                }

                // A variable, or a field or property of this type or a static one (a constant table, 'static readonly double[] Weights').
                var source = LowerExpression(SkipConversions(operation)) switch
                {
                    VarExpr { Type: { IsCollection: true, IsMultiDimensional: false, StructName.Length: 0 } } v => v.Name,
                    ConstExpr { Type: { IsCollection: true, IsMultiDimensional: false, StructName.Length: 0 } } c => c.Text,
                    _ => null,
                };
                if (source is null)
                {
                    return false;
                }

                parts.Add((null, new RowElements(new LengthExpr(source), k => new ElementExpr(type.Element, source, k)), source.Substring(source.LastIndexOf('.') + 1)));
            }
            else
            {
                parts.Add((Assigned(Convert(LowerExpression(operation), type.Element, expression)), null, string.Empty));
            }
        }

        Expr offset = Int(0);
        var stores = new List<Stmt>();
        foreach (var (single, spread, hint) in parts)
        {
            if (single is not null)
            {
                stores.Add(new StoreStmt(name, type.Element, offset, single));
                offset = Offset(offset, Int(1));
                continue;
            }

            var elements = spread!;
            var k = _context.DeclareHidden("_" + hint.TrimStart('@') + "Index", IrType.Int);
            var at = new VarExpr(IrType.Int, k);
            stores.Add(new AssignStmt(k, IrType.Int, Int(0)));
            stores.Add(new LoopStmt(
                new BinaryExpr(IrType.Bool, BinaryOp.Less, at, elements.Length, -1),
                new Stmt[] { new StoreStmt(name, type.Element, Offset(offset, at), elements.Element(at)) }.ToEquatableArray(),
                new Stmt[] { new AssignStmt(k, IrType.Int, Offset(at, Int(1))) }.ToEquatableArray(),
                TestFirst: true));
            offset = Offset(offset, elements.Length);
        }

        output.AddRange(held);
        output.Add(new NewArrayStmt(name, type, offset, IsStackAlloc: false));
        output.AddRange(stores);
        return true;
    }

    /// <summary>
    /// Whether a spread call's result can be held as data: a one-dimensional floating array returned by a static method
    /// (or one of a configuration object) that is not [Differentiable] (a [Differentiable] method cannot return an array).
    /// </summary>
    private bool HoldableCall(IOperation operation) =>
        SkipConversions(operation) is IInvocationOperation { TargetMethod: { MethodKind: not MethodKind.LocalFunction } method } invocation && !IsSpreadPart(invocation)
        && TypeMapping.ToIrType(invocation.Type) is { Shape: ShapeKind.Array, StructName.Length: 0, IsFloatingCollection: true }
        && (HeldCall(operation) is not null
            || (!Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) && !method.IsGenericMethod
                && (method.IsStatic || invocation.Instance is null or IInstanceReferenceOperation || ConstantText(invocation.Instance) is not null)));

    /// <summary>A held call with variable arguments, lowered as a call with no derivative whose result is an array.</summary>
    private Expr LowerHeldCall(IInvocationOperation invocation)
    {
        _arrayResultCall = true;
        try
        {
            return LowerInvocation(invocation, TypeMapping.ToIrType(invocation.Type));
        }
        finally
        {
            _arrayResultCall = false;
        }
    }

    /// <summary>
    /// A spread call's result as constant data: a one-dimensional floating array returned by a call whose arguments are
    /// all constants (literals, static members, configuration), so that no derivative can flow through it; else null.
    /// </summary>
    private ConstExpr? HeldCall(IOperation operation) =>
        SkipConversions(operation) is IInvocationOperation invocation && !IsSpreadPart(invocation)
        && TypeMapping.ToIrType(invocation.Type) is { Shape: ShapeKind.Array, StructName.Length: 0, IsFloatingCollection: true } type
        && ConstantText(invocation) is { } text
            ? new ConstExpr(type, text)
            : null;

    /// <summary>
    /// A spread of a call's result that may carry a derivative (<c>[x, .. Scaled(x)]</c>): one error at the spread,
    /// saying what works instead (a method returning an array has no derivative, so its result cannot be held here).
    /// False when there is none.
    /// </summary>
    private bool RefuseCallSpread(IOperation value)
    {
        if (SkipConversions(value).Syntax is not CollectionExpressionSyntax collection
            || collection.Elements.OfType<SpreadElementSyntax>().FirstOrDefault(s => _context.SemanticModel.GetOperation(s.Expression, _context.CancellationToken) is { } o
                && SkipConversions(o) is IInvocationOperation && !IsSpreadPart(SkipConversions(o)) && !HoldableCall(o)) is not { } call)
        {
            return false;
        }

        _context.Report("SG1002", call, SpreadOfCallReason("'" + call + "'"));
        return true;
    }

    /// <summary>Why a spread of <paramref name="call"/> (a [Differentiable] method, a generic one, a method of another object, or one given a value with a derivative) is refused, and what to do.</summary>
    internal static string SpreadOfCallReason(string call) =>
        "spreads of a call's result that may depend on a differentiable value (" + call + "; a method returning an array has no derivative, so pass the array in as a parameter, [NoGrad] when it is data, call it with arguments that carry no derivative (integers, [NoGrad] values, constants), keep constant data in a static readonly field and spread that, or write the elements: [a, b])";

    /// <summary>A part of an array or span that an argument could pass (<see cref="LowerSliceArgument"/>).</summary>
    private static bool IsSpreadPart(IOperation operation) => operation switch
    {
        IArrayElementReferenceOperation { Indices: [var index] } => index is IRangeOperation || index.Type?.Name == "Range",
        IImplicitIndexerReferenceOperation { Argument: var argument } => argument is IRangeOperation || argument.Type?.Name == "Range",
        IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan" } => true,
        _ => false,
    };

    private static Expr Int(int value) => new ConstExpr(IrType.Int, Emit.IndentedWriter.Literal(value));

    private static Expr Offset(Expr left, Expr right) => left is ConstExpr { Text: "0" } ? right : new BinaryExpr(IrType.Int, BinaryOp.Add, left, right, -1);
}
