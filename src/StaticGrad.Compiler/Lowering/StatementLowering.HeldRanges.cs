using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A <c>Range</c> or <c>Index</c> held in a local (<c>var r = 1..3; Callee(a[r])</c>, <c>Index last = ^1; a[last]</c>)
/// is not a value of the IR: its bounds are. Each bound's number is taken when the local is declared (into a hidden
/// int local unless it is a constant), and every use of the local is the literal form with those numbers, so what a
/// range or index selects is what C# selects, whatever happens to the variables it was built from afterwards.
/// </summary>
internal sealed partial class StatementLowering
{
    private readonly Dictionary<ISymbol, (HeldBound? Start, HeldBound? End)> _heldRanges = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, HeldBound> _heldIndices = new(SymbolEqualityComparer.Default);

    /// <summary>Declares a local of type <c>Range</c> or <c>Index</c>; false for a local of another type.</summary>
    private bool DeclareHeldRange(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        var local = declarator.Symbol;
        var isRange = IsSystemValue(local.Type, "Range");
        if (!isRange && !IsSystemValue(local.Type, "Index"))
        {
            return false;
        }

        var value = initializer is null ? null : SkipConversions(initializer.Value);
        if (value is null || AssignedAgain(local, declarator))
        {
            UnsupportedStatement(declarator, "'" + local.Type.Name + "' variables without an initializer or assigned again (declare one per value: 'var r = i..j;')");
            _refused.Add(local);
        }
        else if (isRange && HeldRange(value) is { } copied)
        {
            _heldRanges[local] = copied;
        }
        else if (isRange && value is IRangeOperation range)
        {
            _heldRanges[local] = (Hold(range.LeftOperand, output), Hold(range.RightOperand, output));
        }
        else if (!isRange && (value.Type?.SpecialType == SpecialType.System_Int32 || FromEnd(value) is not null || value is ILocalReferenceOperation))
        {
            if (Hold(value, output) is { } held)
            {
                _heldIndices[local] = held;
            }
        }
        else
        {
            UnsupportedStatement(declarator, "'" + local.Type.Name + "' values other than 'i..j' or '^k' (write the range in the brackets: 'a[i..j]')");
            _refused.Add(local);
        }

        return true;
    }

    private HeldBound? Hold(IOperation? bound, List<Stmt> output)
    {
        if (bound is null)
        {
            return null;
        }

        if (SkipConversions(bound) is ILocalReferenceOperation { Local: var index } && _heldIndices.TryGetValue(index, out var known))
        {
            return known;
        }

        var fromEnd = FromEnd(bound);
        var value = LowerExpression(fromEnd ?? SkipConversions(bound));
        if (value.Type != IrType.Int)
        {
            UnsupportedStatement(bound, "range bounds of type '" + value.Type + "' (use int)");
            return null;
        }

        if (value is not ConstExpr)
        {
            var name = _context.DeclareHidden("_k", IrType.Int);
            output.Add(new AssignStmt(name, IrType.Int, value));
            value = new VarExpr(IrType.Int, name);
        }

        return new HeldBound(value, fromEnd is not null);
    }

    /// <summary>The bounds of a range local (null when <paramref name="range"/> is not one).</summary>
    private (HeldBound? Start, HeldBound? End)? HeldRange(IOperation range) =>
        SkipConversions(range) is ILocalReferenceOperation { Local: var local } && _heldRanges.TryGetValue(local, out var held) ? held : null;

    /// <summary>The element position of an index local in <paramref name="array"/> (null when <paramref name="index"/> is not one).</summary>
    private Expr? HeldIndex(IOperation index, string array) => SkipConversions(index) switch
    {
        ILocalReferenceOperation { Local: var local } when _heldIndices.TryGetValue(local, out var held) => Position(held, array),

        // Refused at its declaration; the method is not generated.
        ILocalReferenceOperation { Local: var local } when _refused.Contains(local) => new ConstExpr(IrType.Int, "0"),
        _ => null,
    };

    private static Expr Position(HeldBound bound, string array) =>
        bound.FromEnd ? new BinaryExpr(IrType.Int, BinaryOp.Subtract, new LengthExpr(array), bound.Value, -1) : bound.Value;

    private static bool IsSystemValue(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { Name: var n, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } && n == name;

    private static bool AssignedAgain(ILocalSymbol local, IOperation declarator)
    {
        var root = declarator;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().Any(o => o switch
        {
            IAssignmentOperation { Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, local),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, local),
            _ => false,
        });
    }

    /// <summary>A bound fixed where its range or index local was declared: a number, counted from the end with <c>^</c>.</summary>
    private sealed record HeldBound(Expr Value, bool FromEnd);
}
