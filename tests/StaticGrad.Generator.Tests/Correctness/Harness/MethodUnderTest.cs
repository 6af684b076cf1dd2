using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>
/// A [Differentiable] method read from test source: where it lives, its parameters and the domain its test points
/// are drawn from (a <c>// domain: x=0.5..3 n=1..4 a[6]=-1..1</c> comment above the method). A method
/// <c>{Name}_FdReference</c> with the parameters twice (the second set is the base point) is the function finite
/// differences are taken of when Detach or NoGrad make the gradient differ from the plain function's.
/// </summary>
public sealed record MethodUnderTest(
    string Namespace,
    string TypeName,
    IReadOnlyList<string> ContainingTypes,
    string Name,
    bool IsStatic,
    bool ReturnsFloat,
    IReadOnlyList<ParameterShape> Parameters,
    bool HasFdReference,
    string SourceText)
{
    public string Key => TypeName + "." + Name;

    public string FullTypeName => "global::" + (Namespace.Length > 0 ? Namespace + "." : "") + string.Join(".", ContainingTypes);

    public string ReflectionTypeName => (Namespace.Length > 0 ? Namespace + "." : "") + string.Join("+", ContainingTypes);

    public IEnumerable<ParameterShape> Differentiable => Parameters.Where(p => p.IsDifferentiable);

    public override string ToString() => Key;

    /// <summary>The keys of <paramref name="methods"/>, as the data of a theory over them.</summary>
    public static TheoryData<string> Keys(IEnumerable<MethodUnderTest> methods)
    {
        var data = new TheoryData<string>();
        foreach (var m in methods)
        {
            data.Add(m.Key);
        }

        return data;
    }

    /// <summary>Reads every [Differentiable] method declared in <paramref name="source"/> that is not private.</summary>
    public static IReadOnlyList<MethodUnderTest> ReadAll(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>().ToArray();
        var names = methods.Select(m => m.Identifier.Text).ToHashSet(StringComparer.Ordinal);
        var result = new List<MethodUnderTest>();
        foreach (var method in methods.Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Differentiable" or "StaticGrad.Differentiable")))
        {
            // A private [Differentiable] method is a helper (it may take structs, which points cannot be drawn for):
            // its derivative is checked through the public methods that call it.
            if (method.Modifiers.Any(SyntaxKind.PrivateKeyword))
            {
                continue;
            }

            var type = (TypeDeclarationSyntax)method.Parent!;
            var ns = method.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString() ?? "";
            var domain = ParseDomain(method);
            var parameters = method.ParameterList.Parameters.Select(p => Shape(p, domain)).ToArray();
            result.Add(new MethodUnderTest(
                ns,
                type.Identifier.Text,
                method.Ancestors().OfType<TypeDeclarationSyntax>().Reverse().Select(t => t.Identifier.Text).ToArray(),
                method.Identifier.Text,
                method.Modifiers.Any(SyntaxKind.StaticKeyword),
                method.ReturnType.ToString() == "float",
                parameters,
                names.Contains(method.Identifier.Text + "_FdReference"),
                method.ToFullString().Trim()));
        }

        return result;
    }

    private static ParameterShape Shape(ParameterSyntax parameter, IReadOnlyDictionary<string, (double Min, double Max, int Length, int Columns)> domain)
    {
        var kind = ParameterShape.KindOf(parameter.Type!.ToString());
        var noGrad = parameter.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "NoGrad" or "StaticGrad.NoGrad");
        var name = parameter.Identifier.Text;
        var (min, max, length, columns) = domain.TryGetValue(name, out var d) ? d : kind switch
        {
            ParameterKind.Int => (1, 4, 0, 0),
            ParameterKind.Bool => (0, 1, 0, 0),
            ParameterKind.Double or ParameterKind.Float => (-2, 2, 0, 0),
            _ => (-1, 1, 4, 0),
        };
        var rows = kind is ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged;
        return new ParameterShape(name, kind, noGrad, min, max, length == 0 && kind is not (ParameterKind.Double or ParameterKind.Float or ParameterKind.Int or ParameterKind.Bool) ? 4 : length)
        {
            Columns = rows && columns == 0 ? 2 : columns,
        };
    }

    /// <summary>Ranges by name; <c>a[6]</c> gives a length, <c>m[2x3]</c> rows and columns (length 6, 3 columns).</summary>
    private static Dictionary<string, (double, double, int, int)> ParseDomain(MethodDeclarationSyntax method)
    {
        var result = new Dictionary<string, (double, double, int, int)>(StringComparer.Ordinal);
        var comment = method.GetLeadingTrivia().Select(t => t.ToString().Trim()).FirstOrDefault(t => t.StartsWith("// domain:", StringComparison.Ordinal));
        if (comment is null)
        {
            return result;
        }

        foreach (var item in comment["// domain:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            var name = item[..eq];
            var (length, columns) = (0, 0);
            if (name.IndexOf('[') is var bracket and > 0)
            {
                var sizes = name[(bracket + 1)..^1].Split('x').Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                (length, columns) = sizes.Length == 2 ? (sizes[0] * sizes[1], sizes[1]) : (sizes[0], 0);
                name = name[..bracket];
            }

            var range = item[(eq + 1)..].Split("..");
            result[name] = (Parse(range[0]), Parse(range[1]), length, columns);
        }

        return result;
    }

    private static double Parse(string text) => double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}
