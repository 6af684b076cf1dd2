using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A local jagged array whose rows are created in a counted loop with a length that depends on the row
/// (<c>var rows = new double[n][]; for (var i = 0; i &lt; n; i++) rows[i] = new double[i + 1];</c>, a triangular
/// table; or a <c>while</c>/<c>do</c> loop counting the same way, <c>var i = 0; while (i &lt; n) { rows[i] = …; i++; }</c>):
/// stored flat like a ragged literal, its row offsets computed where the array is declared by running the
/// length expression for every row (it may read the row index, constants, and parameters and locals declared before
/// the array that are never written), so <c>rows[i][j]</c> is <c>flat[offsets[i] + j]</c>.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Declares <paramref name="local"/> so; false (nothing emitted) when its rows are not created that way.</summary>
    private bool DeclareRaggedRowLoop(ILocalSymbol local, IrType type, IArrayCreationOperation creation, IVariableDeclaratorOperation declarator, IOperation body, List<Stmt> output)
    {
        var inlined = new List<(ILocalSymbol Local, IOperation Value)>();
        var creations = body.Descendants().OfType<ISimpleAssignmentOperation>()
            .Where(a => a.Target is IArrayElementReferenceOperation { Indices.Length: 1 } e && SkipConversions(e.ArrayReference) is ILocalReferenceOperation r && SymbolEqualityComparer.Default.Equals(r.Local, local))
            .ToList();
        // One creation, or two in the branches of one 'if' (its condition then chooses the length).
        var choice = creations.Count == 2 ? BranchChoice(creations[0], creations[1]) : null;
        if ((creations.Count != 1 && choice is null)
            || creations[0] is not { Target: IArrayElementReferenceOperation { Indices: [ILocalReferenceOperation { Local: var counter }] } } assignment
            || SkipConversions(assignment.Value) is not IArrayCreationOperation { DimensionSizes: [var length], Initializer: null }
            || EnclosingRowLoop(assignment) is not { } loop
            || !CountsEveryRow(loop, counter, creation.DimensionSizes[0], local, body)
            || !ReadableAtDeclaration(length, declarator, body, counter, loop, inlined))
        {
            return false;
        }

        IOperation? otherLength = null;
        if (choice is not null
            && (creations[1] is not { Target: IArrayElementReferenceOperation { Indices: [ILocalReferenceOperation { Local: var otherCounter }] } } other
                || !SymbolEqualityComparer.Default.Equals(otherCounter, counter)
                || SkipConversions(other.Value) is not IArrayCreationOperation { DimensionSizes: [var second], Initializer: null }
                || !ReadableAtDeclaration(second, declarator, body, counter, loop, inlined)
                || !ReadableAtDeclaration(choice, declarator, body, counter, loop, inlined)
                || !ReferenceEquals(EnclosingRowLoop(other), loop)))
        {
            return false;
        }
        else if (choice is not null)
        {
            otherLength = ((IArrayCreationOperation)SkipConversions(creations[1].Value)).DimensionSizes[0];
        }

        var flatType = new IrType(type.Scalar, ShapeKind.Array);
        var offsetsType = new IrType(ScalarKind.Int, ShapeKind.Array);
        var name = _context.DeclareLocal(local, flatType);
        var rows = _context.DeclareHidden("_" + local.Name + "Rows", IrType.Int);
        var offsets = _context.DeclareHidden("_" + local.Name + "Offsets", offsetsType);
        var row = _context.DeclareHidden("_" + local.Name + "Row", IrType.Int);
        var rowCount = new VarExpr(IrType.Int, rows);
        var at = new VarExpr(IrType.Int, row);
        output.Add(new AssignStmt(rows, IrType.Int, LowerExpression(creation.DimensionSizes[0])));
        output.Add(new NewArrayStmt(offsets, offsetsType, Offset(rowCount, Int(1)), IsStackAlloc: false));
        _substitutions[counter] = at;
        foreach (var (named, value) in inlined)
        {
            _substitutions[named] = LowerExpression(value);
        }

        var rowLength = choice is null ? LowerExpression(length) : new ConditionalExpr(IrType.Int, LowerExpression(choice), LowerExpression(length), LowerExpression(otherLength!));
        _substitutions.Remove(counter);
        foreach (var (named, _) in inlined)
        {
            _substitutions.Remove(named);
        }

        output.Add(new AssignStmt(row, IrType.Int, Int(0)));
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, at, rowCount, -1),
            new Stmt[] { new StoreStmt(offsets, IrType.Int, Offset(at, Int(1)), Offset(new ElementExpr(IrType.Int, offsets, at), rowLength)) }.ToEquatableArray(),
            new Stmt[] { new AssignStmt(row, IrType.Int, Offset(at, Int(1))) }.ToEquatableArray(),
            TestFirst: true));
        output.Add(new NewArrayStmt(name, flatType, new ElementExpr(IrType.Int, offsets, rowCount), IsStackAlloc: false));
        var flat = new FlatArray(name, rowCount, Int(0), Jagged: true) { Offsets = offsets };
        _flatArrays[local] = flat;
        _flatArraysByName[name] = flat;
        return true;
    }

    /// <summary>
    /// The condition of the <c>if</c> whose true branch has the statement <paramref name="first"/> and whose false branch
    /// has <paramref name="second"/> (each directly, braces or not), or null.
    /// </summary>
    private static IOperation? BranchChoice(IOperation first, IOperation second)
    {
        static IOperation Statement(IOperation assignment)
        {
            var statement = assignment.Parent is IExpressionStatementOperation e ? e : assignment;
            return statement.Parent is IBlockOperation block ? block : statement;
        }

        return Statement(first).Parent is IConditionalOperation { WhenFalse: { } whenFalse } branch
            && ReferenceEquals(branch.WhenTrue, Statement(first)) && ReferenceEquals(whenFalse, Statement(second))
            ? branch.Condition
            : null;
    }

    /// <summary>The innermost <c>for</c>, <c>while</c> or <c>do</c> loop around <paramref name="operation"/>, or null.</summary>
    private static ILoopOperation? EnclosingRowLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IForLoopOperation or IWhileLoopOperation)
            {
                return (ILoopOperation)parent;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>for (var i = 0; i &lt; n; i++)</c> with <c>n</c> written as the array's row count or as <c>rows.Length</c>
    /// (the same number: the array is never replaced), <c>i</c> written nowhere else.
    /// </summary>
    private static bool CountsEveryRow(ILoopOperation loop, ILocalSymbol counter, IOperation rowCount, ILocalSymbol rows, IOperation body) => loop switch
    {
        IForLoopOperation counted => loop.Locals.Contains(counter, SymbolEqualityComparer.Default)
            && counted.Before is [IVariableDeclarationGroupOperation { Declarations: [{ Declarators: [{ Initializer.Value.ConstantValue: { HasValue: true, Value: 0 } }] }] }]
            && ComparesWithRowCount(counted.Condition, counter, rowCount, rows)
            && counted.AtLoopBottom is [IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation stepped } }]
            && SymbolEqualityComparer.Default.Equals(stepped.Local, counter)
            && !loop.Body.Descendants().Any(o => (o is IAssignmentOperation { Target: var t } && Names(t, counter)) || (o is IIncrementOrDecrementOperation { Target: var u } && Names(u, counter))),
        IWhileLoopOperation { ConditionIsUntil: false } counting => CountsLikeFor(counting, counter, rowCount, rows, body),
        _ => false,
    };

    /// <summary>
    /// <c>var i = 0; … while (i &lt; n) { …; i++; }</c> (or <c>do { …; i++; } while (i &lt; n);</c>): the counter starts
    /// at 0 where it is declared before the loop, and is written nowhere but by the increment that ends the loop's body;
    /// no <c>break</c> or <c>continue</c> leaves an iteration early. Then row i is created with the counter at i, as in
    /// the <c>for</c> loop.
    /// </summary>
    private static bool CountsLikeFor(IWhileLoopOperation loop, ILocalSymbol counter, IOperation rowCount, ILocalSymbol rows, IOperation body)
    {
        var declaration = body.Descendants().OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, counter));
        if (declaration is not { Initializer.Value.ConstantValue: { HasValue: true, Value: 0 } } || declaration.Syntax.SpanStart >= loop.Syntax.SpanStart
            || !ComparesWithRowCount(loop.Condition, counter, rowCount, rows)
            || loop.Body is not IBlockOperation { Operations: [.., IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: var stepped } increment }] }
            || !Names(stepped, counter))
        {
            return false;
        }

        var leavesEarly = loop.Body.Descendants().OfType<IBranchOperation>().Any(b =>
            SymbolEqualityComparer.Default.Equals(b.Target, loop.ContinueLabel) || SymbolEqualityComparer.Default.Equals(b.Target, loop.ExitLabel));
        var writtenElsewhere = body.Descendants().Any(o =>
            (o is IAssignmentOperation { Target: var t } && Names(t, counter)) || (o is IIncrementOrDecrementOperation { Target: var u } && Names(u, counter) && !ReferenceEquals(o, increment)));
        return !leavesEarly && !writtenElsewhere;
    }

    /// <summary><c>i &lt; n</c> with <c>n</c> written as the array's row count or as <c>rows.Length</c> (the same number: the array is never replaced).</summary>
    private static bool ComparesWithRowCount(IOperation? condition, ILocalSymbol counter, IOperation rowCount, ILocalSymbol rows) =>
        condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: ILocalReferenceOperation left } comparison
        && SymbolEqualityComparer.Default.Equals(left.Local, counter)
        && (comparison.RightOperand.Syntax.ToString() == rowCount.Syntax.ToString() || IsLengthOf(comparison.RightOperand, rows));

    private static bool IsLengthOf(IOperation operation, ILocalSymbol rows) =>
        SkipConversions(operation) is IPropertyReferenceOperation { Property.Name: "Length", Instance: ILocalReferenceOperation array }
        && SymbolEqualityComparer.Default.Equals(array.Local, rows);

    /// <summary>
    /// Whether every variable <paramref name="value"/> reads (but <paramref name="counter"/>) is a parameter or an earlier
    /// local, never written, or a local of the loop's body declared once with such a value and never written
    /// (<c>var k = 2 * i + 1; rows[i] = new double[k];</c>): those are added to <paramref name="inlined"/>, each after
    /// the locals its value reads, to be read as their values where the array is declared.
    /// </summary>
    private static bool ReadableAtDeclaration(IOperation value, IVariableDeclaratorOperation declarator, IOperation body, ILocalSymbol counter, ILoopOperation loop, List<(ILocalSymbol Local, IOperation Value)> inlined)
    {
        foreach (var read in value.DescendantsAndSelf())
        {
            if (read is IInvocationOperation || (read is IArrayElementReferenceOperation element && !IsConstantTable(element, body)))
            {
                return false;
            }

            ISymbol? symbol = read switch
            {
                ILocalReferenceOperation l => l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (symbol is null || SymbolEqualityComparer.Default.Equals(symbol, counter) || inlined.Any(i => SymbolEqualityComparer.Default.Equals(i.Local, symbol)))
            {
                continue;
            }

            if (body.Descendants().Any(o => (o is IAssignmentOperation { Target: var t } && Names(t, symbol)) || (o is IIncrementOrDecrementOperation { Target: var u } && Names(u, symbol))))
            {
                return false;
            }

            if (symbol is ILocalSymbol local && !symbol.Locations.All(l => l.SourceSpan.Start < declarator.Syntax.SpanStart))
            {
                var declaration = loop.Body.Descendants().OfType<IVariableDeclaratorOperation>().FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
                if (declaration?.Initializer is not { Value: var initial } || inlined.Count > 8
                    || !ReadableAtDeclaration(initial, declarator, body, counter, loop, inlined))
                {
                    return false;
                }

                inlined.Add((local, initial));
            }
        }

        return true;
    }

    /// <summary>
    /// An element of a one-dimensional integer array that is a parameter or a local, whose elements nothing in the
    /// body writes (<c>new double[sizes[l + 1]]</c>, layer widths), or the length of a row of a jagged parameter: it
    /// reads the same where the array is declared.
    /// Whether the variable itself is written is checked with the other variables the length reads.
    /// </summary>
    private static bool IsConstantTable(IArrayElementReferenceOperation element, IOperation body)
    {
        ISymbol? symbol = SkipConversions(element.ArrayReference) switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };
        if (element.Indices.Length != 1 || symbol is null)
        {
            return false;
        }

        // The length of a jagged parameter's row ('new double[other[i].Length]'): its rows are never replaced (SG1009).
        if (element.Type is IArrayTypeSymbol && element.Parent is IPropertyReferenceOperation { Property.Name: "Length" } && symbol is IParameterSymbol)
        {
            return true;
        }

        if (element.Type?.SpecialType != SpecialType.System_Int32)
        {
            return false;
        }

        return !body.Descendants().Any(o =>
            (o is IAssignmentOperation { Target: IArrayElementReferenceOperation t } && Names(SkipConversions(t.ArrayReference), symbol))
            || (o is IIncrementOrDecrementOperation { Target: IArrayElementReferenceOperation u } && Names(SkipConversions(u.ArrayReference), symbol))
            || (o is IArgumentOperation { Value: var passed } && Names(SkipConversions(passed), symbol)));
    }
}
