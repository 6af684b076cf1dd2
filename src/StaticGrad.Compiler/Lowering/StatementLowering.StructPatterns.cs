using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Property patterns on a struct or tuple value (<c>p is { X: &gt; 0, Y: &lt; 1 }</c>, <c>v switch { { Z: 0 } =&gt; …
/// }</c>): the struct is scalarised, so the tested value is its leaves, and each property subpattern tests the leaf
/// of its member like any scalar pattern.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The leaves behind each placeholder that stands for a struct-valued pattern input (by identity).</summary>
    private readonly Dictionary<Expr, StructValue> _structInputs = new(ReferenceComparer<Expr>.Instance);

    /// <summary>The value a pattern tests: lowered as any value, or for a struct a placeholder for its leaves.</summary>
    private Expr PatternInput(IOperation value)
    {
        if (!IsStructValue(value) || value.Type?.TypeKind != TypeKind.Struct || TypeMapping.ToIrType(value.Type) is not null)
        {
            return LowerExpression(value);
        }

        var placeholder = new ConstExpr(IrType.Double, "0.0");
        _structInputs[placeholder] = LowerStruct(value);
        return placeholder;
    }

    /// <summary>The leaf of <paramref name="property"/>'s member in a struct input, or null when the input is not one.</summary>
    private Expr? StructMemberLeaf(IPropertySubpatternOperation property, Expr input)
    {
        if (!_structInputs.TryGetValue(input, out var value))
        {
            return null;
        }

        var member = property.Member switch
        {
            IPropertyReferenceOperation p => (ISymbol)p.Property,
            IFieldReferenceOperation f => f.Field,
            _ => null,
        };
        if (member is null)
        {
            return null;
        }

        var indices = value.Layout.Under(StructLayout.MemberName(member));
        return indices.Count == 1 && value.Layout.Leaves[indices[0]].Path.Count == 1 ? value.Leaves[indices[0]] : null;
    }
}
