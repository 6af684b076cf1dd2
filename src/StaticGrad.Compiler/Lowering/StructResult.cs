using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Methods returning a differentiable struct or tuple. The seed has the result's type; the IR returns the scalar
/// Σ seed.leaf · leaf (the seed's leaves are extra inactive IR parameters), whose gradient is the vector-Jacobian
/// product the backward owes, so both transformers stay scalar. The contract's overloads build the struct around it.
/// </summary>
internal static class StructResult
{
    /// <summary>
    /// The type of the scalarised result Σ seed.leaf · leaf of a supported struct result (double when any floating
    /// leaf is double, nested structs included), or null when the result is not one or cannot be built from its leaves.
    /// </summary>
    public static IrType? ScalarType(ITypeSymbol type)
    {
        var layout = StructLayout.Of(type);
        if (layout is not { HasFloating: true } || Construction(layout) is null)
        {
            return null;
        }

        return layout.Leaves.Any(l => l.Type.Scalar == ScalarKind.Double) ? IrType.Double : IrType.Float;
    }

    public static IEnumerable<ParamIR> DeclareSeeds(IMethodSymbol method, LoweringContext context)
    {
        if (TypeMapping.ToIrType(method.ReturnType) is not null || ScalarType(method.ReturnType) is null)
        {
            return Enumerable.Empty<ParamIR>();
        }

        var layout = StructLayout.Of(method.ReturnType)!;
        var seeds = layout.Leaves.Select(l => l.Type.IsFloating ? context.DeclareLeafParameter("seed_" + l.NameSuffix) : null).ToArray();
        context.ResultSeeds = (layout, seeds);
        context.ResultOutput = context.DeclareLeafParameter("_value");
        return layout.Leaves.Select((l, i) => (Leaf: l, Seed: seeds[i])).Where(p => p.Seed is not null).Select(p => new ParamIR(p.Seed!, p.Leaf.Type, false))
            .Append(new ParamIR(context.ResultOutput, OutputType(method.ReturnType), false)).ToList();
    }

    /// <summary>
    /// The scalarised backward returns Σ seed · leaf, not the value; so that the contract's backward does not run the
    /// method again for it, every return also writes the value into this span (empty when the caller does not want it).
    /// </summary>
    public static IrType OutputType(ITypeSymbol result) =>
        IrType.Opaque("global::System.Span<" + result.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ">");

    /// <summary>The text around the leaves of <c>if (!output.IsEmpty) output[0] = new T(leaf, …);</c> (one part more than leaves).</summary>
    public static string[] OutputParts(StructLayout layout, string output)
    {
        var text = "if (!" + output + ".IsEmpty) " + output + "[0] = " + Construction(layout) + ";";
        var parts = new string[layout.Leaves.Count + 1];
        var from = 0;
        for (var i = 0; i < layout.Leaves.Count; i++)
        {
            // The construction names the leaves in layout order (nested structs are contiguous in it).
            var placeholder = ArgumentTemplate.Placeholder(i);
            var at = text.IndexOf(placeholder, from, System.StringComparison.Ordinal);
            parts[i] = text.Substring(from, at - from);
            from = at + placeholder.Length;
        }

        parts[layout.Leaves.Count] = text.Substring(from);
        return parts;
    }

    public static BoundaryResult? Boundary(IMethodSymbol method, LoweringContext context)
    {
        if (context.ResultSeeds is not { } result)
        {
            return null;
        }

        return new BoundaryResult(
            method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            result.Layout.Leaves.Select(l => new BoundaryLeaf(l.Access, l.Type.ScalarKeyword, l.Type.IsFloating, AdjointWrite.Ref)).ToEquatableArray(),
            Construction(result.Layout)!);
    }

    /// <summary>The C# text that builds the result from its leaves (<c>{k}</c> for leaf k), or null when a member cannot be set.</summary>
    internal static string? Construction(StructLayout layout) => StructConstruction.Text(layout, ArgumentTemplate.Placeholders(layout.Leaves.Count).ToList());
}
