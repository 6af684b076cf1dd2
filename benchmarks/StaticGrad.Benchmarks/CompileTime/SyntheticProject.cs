using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// A generated project of <c>[Differentiable]</c> methods in the shapes users write (scalar formulas, locals and
/// Math calls, branches, loops over arrays with [NoGrad] data, loop-carried scalars), ten per file, plus one file
/// with no differentiable code for the unrelated-edit case.
/// </summary>
public sealed class SyntheticProject
{
    public const int MethodsPerFile = 10;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private SyntheticProject(CSharpCompilation compilation, SyntaxTree[] differentiableTrees, SyntaxTree unrelatedTree)
    {
        Compilation = compilation;
        DifferentiableTrees = differentiableTrees;
        UnrelatedTree = unrelatedTree;
    }

    public CSharpCompilation Compilation { get; }

    public SyntaxTree[] DifferentiableTrees { get; }

    public SyntaxTree UnrelatedTree { get; }

    public static SyntheticProject Create(int methods)
    {
        var trees = new List<SyntaxTree>();
        for (var file = 0; file * MethodsPerFile < methods; file++)
        {
            var text = new StringBuilder();
            text.AppendLine("using System;").AppendLine("using StaticGrad;").AppendLine("namespace Synthetic;")
                .AppendLine(CultureInfo.InvariantCulture, $"public static partial class Model{file}").AppendLine("{");
            for (var m = file * MethodsPerFile; m < Math.Min(methods, (file + 1) * MethodsPerFile); m++)
            {
                text.AppendLine(Method(m, edited: false));
            }

            text.AppendLine("}");
            trees.Add(CSharpSyntaxTree.ParseText(text.ToString(), ParseOptions, path: $"Model{file}.cs", encoding: Encoding.UTF8));
        }

        var unrelated = CSharpSyntaxTree.ParseText(Unrelated(0), ParseOptions, path: "Unrelated.cs", encoding: Encoding.UTF8);
        var compilation = CSharpCompilation.Create(
            "Synthetic",
            [.. trees, unrelated],
            [.. Basic.Reference.Assemblies.Net80.References.All, MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return new SyntheticProject(compilation, [.. trees], unrelated);
    }

    /// <summary>The compilation with the body of the first method of the first file changed (one constant).</summary>
    public CSharpCompilation WithOneMethodEdited()
    {
        var tree = DifferentiableTrees[0];
        var text = tree.GetText().ToString();
        var original = Method(0, edited: false);
        var index = text.IndexOf(original, StringComparison.Ordinal);
        var edited = string.Concat(text.AsSpan(0, index), Method(0, edited: true), text.AsSpan(index + original.Length));
        return Compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(edited, ParseOptions, tree.FilePath, Encoding.UTF8));
    }

    /// <summary>The compilation with the file that has no differentiable code edited.</summary>
    public CSharpCompilation WithUnrelatedEdit() =>
        Compilation.ReplaceSyntaxTree(UnrelatedTree, CSharpSyntaxTree.ParseText(Unrelated(1), ParseOptions, UnrelatedTree.FilePath, Encoding.UTF8));

    internal static string Method(int index, bool edited)
    {
        var c = (edited ? 7 : 3) + (index % 5);
        return (index % 5) switch
        {
            0 => Invariant($"    [Differentiable] public static double F{index}(double x, double y) => (1 - x) * (1 - x) + {c}00 * (y - x * x) * (y - x * x);"),
            1 => Invariant($"    [Differentiable] public static double F{index}(double x, double y) {{ var s = Math.Sin(x * {c}); var e = Math.Exp(-y); return s * e + Math.Log(1 + x * x); }}"),
            2 => Invariant($"    [Differentiable] public static double F{index}(double x, double y) {{ if (x > y) {{ return x * y * {c}; }} return x / (1 + y * y); }}"),
            3 => Invariant($"    [Differentiable] public static double F{index}(double[] v, [NoGrad] double[] w) {{ var sum = 0.0; for (var i = 0; i < v.Length; i++) {{ sum += w[i] * v[i] * v[i] / {c}; }} return sum; }}"),
            _ => Invariant($"    [Differentiable] public static double F{index}(double x, double y) {{ var r = x; for (var k = 0; k < {c}; k++) {{ r = r * 0.5 + y * Math.Tanh(r); }} return r; }}"),
        };
    }

    private static string Unrelated(int version) => Invariant($"namespace Synthetic;\npublic static class Unrelated\n{{\n    public static int Version => {version};\n}}\n");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
