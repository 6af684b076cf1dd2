using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// The C# text that rebuilds a struct or tuple from its leaves, nested structs included
/// (<c>new Body { Position = new Vector3({0}, {1}, {2}), Mass = {3} }</c>): how a call passes a scalarised value
/// to a method that takes the whole value.
/// </summary>
internal static class StructConstruction
{
    /// <summary>The construction over <paramref name="fields"/> (one text per leaf, in layout order), or null when a member cannot be set.</summary>
    public static string? Text(StructLayout layout, IReadOnlyList<string> fields) => Text(layout.Type, layout.Leaves.Select(l => l.Path).ToList(), fields);

    private static string? Text(ITypeSymbol type, IReadOnlyList<IReadOnlyList<string>> paths, IReadOnlyList<string> fields)
    {
        var members = new List<(string Member, string Text)>();
        foreach (var group in Enumerable.Range(0, paths.Count).GroupBy(i => paths[i][0]))
        {
            var indices = group.ToList();
            if (indices.Count == 1 && paths[indices[0]].Count == 1)
            {
                members.Add((group.Key, fields[indices[0]]));
                continue;
            }

            if (MemberType(type, group.Key) is not { } memberType
                || Text(memberType, indices.Select(i => (IReadOnlyList<string>)paths[i].Skip(1).ToList()).ToList(), indices.Select(i => fields[i]).ToList()) is not { } nested)
            {
                return null;
            }

            members.Add((group.Key, nested));
        }

        var csharp = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (type.IsTupleType)
        {
            return "(" + string.Join(", ", members.Select(m => m.Text)) + ")";
        }

        if (StructLayout.IsNumerics(type, "Vector2") || StructLayout.IsNumerics(type, "Vector3") || StructLayout.IsNumerics(type, "Vector4")
            || StructLayout.IsNumerics(type, "Quaternion") || StructLayout.IsNumerics(type, "Complex"))
        {
            return "new " + csharp + "(" + string.Join(", ", members.Select(m => m.Text)) + ")";
        }

        return members.All(m => IsInitable(type, m.Member))
            ? "new " + csharp + " { " + string.Join(", ", members.Select(m => m.Member + " = " + m.Text)) + " }"
            : null;
    }

    private static ITypeSymbol? MemberType(ITypeSymbol type, string member) => type is INamedTypeSymbol { IsTupleType: true } tuple
        ? tuple.TupleElements.FirstOrDefault(e => StructLayout.MemberName(e) == member)?.Type
        : type.GetMembers(member).Select(m => m switch { IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null }).FirstOrDefault(t => t is not null);

    private static bool IsInitable(ITypeSymbol type, string member) => type.GetMembers(member).Any(m => m switch
    {
        IFieldSymbol field => !field.IsReadOnly && !field.IsStatic,
        IPropertySymbol property => property.SetMethod is not null && !property.IsStatic,
        _ => false,
    });
}
