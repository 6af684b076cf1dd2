using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Compiler.Lowering;

namespace StaticGrad.Compiler.Tests.Lowering;

/// <summary>
/// <see cref="SymbolNames.Is"/> agrees with comparing <c>ToDisplayString()</c>, which it replaces: for every type and
/// namespace of a small compilation against names that differ in one part, one dot or one prefix.
/// </summary>
public sealed class SymbolNamesTests
{
    private static readonly Compilation s_compilation = CSharpCompilation.Create(
        "names",
        new[]
        {
            CSharpSyntaxTree.ParseText("""
                namespace StaticGrad { public sealed class DifferentiableAttribute : System.Attribute { } public class Outer { public class Inner { } } }
                namespace XStaticGrad { public sealed class DifferentiableAttribute : System.Attribute { } }
                namespace StaticGrad.CompilerServices { public sealed class DerivativeRulesAttribute : System.Attribute { } }
                public class DifferentiableAttribute : System.Attribute { }
                """),
        },
        new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });

    private static readonly string[] s_names =
    {
        "StaticGrad.DifferentiableAttribute", "XStaticGrad.DifferentiableAttribute", "DifferentiableAttribute", "StaticGrad",
        "StaticGrad.Outer.Inner", "StaticGrad.Outer", "Outer.Inner", "StaticGrad.CompilerServices.DerivativeRulesAttribute",
        "StaticGrad.CompilerServices", "CompilerServices.DerivativeRulesAttribute", "System.Math", "System", "Math", ".Math", "System..Math", "",
    };

    public static TheoryData<string> Symbols()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[] { "StaticGrad.DifferentiableAttribute", "XStaticGrad.DifferentiableAttribute", "DifferentiableAttribute", "StaticGrad.Outer+Inner", "StaticGrad.CompilerServices.DerivativeRulesAttribute", "System.Math" })
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Symbols))]
    public void Agrees_with_the_display_string_for_the_type_and_its_namespaces(string metadataName)
    {
        var type = s_compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        for (ISymbol? symbol = type; symbol is not null and not INamespaceSymbol { IsGlobalNamespace: true }; symbol = symbol.ContainingSymbol)
        {
            foreach (var name in s_names)
            {
                Assert.Equal(symbol.ToDisplayString() == name, SymbolNames.Is(symbol, name));
            }
        }
    }

    [Fact]
    public void Null_and_the_global_namespace_are_no_name()
    {
        Assert.False(SymbolNames.Is(null, "System"));
        Assert.False(SymbolNames.Is(s_compilation.GlobalNamespace, string.Empty));
    }
}
