using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Hygiene;

/// <summary>
/// The backward's parameter names as README and docs/generated-names.md promise them, worked out from the method's
/// source independently of the compiler: <c>d</c> + the name with its first letter in upper case (a one-letter name
/// keeps its case), then <c>seed</c>; a name the method already uses (parameter, local, an earlier adjoint) or a
/// keyword gets the first free suffix <c>_1</c>, <c>_2</c>, ….
/// </summary>
internal sealed class DocumentedNames
{
    private readonly HashSet<string> _taken;

    public DocumentedNames(MethodUnderTest method)
    {
        var declaration = CSharpSyntaxTree.ParseText("class C\n{\n" + method.SourceText + "\n}\n", GeneratorHarness.ParseOptions).GetRoot()
            .DescendantNodesAndSelf().OfType<MethodDeclarationSyntax>().First();
        _taken = declaration.ParameterList.Parameters.Select(p => p.Identifier.ValueText)
            .Concat(declaration.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier.ValueText))
            .Concat(declaration.DescendantNodes().OfType<ForEachStatementSyntax>().Select(f => f.Identifier.ValueText))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Call in parameter order, then <see cref="Seed"/>: each name taken here is taken for the next ones.</summary>
    public string Adjoint(string parameter) =>
        Fresh("d" + (parameter.Length == 1 ? parameter : char.ToUpperInvariant(parameter[0]) + parameter[1..]));

    public string Seed() => Fresh("seed");

    private string Fresh(string stem)
    {
        var name = stem;
        for (var i = 1; SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || !_taken.Add(name); i++)
        {
            name = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
