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
    /// <summary>The floating type of a supported struct result (all its floating leaves have it), or null.</summary>
    public static IrType? ScalarType(ITypeSymbol type)
    {
        var layout = StructLayout.Of(type);
        if (layout is not { HasFloating: true } || layout.Leaves.Any(l => l.Path.Count != 1) || Construction(layout) is null)
        {
            return null;
        }

        var floating = layout.Leaves.Where(l => l.Type.IsFloating).Select(l => l.Type).Distinct().ToList();
        return floating.Count == 1 ? floating[0] : null;
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
        var head = "if (!" + output + ".IsEmpty) " + output + "[0] = ";
        var count = layout.Leaves.Count;
        var (open, separator, close) = Construction(layout) switch
        {
            ResultConstruction.Tuple => ("(", ", ", ")"),
            ResultConstruction.Constructor => ("new " + layout.CSharp + "(", ", ", ")"),
            _ => ("new " + layout.CSharp + " { ", ", ", " }"),
        };
        var parts = new string[count + 1];
        for (var i = 0; i <= count; i++)
        {
            var before = i == 0 ? head + open : i == count ? close + ";" : separator;
            parts[i] = before + (i < count && Construction(layout) == ResultConstruction.Initializer ? layout.Leaves[i].Path[0] + " = " : string.Empty);
        }

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
            Construction(result.Layout)!.Value);
    }

    internal static ResultConstruction? Construction(StructLayout layout) => layout.Type switch
    {
        INamedTypeSymbol { IsTupleType: true } => ResultConstruction.Tuple,
        var t when StructLayout.IsNumerics(t, "Vector2") || StructLayout.IsNumerics(t, "Vector3") || StructLayout.IsNumerics(t, "Vector4")
            || StructLayout.IsNumerics(t, "Quaternion") || StructLayout.IsNumerics(t, "Complex") => ResultConstruction.Constructor,
        _ when layout.Leaves.All(l => l.Initable) => ResultConstruction.Initializer,
        _ => null,
    };
}
