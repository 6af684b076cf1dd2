using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StaticGrad.Compiler.Tests.Derivatives;

/// <summary>
/// Compiles the C# text of derivative rules into a collectible assembly, so the rule tests can evaluate each partial
/// as the generated code would; methods are named by <see cref="MethodName"/>.
/// </summary>
internal static class RuleSourceAssembly
{
    /// <summary><c>F_Exp1D</c> for a function, <c>D_Exp1D_0</c> for its partial with respect to argument 0.</summary>
    public static string MethodName(string prefix, string name, int arity, bool isFloat, int argument) =>
        prefix + "_" + name + arity + (isFloat ? "F" : "D") + (argument >= 0 ? "_" + argument : string.Empty);

    /// <summary>Compiles <paramref name="source"/>, failing the test with its diagnostics (what: a phrase naming the text) when it does not compile.</summary>
    public static Assembly Load(string name, string source, string what)
    {
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source) },
            Basic.Reference.Assemblies.Net80.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, what + " do not compile:\n" + string.Join("\n", result.Diagnostics) + "\n" + source);
        stream.Position = 0;
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
    }
}
