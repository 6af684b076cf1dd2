using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A part of an array or span passed as an argument (<c>a[i..j]</c>, <c>a[..k]</c>, <c>a[^k..]</c>,
/// <c>span.Slice(i, n)</c>, <c>a.AsSpan(i, n)</c>): the callee's adjoint and tangent are the matching part of the
/// caller's (see <see cref="SliceExpr"/>).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The slice an argument passes, or null when it is not one (then it is lowered as any value).</summary>
    private Expr? LowerSliceArgument(IOperation argument, ITypeSymbol parameterType)
    {
        if (TypeMapping.ToIrType(parameterType) is not { Shape: ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan } parameter)
        {
            return null;
        }

        var value = SkipConversions(argument);
        IOperation? collection;
        IOperation? start;
        IOperation? length = null;
        IOperation? end = null;
        (HeldBound? Start, HeldBound? End)? held = null;
        switch (value)
        {
            case IArrayElementReferenceOperation { Indices: [var range] } element when HeldRange(range) is { } bounds:
                (collection, start, held) = (element.ArrayReference, null, bounds);
                break;
            case IImplicitIndexerReferenceOperation { Argument: var range } indexer when HeldRange(range) is { } bounds:
                (collection, start, held) = (indexer.Instance, null, bounds);
                break;
            case IArrayElementReferenceOperation { Indices: [IRangeOperation range] } element:
                (collection, start, end) = (element.ArrayReference, range.LeftOperand, range.RightOperand);
                break;
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range } indexer:
                (collection, start, end) = (indexer.Instance, range.LeftOperand, range.RightOperand);
                break;
            case IArrayElementReferenceOperation { Indices: [ILocalReferenceOperation { Local: var refusedRange }] } when _refused.Contains(refusedRange):
                return s_error;
            case IImplicitIndexerReferenceOperation { Argument: ILocalReferenceOperation { Local: var refusedRange } } when _refused.Contains(refusedRange):
                return s_error;
            case IArrayElementReferenceOperation { Indices: [var range] } when IsRange(range):
            case IImplicitIndexerReferenceOperation { Argument: var other } when IsRange(other):
                return Unsupported(argument, "ranges that are not 'i..j' or a local holding one (write the range in the brackets: 'a[i..j]')");
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance, Arguments: [var first, ..] } slice:
                (collection, start, length) = (instance, first.Value, slice.Arguments.Length > 1 ? slice.Arguments[1].Value : null);
                break;
            case IInvocationOperation { TargetMethod: { Name: "AsSpan", ContainingType.Name: "MemoryExtensions" }, Arguments: [var owner, var first, ..] } asSpan when first.Value.Type?.SpecialType == SpecialType.System_Int32:
                (collection, start, length) = (owner.Value, first.Value, asSpan.Arguments.Length > 2 ? asSpan.Arguments[2].Value : null);
                break;
            default:
                return null;
        }

        if (LowerExpression(SkipConversions(collection)) is not VarExpr { Type: { IsCollection: true, IsMultiDimensional: false } source } array)
        {
            return Unsupported(argument, "parts of anything but a local, parameter or field array or span ('" + Shorten(argument) + "')");
        }

        Expr Bound(IOperation? bound, HeldBound? heldBound, Expr whenMissing) => heldBound is not null
            ? Position(heldBound, array.Name)
            : bound is null
            ? whenMissing
            : FromEnd(bound) is { } fromEnd
                ? new BinaryExpr(IrType.Int, BinaryOp.Subtract, new LengthExpr(array.Name), LowerExpression(fromEnd), -1)
                : LowerExpression(SkipConversions(bound));

        var from = Bound(start, held?.Start, new ConstExpr(IrType.Int, "0"));
        var count = length is not null
            ? LowerExpression(length)
            : new BinaryExpr(IrType.Int, BinaryOp.Subtract, Bound(end, held?.End, new LengthExpr(array.Name)), from, -1);
        var copy = parameter.Shape == ShapeKind.Array;
        var type = new IrType(source.Scalar, copy ? ShapeKind.Array : source.Shape == ShapeKind.ReadOnlySpan ? ShapeKind.ReadOnlySpan : ShapeKind.Span);
        return new SliceExpr(type, array.Name, source.Shape, from, count, copy);
    }

    /// <summary>
    /// <c>a.AsSpan()</c> with no bounds (<c>foreach (var t in temperatures.AsSpan())</c>): the array <c>a</c> itself, whose
    /// elements the span is; any other operation unchanged. Session 25: the loop got two errors, for the call and for
    /// the loop, over a span that is the array under another type.
    /// </summary>
    private static IOperation WholeArray(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod: { Name: "AsSpan", ContainingType.Name: "MemoryExtensions" }, Arguments: [var owner] }
            && SkipConversions(owner.Value) is { Type: IArrayTypeSymbol { Rank: 1 } } array
            ? array
            : operation;
}
