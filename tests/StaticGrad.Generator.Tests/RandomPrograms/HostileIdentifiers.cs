using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Renames the variables of a generated program (and their <c>_0</c> shadows in its finite-difference reference) to
/// names drawn from a pool that contains every name the generator itself emits (<c>seed</c>, <c>_result</c>,
/// <c>_tape</c>, temporaries, flags, the Hessian's and the Tensor overload's locals), <c>d</c>-prefixed names of the
/// program's other variables, and keywords written with <c>@</c>. A clash with a generated name then shows up as a
/// program that does not compile or whose gradient is wrong.
/// </summary>
public static class HostileIdentifiers
{
    /// <summary>Every fixed stem the generator writes into a method (docs/generated-names.md), and keywords.</summary>
    public static readonly IReadOnlyList<string> Pool = new[]
    {
        "seed", "_result", "_returned", "_break", "_continue", "_tape", "_t0", "_t1", "_t2", "_v0", "_v1", "_s0", "_s1",
        "_b0", "_n0", "_y0", "_e0", "_g", "_k", "_zeros", "_scratch", "_value", "_row", "_n", "_args", "_adjoints",
        "_seed", "_record", "_output", "_node", "hessian", "value", "gradOutput", "gradInputs", "d_result", "dSeed", "o", "dx1",
        "_dv4", "_switch", "_array", "_dc5", "_c5", "_z6", "@base", "@in", "@double", "@object", "@do", "@fixed", "@checked", "_bound", "_r0", "_p0", "_zero0", "_before1", "_q", "_Columns", "_columnTermsApart",
        "_seeded", "_scaled", "_cond", "_call", "value2", "_first", "_calls", "_lanes", "_tangent", "_partial", "_taken", "_argument",
    };

    private const double ProgramShare = 0.4;
    private const double VariableShare = 0.6;

    /// <summary>The program with some of its variables renamed (the same program for the same seed); parameters named in its domain comment keep their names.</summary>
    public static string Apply(string source, int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        if (random.NextDouble() >= ProgramShare)
        {
            return source;
        }

        var root = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)).GetRoot();
        var declared = root.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier)
            .Concat(root.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier))
            .Concat(root.DescendantNodes().OfType<ForEachStatementSyntax>().Select(f => f.Identifier))
            .Select(t => t.ValueText)
            .Where(n => !n.EndsWith("_0", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var inDomain = root.DescendantTrivia().Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString().Contains("domain:", StringComparison.Ordinal))
            .SelectMany(t => t.ToString().Split(' ', '=', '[')).ToHashSet(StringComparer.Ordinal);
        var taken = root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToHashSet(StringComparer.Ordinal);

        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in declared.Where(n => !inDomain.Contains(n) && random.NextDouble() < VariableShare))
        {
            var others = declared.Where(n => n != name).Select(n => renames.GetValueOrDefault(n, n).TrimStart('@')).ToList();
            var candidate = random.Next(3) == 0 && others.Count > 0
                ? "d" + Pascal(others[random.Next(others.Count)])
                : Pool[random.Next(Pool.Count)];
            var plain = candidate.TrimStart('@');

            // A derived name can be a keyword (d + o is do): written with @, as a user would have to.
            candidate = SyntaxFacts.GetKeywordKind(plain) == SyntaxKind.None ? plain : "@" + plain;
            if (taken.Add(plain) && taken.Add(plain + "_0"))
            {
                renames[name] = candidate;
            }
        }

        if (renames.Count == 0)
        {
            return source;
        }

        // Spliced as text: a verbatim name (@base) is then written exactly as a user would write it.
        var text = new System.Text.StringBuilder(source);
        foreach (var token in root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Reverse())
        {
            if (Target(token.ValueText, renames) is { } target)
            {
                text.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, target);
            }
        }

        return text.ToString();
    }

    private static string? Target(string name, Dictionary<string, string> renames)
    {
        if (renames.TryGetValue(name, out var target))
        {
            return target;
        }

        return name.EndsWith("_0", StringComparison.Ordinal) && renames.TryGetValue(name[..^2], out var shadowed) ? shadowed + "_0" : null;
    }

    private static string Pascal(string name) => name.Length <= 1 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
