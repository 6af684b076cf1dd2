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
            || SkipConversions(o) is not (ILocalReferenceOperation or IParameterReferenceOperation) && !IsSpreadPart(SkipConversions(o))))
        {
            return false;
        }

        var parts = new List<(Expr? Single, SliceExpr? Spread)>();
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

                    parts.Add((null, part with { Start = Atom(part.Start, "_spreadStart"), Length = Atom(part.Length, "_spreadLength") }));
                    continue;
                }

                if (LowerExpression(SkipConversions(operation)) is not VarExpr { Type: { IsCollection: true, IsMultiDimensional: false, StructName.Length: 0 } } source)
                {
                    return false;
                }

                parts.Add((null, new SliceExpr(source.Type, source.Name, source.Type.Shape, Int(0), new LengthExpr(source.Name), Copy: false)));
            }
            else
            {
                parts.Add((Assigned(Convert(LowerExpression(operation), type.Element, expression)), null));
            }
        }

        Expr offset = Int(0);
        var stores = new List<Stmt>();
        foreach (var (single, spread) in parts)
        {
            if (single is not null)
            {
                stores.Add(new StoreStmt(name, type.Element, offset, single));
                offset = Offset(offset, Int(1));
                continue;
            }

            var k = _context.DeclareHidden("_" + spread!.Array.TrimStart('@') + "Index", IrType.Int);
            var at = new VarExpr(IrType.Int, k);
            stores.Add(new AssignStmt(k, IrType.Int, Int(0)));
            stores.Add(new LoopStmt(
                new BinaryExpr(IrType.Bool, BinaryOp.Less, at, spread.Length, -1),
                new Stmt[] { new StoreStmt(name, type.Element, Offset(offset, at), new ElementExpr(type.Element, spread.Array, Offset(spread.Start, at))) }.ToEquatableArray(),
                new Stmt[] { new AssignStmt(k, IrType.Int, Offset(at, Int(1))) }.ToEquatableArray(),
                TestFirst: true));
            offset = Offset(offset, spread.Length);
        }

        output.Add(new NewArrayStmt(name, type, offset, IsStackAlloc: false));
        output.AddRange(stores);
        return true;
    }

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
