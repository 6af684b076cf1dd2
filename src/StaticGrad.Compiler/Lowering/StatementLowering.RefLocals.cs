using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// <c>ref double r = ref a[i];</c>: the local is another name for that element. Its index is evaluated once, where
/// the local is declared (as C# does), into a hidden local; reads of <c>r</c> read the element and writes write it.
/// </summary>
internal sealed partial class StatementLowering
{
    private readonly Dictionary<ISymbol, ElementExpr> _refElements = new(SymbolEqualityComparer.Default);

    /// <summary>Declares a ref local; false (with one error, and its uses silent) when it refers to anything but an array or span element.</summary>
    private bool DeclareRefLocal(ILocalSymbol local, IOperation? initializer, IOperation declarator, List<Stmt> output)
    {
        var target = initializer is null ? null : SkipConversions(initializer);
        if (target is not (IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation)
            || LowerExpression(target) is not ElementExpr { Index.Type.Scalar: ScalarKind.Int } element
            || element.Index is IndexPairExpr)
        {
            UnsupportedStatement(declarator, "'ref' locals other than to an element of a one-dimensional array or span (read the value into a local, and write it back with 'a[i] = value')");
            _refused.Add(local);
            return false;
        }

        if (element.Index is not ConstExpr)
        {
            var index = _context.DeclareHidden("_" + local.Name + "Index", IrType.Int);
            output.Add(new AssignStmt(index, IrType.Int, element.Index));
            element = element with { Index = new VarExpr(IrType.Int, index) };
        }

        _refElements[local] = element;
        return true;
    }

    /// <summary>The element a ref local stands for, when <paramref name="target"/> is one (its writes are element writes).</summary>
    private ElementExpr? LowerRefLocalTarget(IOperation target) =>
        target is ILocalReferenceOperation { Local: var local } && _refElements.TryGetValue(local, out var element) ? element : null;
}
