using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Reads of the containing type's primary-constructor parameters (C# 12 <c>class Model(double scale)</c>) as
/// configuration constants. The generated partial part cannot name the parameter (its scope is the declaration with
/// the parameter list), but a parameter that an instance member reads is captured in a field, which Roslyn names
/// <c>&lt;scale&gt;P</c> (GeneratedNames.MakePrimaryConstructorParameterFieldName); the body reads it through an
/// <c>[UnsafeAccessor(UnsafeAccessorKind.Field)]</c> method. The [Differentiable] method reading the parameter is
/// itself an instance member that reads it, so the field always exists. Where that route is closed (no
/// UnsafeAccessorAttribute before .NET 8, a generic type before .NET 9's generic accessors, a body inlined into
/// another instance), the read stays one SG1002 whose text says what to write instead.
/// </summary>
internal static class PrimaryConstructorParameters
{
    private const string AccessorAttribute = "System.Runtime.CompilerServices.UnsafeAccessorAttribute";

    /// <summary>The parameter's containing type when <paramref name="parameter"/> is a primary-constructor parameter, else null.</summary>
    public static INamedTypeSymbol? TypeOf(IParameterSymbol parameter) =>
        parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
        && constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null })
            ? constructor.ContainingType
            : null;

    /// <summary>Why <paramref name="parameter"/> cannot be read here, or null when it can.</summary>
    public static string? Refusal(IParameterSymbol parameter, Compilation compilation, bool inlined)
    {
        var type = TypeOf(parameter);
        if (type is null)
        {
            return "it is a constructor's parameter";
        }

        var rewrite = "keep the value in a field or property of '" + type.Name + "' ('private readonly " + parameter.Type.ToDisplayString() + " _" + parameter.Name + " = " + parameter.Name + ";'), which is read as a constant";
        if (type.IsRecord)
        {
            return "a record's positional parameter read as the parameter; read its property instead";
        }

        if (compilation.GetTypeByMetadataName(AccessorAttribute) is null)
        {
            return "the generated part of '" + type.Name + "' cannot see it, and reads it through UnsafeAccessor, which needs .NET 8 or later (this project's target framework has none); " + rewrite;
        }

        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsGenericType)
            {
                return "the generated part of '" + type.Name + "' cannot see it, and UnsafeAccessor cannot read the fields of a generic type on .NET 8; " + rewrite;
            }
        }

        if (type.IsRefLikeType || inlined)
        {
            return "the generated part of '" + type.Name + "' cannot see it " + (inlined ? "here (a member read through another instance, or a tensor-bodied method)" : "in a ref struct") + "; " + rewrite;
        }

        return null;
    }

    /// <summary>The C# text that reads <paramref name="parameter"/> in generated code, declaring its accessor; null when <see cref="Refusal"/> says why not.</summary>
    public static string? Read(IParameterSymbol parameter, LoweringContext context, bool inlined)
    {
        // Only a [Differentiable] method's lowering (context.Method) declares accessors with its backward; a tensor-bodied
        // method's generated file has no place for them.
        inlined |= context.Method is null;
        if (Refusal(parameter, context.SemanticModel.Compilation, inlined) is not null || TypeOf(parameter) is not { } type)
        {
            return null;
        }

        var instanceType = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var accessor = context.PrimaryParameters.FirstOrDefault(a => a.FieldName == FieldName(parameter));
        if (accessor is null)
        {
            accessor = new PrimaryParameterAccessor(
                AccessorName(parameter, type, context.Method),
                FieldName(parameter),
                parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                instanceType,
                type.IsValueType);
            context.PrimaryParameters.Add(accessor);
        }

        // Qualified with the type, so that a local of the body named like the accessor cannot shadow it.
        return instanceType + "." + accessor.Name + (accessor.IsStruct ? "(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in this))" : "(this)");
    }

    /// <summary>Roslyn's name for the field that captures a primary-constructor parameter.</summary>
    private static string FieldName(IParameterSymbol parameter) => "<" + parameter.Name + ">P";

    /// <summary>
    /// <c>_{parameter}Of{Method}_{k}</c>, k the method's position among the type's members: the accessor is a member of
    /// the type, declared in the method's file, so each method's accessors need names no other method's can have. The
    /// position names the method (and so its name), and the text after the last underscore is k, so two different
    /// (parameter, method) pairs never meet; overloads, and methods such as <c>F_0</c> or <c>BOfC</c> next to a parameter
    /// <c>aOfB</c>, stay apart. A leading underscore is added while a member of the type has the name.
    /// </summary>
    private static string AccessorName(IParameterSymbol parameter, INamedTypeSymbol type, IMethodSymbol? method)
    {
        var position = method is null ? -1 : type.GetMembers().IndexOf(method, 0, SymbolEqualityComparer.Default);
        var name = "_" + parameter.Name + "Of" + (method?.Name ?? type.Name)
            + (position >= 0 ? "_" + position.ToString(CultureInfo.InvariantCulture) : string.Empty);
        while (type.MemberNames.Contains(name))
        {
            name = "_" + name;
        }

        return name;
    }
}
