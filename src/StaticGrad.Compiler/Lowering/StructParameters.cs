using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>A scalarised struct variable: its layout and the IR variable of each leaf (a local or a parameter).</summary>
internal sealed record StructVariable(StructLayout Layout, IReadOnlyList<string> Leaves);

/// <summary>
/// Parameters that are not scalars, arrays or spans: differentiable structs become one IR parameter per leaf, and
/// values of any other type (string, enum, class, delegate, a struct without floating data, anything [NoGrad]) are
/// configuration, passed through and read as constants.
/// </summary>
internal static class StructParameters
{
    /// <summary>The IR parameters of <paramref name="parameter"/>, or null when its type is outside the body language.</summary>
    public static IReadOnlyList<ParamIR>? Lower(IParameterSymbol parameter, bool noGrad, LoweringContext context)
    {
        var layout = StructLayout.Of(parameter.Type);
        if (layout is { HasFloating: true } && !noGrad)
        {
            var leaves = new List<string>();
            var result = new List<ParamIR>();
            foreach (var leaf in layout.Leaves)
            {
                var name = context.DeclareLeafParameter(parameter.Name + "_" + leaf.NameSuffix);
                leaves.Add(name);
                result.Add(new ParamIR(name, leaf.Type, leaf.Type.IsFloating));
            }

            context.Structs[parameter] = new StructVariable(layout, leaves);
            return result;
        }

        if (noGrad || !HasFloatingData(parameter.Type))
        {
            var type = IrType.Opaque(parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + (parameter.Type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated ? "?" : string.Empty));
            context.DeclareParameter(parameter, type);
            return new[] { new ParamIR(parameter.Name, type, false) { Modifier = Modifier(parameter) } };
        }

        return null;
    }

    /// <summary>Configuration types have no floating value inside (a class is a reference: its fields are constants).</summary>
    public static bool HasFloatingData(ITypeSymbol type, int depth = 0) => type switch
    {
        IArrayTypeSymbol array => HasFloatingData(array.ElementType, depth),
        // decimal is a number a user may expect a derivative for: it must be [NoGrad] to be configuration.
        { SpecialType: SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal } => true,
        INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None } named when depth < 4 =>
            StructLayout.IsNumerics(named, "Complex") ||
            named.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic && !f.IsConst && HasFloatingData(f.Type, depth + 1)),
        // A collection of numbers (List<double>, IEnumerable<Vector3>) is data a user expects a derivative for, not configuration.
        INamedTypeSymbol named when depth < 4 && named.AllInterfaces.Add(named).Any(i => i is { Name: "IEnumerable", TypeArguments.Length: 1 } && HasFloatingData(i.TypeArguments[0], depth + 1)) => true,
        _ => false,
    };

    /// <summary>The boundary of a method with struct parameters (empty when it has none), and a located error for an adjoint that cannot be written.</summary>
    public static EquatableArray<BoundaryParameter> Boundary(IMethodSymbol method, LoweringContext context)
    {
        if (!method.Parameters.Any(p => context.Structs.ContainsKey(p)) && context.ResultSeeds is null)
        {
            return default;
        }

        var result = new List<BoundaryParameter>();
        foreach (var parameter in method.Parameters)
        {
            var type = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var name = Naming.NameScope.Escape(parameter.Name);
            if (!context.Structs.TryGetValue(parameter, out var variable))
            {
                var ir = context.TryGetVariable(parameter, out _, out var irType) ? irType : IrType.Double;
                var differentiable = !Symbols.HasAttribute(parameter, Symbols.NoGradAttribute) && (ir.IsFloating || ir.IsFloatingCollection);
                result.Add(new BoundaryParameter(name, ir.CSharp, differentiable, EquatableArray<BoundaryLeaf>.Empty) { Modifier = Modifier(parameter) });
                continue;
            }

            var leaves = variable.Layout.Leaves;
            var unwritable = leaves.FirstOrDefault(l => l.Type.IsFloating && !l.Writable && !l.Initable);
            if (unwritable is not null && !StructLayout.IsNumerics(parameter.Type, "Complex"))
            {
                context.Report(
                    "SG1004",
                    LocationInfo.From(parameter.Locations.FirstOrDefault()),
                    parameter.Name,
                    "its adjoint, a '" + parameter.Type.Name + "', cannot receive the partial derivative of '" + unwritable.Access.Substring(1) + "' (a read-only member); give the struct settable or init-only members, or mark the parameter [NoGrad]");
            }

            result.Add(new BoundaryParameter(
                name,
                type,
                true,
                leaves.Select(l => new BoundaryLeaf(l.Access, l.Type.ScalarKeyword, l.Type.IsFloating, l.Referable ? AdjointWrite.Ref : l.Writable ? AdjointWrite.Add : AdjointWrite.With)).ToEquatableArray()) { Modifier = Modifier(parameter), AdjointUnwritable = !StructLayout.IsNumerics(parameter.Type, "Complex") && leaves.Any(l => l.Type.IsFloating && CannotRebuild(parameter.Type, l.Access)) });
        }

        return result.ToEquatableArray();
    }

    /// <summary>
    /// Whether a member on the path <paramref name="access"/> (<c>.At.X</c>) is a get-only property or a read-only field:
    /// then <c>dP with { … }</c> cannot rebuild the adjoint (a settable or init-only property, or a mutable field, can).
    /// </summary>
    private static bool CannotRebuild(ITypeSymbol type, string access)
    {
        foreach (var name in access.Split(new[] { '.' }, System.StringSplitOptions.RemoveEmptyEntries))
        {
            switch (type.GetMembers(name).FirstOrDefault(m => !m.IsStatic))
            {
                case IPropertySymbol { SetMethod: not null } property:
                    type = property.Type;
                    continue;
                case IFieldSymbol { IsReadOnly: false } field:
                    type = field.Type;
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private static string Modifier(IParameterSymbol parameter) => InParameters.IsReadOnlyReference(parameter.RefKind) ? InParameters.Keyword(parameter.RefKind) : string.Empty;
}
