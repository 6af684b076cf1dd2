using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// What the generated code makes the compiler do, per kind of text (docs/benchmarks.md, "Build cost", session 15): the
/// realistic project's generated files compiled as plain sources beside the user's, once as generated and once per
/// variant that takes one feature out of their text (the nullable context, doc comments, the GeneratedCode
/// attribute), in turn in one warm process, single-threaded, so that a variant's ratio to "as generated" is what that
/// feature costs. A variant changes text only, never what the code computes, and every variant must still compile.
/// Also counts where the generated lines go, by kind of line.
/// </summary>
/// <remarks>
/// Usage: <c>--build-cost-variants [methods, default 300] [counted rounds, default 10] [folder to write the generated
/// files to, or -] [variants to run besides the first two: parts of their names separated by |] [a folder of files an
/// earlier generator wrote, compiled as one more variant]</c>.
/// </remarks>
public static partial class GeneratedCodeVariants
{
    public const string Switch = "--build-cost-variants";

    public static int Run(IReadOnlyList<string> args)
    {
        var methods = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var rounds = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var user = BuildCostProjects.Sources(methods, RealisticProject.Method).Select(s => s.Text).ToArray();
        var generated = InProcessBuildCost.GeneratedSources(user);
        if (args.Count > 2 && args[2] != "-")
        {
            Directory.CreateDirectory(args[2]);
            for (var i = 0; i < generated.Length; i++)
            {
                File.WriteAllText(Path.Combine(args[2], Invariant($"Generated{i}.g.cs")), generated[i]);
            }
        }

        Console.WriteLine(Invariant($"{methods} methods, {user.Sum(InProcessBuildCost.Lines)} user lines; {generated.Length} generated files, {generated.Sum(InProcessBuildCost.Lines)} lines ({(double)generated.Sum(InProcessBuildCost.Lines) / user.Sum(InProcessBuildCost.Lines):F2} per user line)"));
        CountLines(generated);

        var docs = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var variants = new (string Name, Func<string, string> Edit, CSharpParseOptions Parse)[]
        {
            ("without the generated files", _ => string.Empty, SyntheticProject.ParseOptions),
            ("as generated", s => s, SyntheticProject.ParseOptions),
            ("#nullable enable (warnings too)", s => Nullable().Replace(s, "#nullable enable"), SyntheticProject.ParseOptions),
            ("#nullable enable annotations", s => Nullable().Replace(s, "#nullable enable annotations"), SyntheticProject.ParseOptions),
            ("#nullable disable", s => Nullable().Replace(s, "#nullable disable"), SyntheticProject.ParseOptions),
            ("no #nullable line (project: enable)", s => Nullable().Replace(s, string.Empty), SyntheticProject.ParseOptions),
            ("no doc comments", s => DocComment().Replace(s, string.Empty), SyntheticProject.ParseOptions),
            ("no GeneratedCode attribute", s => GeneratedCodeAttribute().Replace(s, string.Empty), SyntheticProject.ParseOptions),
            ("as generated, documentation file", s => s, docs),
            ("no doc comments, documentation file", s => DocComment().Replace(s, string.Empty), docs),
        };

        // Variants of the whole set of files rather than of each file's text: how the code is split into trees,
        // and how much of its cost is the bodies rather than the declarations.
        var sets = new (string Name, Func<string[], string[]> Edit)[]
        {
            ("one file per containing type", OneFilePerType),
            ("one file for all", g => [string.Join("\n", g)]),
            ("bodies replaced by throw", g => g.Select(WithoutBodies).ToArray()),
        };
        if (args.Count > 4)
        {
            // Another generator's files (written by an earlier build with the third argument), for old ÷ new pairs.
            var earlier = Directory.GetFiles(args[4], "*.g.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
            sets = [.. sets, ("files in " + args[4], _ => earlier)];
        }

        variants = [.. variants, .. BodyEdits.Select(b => (b.Name, b.Edit, SyntheticProject.ParseOptions)), .. sets.Select(s => (s.Name, (Func<string, string>)(t => t), SyntheticProject.ParseOptions))];
        var trees = variants.Take(variants.Length - sets.Length).Select(v => generated.Select(g => v.Edit(g)).Where(t => t.Length > 0).ToArray())
            .Concat(sets.Select(s => s.Edit(generated)))
            .ToList();

        // The same text compiled part of the way or with other options: which phase of the compiler the generated
        // code's time is in (parse and declare; bind and flow analysis; lowering, optimisation and IL), and what the
        // release optimiser adds.
        var modes = new (string Name, int Text, Action<CSharpCompilation> Compile)[]
        {
            ("without, declarations only", 0, c => c.GetDeclarationDiagnostics()),
            ("without, bound (no emit)", 0, c => c.GetDiagnostics()),
            ("as generated, declarations only", 1, c => c.GetDeclarationDiagnostics()),
            ("as generated, bound (no emit)", 1, c => c.GetDiagnostics()),
            ("as generated, Debug (no optimiser)", 1, c => Emit(c.WithOptions(c.Options.WithOptimizationLevel(OptimizationLevel.Debug)))),
        };
        var runs = variants.Select((v, i) => (v.Name, Trees: trees[i], v.Parse, Compile: (Action<CSharpCompilation>)Emit))
            .Concat(modes.Select(m => (m.Name, Trees: trees[m.Text], variants[m.Text].Parse, m.Compile)))
            .Where((r, i) => i < 2 || args.Count < 4 || args[3].Split('|').Any(f => r.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        Console.WriteLine(Invariant($"trees/lines/characters per variant: {string.Join(", ", runs.Select(r => $"{r.Name} {r.Trees.Length}/{r.Trees.Sum(InProcessBuildCost.Lines)}/{r.Trees.Sum(t => t.Length)}"))}"));
        var cpu = runs.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = -Math.Max(3, rounds / 2); round < rounds; round++)
        {
            // Rotating order, so that no variant always runs right after the same one.
            for (var k = 0; k < runs.Length; k++)
            {
                var (name, runTrees, parse, compile) = runs[(((k + round) % runs.Length) + runs.Length) % runs.Length];
                var sources = user.Concat(runTrees).ToArray();
                var seconds = InProcessBuildCost.CpuSeconds(() => compile(InProcessBuildCost.Compilation(sources, runtime: true, parse)));
                if (round >= 0)
                {
                    cpu[name].Add(seconds);
                }
            }
        }

        var baseline = cpu[variants[1].Name];
        var without = cpu[variants[0].Name];
        Console.WriteLine(Invariant($"{rounds} counted rounds after warm-up; CPU ms median (min-max); ratio = median of the paired ratios to 'as generated'; generated part = (variant - without) / (as generated - without), medians"));
        foreach (var name in runs.Select(r => r.Name))
        {
            var ratios = cpu[name].Zip(baseline, (a, b) => a / b).ToList();
            var part = (InProcessBuildCost.Median(cpu[name]) - InProcessBuildCost.Median(without)) / (InProcessBuildCost.Median(baseline) - InProcessBuildCost.Median(without));
            Console.WriteLine(Invariant($"  {name,-38} {1000 * InProcessBuildCost.Median(cpu[name]),7:F0} ({1000 * cpu[name].Min():F0}-{1000 * cpu[name].Max():F0})   x{InProcessBuildCost.Median(ratios):F2}   generated part {part:F2}"));
        }

        return 0;
    }

    /// <summary>Where the generated lines go, by what a line is (a rough reading of the text, for the report).</summary>
    private static void CountLines(string[] generated)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in generated.SelectMany(g => g.Split('\n')).Select(l => l.Trim()))
        {
            var kind = line switch
            {
                "" => "blank",
                "{" or "}" or "};" => "brace",
                _ when line.StartsWith("///", StringComparison.Ordinal) => "doc comment",
                _ when line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('#') => "comment or directive",
                _ when line.StartsWith('[') => "attribute",
                _ when line.StartsWith("namespace ", StringComparison.Ordinal) || line.Contains("partial ", StringComparison.Ordinal) => "namespace or type",
                _ when Regex.IsMatch(line, @"^(public|internal|private|static).*\(") => "method signature",
                _ when Regex.IsMatch(line, @"^(double|float|int|bool|var|long)\b[^=(]*;$") => "declaration without value",
                _ when Regex.IsMatch(line, @"^(double|float|int|bool|var|long)\b.*=") => "declaration with value",
                _ when Regex.IsMatch(line, @"^\w+ \+= ") => "adjoint accumulation (+=)",
                _ when line.StartsWith("for ", StringComparison.Ordinal) || line.StartsWith("if ", StringComparison.Ordinal) || line.StartsWith("else", StringComparison.Ordinal) || line.StartsWith("while", StringComparison.Ordinal) => "control flow",
                _ when line.StartsWith("return", StringComparison.Ordinal) => "return",
                _ => "other statement",
            };
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }

        Console.WriteLine("generated lines by kind: " + string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => Invariant($"{c.Key} {c.Value}"))));
    }

    /// <summary>The files of one containing type as one text (each keeps its own namespace block).</summary>
    private static string[] OneFilePerType(string[] generated) =>
        generated.GroupBy(g => Regex.Match(g, @"partial (?:class|struct|record) (\w+)").Groups[1].Value, StringComparer.Ordinal)
            .Select(group => string.Join("\n", group))
            .ToArray();

    /// <summary>Every method body replaced by <c>throw null!</c>: the declarations without what they compute.</summary>
    private static string WithoutBodies(string text)
    {
        var root = CSharpSyntaxTree.ParseText(text, SyntheticProject.ParseOptions).GetRoot();
        var rewritten = root.ReplaceNodes(
            root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Where(m => m.Body is not null || m.ExpressionBody is not null),
            (_, m) => m.WithBody(null).WithExpressionBody(SyntaxFactory.ArrowExpressionClause(SyntaxFactory.ParseExpression("throw null!"))).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)));
        return rewritten.ToFullString();
    }

    [GeneratedRegex(@"^#nullable .*$", RegexOptions.Multiline)]
    private static partial Regex Nullable();

    [GeneratedRegex(@"^[ \t]*///.*\n", RegexOptions.Multiline)]
    private static partial Regex DocComment();

    [GeneratedRegex(@"^[ \t]*\[global::System\.CodeDom\.Compiler\.GeneratedCode\(.*\)\]\n", RegexOptions.Multiline)]
    private static partial Regex GeneratedCodeAttribute();

    private static void Emit(CSharpCompilation compilation)
    {
        using var stream = new MemoryStream();
        using var documentation = new MemoryStream();
        var writesDocumentation = compilation.SyntaxTrees.First().Options.DocumentationMode == DocumentationMode.Diagnose;
        var result = compilation.Emit(stream, xmlDocumentationStream: writesDocumentation ? documentation : null);
        if (!result.Success)
        {
            throw new InvalidOperationException("A variant does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
