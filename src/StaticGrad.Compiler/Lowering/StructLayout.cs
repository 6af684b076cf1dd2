using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>One scalar field of a differentiable struct, reached through <see cref="Path"/> (nested structs flattened).</summary>
/// <param name="Writable">Every member on the path is a mutable field, or the last one a property with a setter: <c>d.Path += …</c> compiles.</param>
/// <param name="Initable">A top-level member assignable in an object initializer or <c>with</c> (init-only properties too).</param>
/// <param name="Referable">Every member on the path is a mutable field: <c>ref d.Path</c> compiles.</param>
internal sealed record StructLeaf(IReadOnlyList<string> Path, IrType Type, bool Writable, bool Initable, bool Referable = false)
{
    public string Access => "." + string.Join(".", Path);

    public string NameSuffix => string.Join("_", Path);
}

/// <summary>
/// The scalar fields of a differentiable struct: a struct whose instance fields are floating scalars, other
/// differentiable structs, or inactive <c>int</c>, <c>long</c> and <c>bool</c> values. The lowering scalarises such a
/// struct into one IR value per leaf (scalar replacement of aggregates), so the analyses and both transformers only
/// ever see scalars, and the gradient has the struct's own shape at the boundary.
/// </summary>
internal sealed class StructLayout
{
    private const int MaxDepth = 4;

    private StructLayout(ITypeSymbol type, IReadOnlyList<StructLeaf> leaves)
    {
        Type = type;
        Leaves = leaves;
    }

    public ITypeSymbol Type { get; }

    public string CSharp => Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    public IReadOnlyList<StructLeaf> Leaves { get; }

    public bool HasFloating => Leaves.Any(l => l.Type.IsFloating);

    /// <summary>The leaves under member <paramref name="name"/> (one for a scalar member, several for a nested struct).</summary>
    public IReadOnlyList<int> Under(string name) =>
        Enumerable.Range(0, Leaves.Count).Where(i => Leaves[i].Path[0] == name).ToArray();

    /// <summary>
    /// The layout of a differentiable struct, or null for any other type. A <c>ref struct</c> is not one: the generated
    /// code holds struct values in spans and tuples (its gradient, the Jacobian's rows), which a ref struct cannot be
    /// (CS9244 in the generated file; session 18's review): the method is refused at the type instead.
    /// </summary>
    public static StructLayout? Of(ITypeSymbol? type)
    {
        var leaves = new List<StructLeaf>();
        return type is { IsRefLikeType: false } && Collect(type, new List<string>(), true, leaves, 0) && leaves.Count > 0 ? new StructLayout(type, leaves) : null;
    }

    public static bool IsNumerics(ITypeSymbol? type, string name) =>
        type is INamedTypeSymbol { Name: var n } named && n == name && SymbolNames.Is(named.ContainingNamespace, "System.Numerics");

    /// <summary>Whether a value of this type has floating data anywhere (then it cannot be a mere configuration value).</summary>
    public static bool IsDifferentiableStruct(ITypeSymbol? type) => Of(type) is { HasFloating: true };

    /// <summary>The member of the layout a field stands for: a tuple element's <c>ItemN</c> whatever its name.</summary>
    public static string MemberName(ISymbol member) => (member as IFieldSymbol)?.CorrespondingTupleField?.Name ?? member.Name;

    private static bool Collect(ITypeSymbol type, List<string> prefix, bool writablePrefix, List<StructLeaf> leaves, int depth)
    {
        if (type is INamedTypeSymbol { IsTupleType: true, TupleElements: var elements } && depth <= MaxDepth)
        {
            foreach (var element in elements)
            {
                var path = Append(prefix, MemberName(element));
                if (TypeMapping.ToIrType(element.Type) is { IsCollection: false } scalar)
                {
                    leaves.Add(new StructLeaf(path, scalar, writablePrefix, prefix.Count == 0, writablePrefix));
                }
                else if (!Collect(element.Type, path, writablePrefix, leaves, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsGenericType: false } named || depth > MaxDepth || type.SpecialType != SpecialType.None)
        {
            return false;
        }

        if (IsNumerics(type, "Complex"))
        {
            // Its fields are private; its parts are the read-only properties Real and Imaginary.
            leaves.Add(new StructLeaf(Append(prefix, "Real"), IrType.Double, false, false));
            leaves.Add(new StructLeaf(Append(prefix, "Imaginary"), IrType.Double, false, false));
            return true;
        }

        var fromSource = named.DeclaringSyntaxReferences.Length > 0;
        foreach (var field in named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
        {
            var property = field.AssociatedSymbol as IPropertySymbol;
            var accessible = property?.DeclaredAccessibility ?? field.DeclaredAccessibility;
            if (!fromSource && accessible != Accessibility.Public)
            {
                // A struct from another assembly whose data is hidden: not something to differentiate through.
                return false;
            }

            var name = property?.Name ?? field.Name;
            var writable = writablePrefix && (property is null ? !field.IsReadOnly : property.SetMethod is { IsInitOnly: false });
            var initable = property is null ? !field.IsReadOnly : property.SetMethod is not null;
            var path = Append(prefix, name);
            var scalar = TypeMapping.ToIrType(field.Type);
            if (scalar is { IsCollection: false })
            {
                leaves.Add(new StructLeaf(path, scalar, writable, initable && prefix.Count == 0, writable && property is null));
            }
            else if (!Collect(field.Type, path, writable && property is null, leaves, depth + 1))
            {
                return false;
            }
        }

        return true;
    }

    private static List<string> Append(List<string> prefix, string name) => new(prefix) { name };
}
