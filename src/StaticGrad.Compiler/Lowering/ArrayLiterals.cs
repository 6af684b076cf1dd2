using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Arrays written out element by element: <c>new[] { a, b }</c>, <c>new double[] { … }</c>, collection expressions
/// <c>[a, b]</c> (spreads too, <c>[a, .. b]</c>) and the implicit array of a <c>params</c> argument. Outside a declaration the array becomes a hidden
/// local created just before the statement (inside a loop, once per iteration), so it has an adjoint like any local array.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The elements of an array literal, or null when <paramref name="value"/> is not one.</summary>
    private IReadOnlyList<IOperation>? ArrayLiteralElements(IOperation value)
    {
        value = SkipConversions(value);
        if (value is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } initializer })
        {
            return initializer.ElementValues;
        }

        // Collection expressions are read from the syntax: Roslyn 4.8, which the generator targets, has no operation for them.
        if (value.Syntax is CollectionExpressionSyntax collection && collection.Elements.All(e => e is ExpressionElementSyntax))
        {
            var elements = collection.Elements.Cast<ExpressionElementSyntax>().Select(e => _context.SemanticModel.GetOperation(Unparenthesized(e.Expression), _context.CancellationToken)).ToList();
            return elements.All(e => e is not null) ? elements.Select(e => e!).ToList() : null;
        }

        return null;
    }

    /// <summary>
    /// The semantic model has no operation for a parenthesized element of a collection expression (<c>[(x + y), z]</c>,
    /// random programs of session 8): its operation is the inside's.
    /// </summary>
    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>Creates the array <paramref name="name"/> of type <paramref name="type"/> and stores each element.</summary>
    private void StoreArrayLiteral(string name, IrType type, IReadOnlyList<IOperation> elements, SyntaxNode syntax, List<Stmt> output)
    {
        output.Add(new NewArrayStmt(name, type, new ConstExpr(IrType.Int, Emit.IndentedWriter.Literal(elements.Count)), IsStackAlloc: false));
        if (type.StructName.Length > 0)
        {
            StoreStructElements(name, elements, output);
            return;
        }

        for (var i = 0; i < elements.Count; i++)
        {
            output.Add(new StoreStmt(name, type.Element, new ConstExpr(IrType.Int, Emit.IndentedWriter.Literal(i)), Assigned(Convert(LowerExpression(elements[i]), type.Element, syntax))));
        }
    }

    /// <summary>An array literal used as a value (an argument, a <c>foreach</c> collection): a hidden local array, or null when it is not one.</summary>
    private Expr? LowerArrayLiteral(IOperation operation)
    {
        if (_pending is null || TypeMapping.ToIrType(operation.Type) is not { Shape: ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan } type)
        {
            return null;
        }

        var array = type with { Shape = ShapeKind.Array };
        if (ArrayLiteralElements(operation) is not { } elements)
        {
            // A collection expression with spreads ('Sum([x, .. rest])'): built like a declared one.
            if (SkipConversions(operation).Syntax is not CollectionExpressionSyntax collection || !collection.Elements.Any(e => e is SpreadElementSyntax))
            {
                return null;
            }

            var spread = _context.DeclareHidden("_array", array);
            return StoreSpreadLiteral(spread, array, operation, _pending) || RefuseCallSpread(operation)
                ? new VarExpr(array, spread)
                : Unsupported(operation, "spreads of anything but an array or span variable or a range of one ('a[i..j]', 's.Slice(i, n)') in '" + Shorten(operation) + "' (name the part first: 'var part = …;', then '[.. part]')");
        }

        var name = _context.DeclareHidden("_array", array);
        StoreArrayLiteral(name, array, elements, operation.Syntax, _pending);
        return new VarExpr(array, name);
    }
}
