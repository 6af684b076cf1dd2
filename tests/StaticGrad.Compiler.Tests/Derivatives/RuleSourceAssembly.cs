using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Compiler.Derivatives;

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

    /// <summary>
    /// The running runtime's own assemblies: the table has rules for math functions newer than the package's net8.0
    /// floor (double.MultiplyAddEstimate, …), and each is checked where it exists.
    /// </summary>
    private static readonly Lazy<MetadataReference[]> RuntimeReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll" || Path.GetFileName(p) == "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>Whether argument <paramref name="index"/> of the rule's function is an integer (ScaleB's and RootN's n, Round's digits).</summary>
    public static bool IsIntegerArgument(BuiltinRule rule, int index) => index == 1 && rule.Name is "ScaleB" or "RootN" or "Round";

    /// <summary>The rule's parameters in a generated test method, e.g. <c>double a0, int a1</c>.</summary>
    public static string Parameters(BuiltinRule rule, string type) =>
        string.Join(", ", Enumerable.Range(0, rule.Arity).Select(i => (IsIntegerArgument(rule, i) ? "int" : type) + " a" + i));

    /// <summary>Where the rule's function is called: Math/MathF, or double/float for the generic-math members and what MathF lacks.</summary>
    public static string Container(BuiltinRule rule, bool isFloat)
    {
        var type = isFloat ? "float" : "double";
        if (rule.IsOnFloatingTypeOnly)
        {
            return type;
        }

        var math = isFloat ? typeof(MathF) : typeof(Math);
        return math.GetMethods().Any(m => m.Name == rule.CalledAs && m.GetParameters().Length == rule.Arity && m.ReturnType == (isFloat ? typeof(float) : typeof(double)))
            ? "global::" + math.FullName
            : type;
    }

    /// <summary>
    /// The C# call the rule's partials are checked against. The estimates (ReciprocalEstimate, ReciprocalSqrtEstimate)
    /// may be a hardware table, flat between its steps; their rules are the derivatives of what they estimate, 1/x and
    /// 1/√x, and are checked against those. A norm's square root (NormSqrt) is the Sqrt it is called as.
    /// </summary>
    public static string PrimalCall(BuiltinRule rule, bool isFloat, IReadOnlyList<string> args) => rule.Name switch
    {
        "ReciprocalEstimate" => "1 / " + args[0],
        "ReciprocalSqrtEstimate" => "1 / " + Container(rule, isFloat) + ".Sqrt(" + args[0] + ")",
        _ => Container(rule, isFloat) + "." + rule.CalledAs + "(" + string.Join(", ", args) + ")",
    };

    /// <summary>Compiles <paramref name="source"/>, failing the test with its diagnostics (what: a phrase naming the text) when it does not compile.</summary>
    public static Assembly Load(string name, string source, string what)
    {
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source) },
            RuntimeReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, what + " do not compile:\n" + string.Join("\n", result.Diagnostics) + "\n" + source);
        stream.Position = 0;
        return new AssemblyLoadContext(name, isCollectible: true).LoadFromStream(stream);
    }
}
