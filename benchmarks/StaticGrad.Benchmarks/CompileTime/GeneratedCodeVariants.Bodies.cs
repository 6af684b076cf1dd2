using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// Body-level variants (docs/benchmarks.md, "Build cost", session 18): one kind of statement of the generated method
/// bodies taken out or rewritten at a time, so that its paired ratio to "as generated" is what that construct costs
/// the compiler. Unlike the file-level variants, some of these change what the code computes (the tape calls
/// removed): they measure compile cost only, and each must still compile.
/// </summary>
public static partial class GeneratedCodeVariants
{
    private static readonly (string Name, Func<string, string> Edit)[] BodyEdits =
    [
        ("no block-local register copies", WithoutRegisterCopies),
        ("no adjoint locals of ref parameters", WithoutAdjointLocals),
        ("single-use temporaries inlined", WithSingleUseTemporariesInlined),
        ("no tape push/pop calls", WithoutTapeCalls),
        ("Math without global::System.", s => "using System;\n" + s.Replace("global::System.Math.", "Math.", StringComparison.Ordinal)),
        ("no // comments in bodies", s => LineComment().Replace(s, string.Empty)),
        ("no redundant zero initialisers", WithoutZeroInitialisers),
    ];

    /// <summary>
    /// The block-local copies the emitter writes around loops for the JIT (<c>{ var _i = i; … i = _i; }</c>) taken
    /// out: the block's statements read and write the method's locals themselves.
    /// </summary>
    private static string WithoutRegisterCopies(string text)
    {
        var root = Root(text);
        var blocks = root.DescendantNodes().OfType<BlockSyntax>().Where(b => b.Parent is BlockSyntax && Copies(b).Count > 0);
        return root.ReplaceNodes(blocks, (_, rewritten) => Unwrapped(rewritten)).ToFullString();

        static BlockSyntax Unwrapped(BlockSyntax block)
        {
            var copies = Copies(block);
            var statements = block.Statements.Skip(copies.Count).ToList();
            while (statements.Count > 0 && statements[^1] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left, Right: IdentifierNameSyntax right } }
                && copies.TryGetValue(right.Identifier.ValueText, out var original) && original == left.Identifier.ValueText)
            {
                statements.RemoveAt(statements.Count - 1);
            }

            return (BlockSyntax)new Renamer(copies).Visit(block.WithStatements(SyntaxFactory.List(statements)));
        }
    }

    /// <summary>The leading <c>var _copy = original;</c> statements of a block: copy name → original name.</summary>
    private static Dictionary<string, string> Copies(BlockSyntax block)
    {
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var statement in block.Statements)
        {
            if (statement is not LocalDeclarationStatementSyntax { Declaration: { Type.IsVar: true, Variables: [{ Initializer.Value: IdentifierNameSyntax original } variable] } }
                || !variable.Identifier.ValueText.StartsWith('_'))
            {
                break;
            }

            copies[variable.Identifier.ValueText] = original.Identifier.ValueText;
        }

        return copies;
    }

    /// <summary>
    /// A scalar <c>ref</c> parameter's adjoint accumulated in the parameter itself instead of a local that is added
    /// once at the end (<c>double _dx = 0.0;</c> … <c>dx += _dx;</c>).
    /// </summary>
    private static string WithoutAdjointLocals(string text)
    {
        var root = Root(text);
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null);
        return root.ReplaceNodes(methods, (_, method) =>
        {
            var refs = method.ParameterList.Parameters.Where(p => p.Modifiers.Any(SyntaxKind.RefKeyword)).Select(p => p.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
            var finals = method.Body!.Statements.OfType<ExpressionStatementSyntax>()
                .Where(s => s.Expression is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax left, Right: IdentifierNameSyntax right }
                    && refs.Contains(left.Identifier.ValueText) && right.Identifier.ValueText == "_" + left.Identifier.ValueText)
                .ToList();
            var locals = finals.Select(s => ((AssignmentExpressionSyntax)s.Expression).Left.ToString()).ToDictionary(p => "_" + p, p => p, StringComparer.Ordinal);
            var declarations = method.Body.Statements.OfType<LocalDeclarationStatementSyntax>().Where(d => d.Declaration.Variables is [var v] && locals.ContainsKey(v.Identifier.ValueText));
            var body = method.Body.RemoveNodes(finals.Concat<SyntaxNode>(declarations), SyntaxRemoveOptions.KeepNoTrivia)!;
            return method.WithBody((BlockSyntax)new Renamer(locals).Visit(body));
        }).ToFullString();
    }

    /// <summary>
    /// Every <c>double _tN = …;</c> read exactly once, later in the same block, replaced by its value in parentheses:
    /// long expressions instead of temporaries (one statement and one local less per temporary).
    /// </summary>
    private static string WithSingleUseTemporariesInlined(string text)
    {
        var root = Root(text);
        while (true)
        {
            var candidate = root.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
                .Select(d => (Declaration: d, Variable: d.Declaration.Variables is [{ Initializer: not null } v] && Regex.IsMatch(v.Identifier.ValueText, "^_t[0-9]+$") ? v : null))
                .Where(c => c.Variable is not null && c.Declaration.Parent is BlockSyntax)
                .Select(c => (c.Declaration, c.Variable, Uses: c.Declaration.Parent!.DescendantNodes().OfType<IdentifierNameSyntax>().Where(i => i.Identifier.ValueText == c.Variable!.Identifier.ValueText).ToList()))
                .FirstOrDefault(c => c.Uses.Count == 1 && c.Uses[0].SpanStart > c.Declaration.Span.End);
            if (candidate.Declaration is null)
            {
                return root.ToFullString();
            }

            var value = SyntaxFactory.ParenthesizedExpression(candidate.Variable!.Initializer!.Value.WithoutTrivia());
            root = root.ReplaceNode(candidate.Uses[0], value);
            var declaration = root.DescendantNodes().OfType<LocalDeclarationStatementSyntax>().First(d => d.Declaration.Variables is [var v] && v.Identifier.ValueText == candidate.Variable.Identifier.ValueText);
            root = root.RemoveNode(declaration, SyntaxRemoveOptions.KeepNoTrivia)!;
        }
    }

    /// <summary>The tape's pushes removed and its pops replaced by a literal of their type.</summary>
    private static string WithoutTapeCalls(string text)
    {
        var root = Root(text);
        var pushes = root.DescendantNodes().OfType<ExpressionStatementSyntax>().Where(s => s.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Push" or "PushArray" } });
        root = root.RemoveNodes(pushes, SyntaxRemoveOptions.KeepNoTrivia)!;
        var pops = root.DescendantNodes().OfType<InvocationExpressionSyntax>().Where(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } && name.StartsWith("Pop", StringComparison.Ordinal));
        return root.ReplaceNodes(pops, (_, pop) => SyntaxFactory.ParseExpression(((MemberAccessExpressionSyntax)pop.Expression).Name.Identifier.ValueText switch
        {
            "PopDouble" => "0.0",
            "PopSingle" => "0f",
            "PopInt64" => "0L",
            "PopBoolean" => "false",
            _ => "0",
        })).ToFullString();
    }

    /// <summary>
    /// The up-front <c>T x = 0;</c> declarations of the method's locals left without a value where the method
    /// assigns the local before any read in straight-line order (a rough test: the first mention is an assignment
    /// statement at the method's top level); the others keep their zero.
    /// </summary>
    private static string WithoutZeroInitialisers(string text)
    {
        var root = Root(text);
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null);
        return root.ReplaceNodes(methods, (_, method) =>
        {
            var statements = method.Body!.Statements;
            var declarations = statements.OfType<LocalDeclarationStatementSyntax>()
                .Where(d => d.Declaration.Variables is [{ Initializer.Value: LiteralExpressionSyntax } v] && AssignedFirst(statements, d, v.Identifier.ValueText))
                .ToList();
            return method.ReplaceNodes(declarations, (_, d) => d.WithDeclaration(d.Declaration.WithVariables(SyntaxFactory.SingletonSeparatedList(d.Declaration.Variables[0].WithInitializer(null)))));
        }).ToFullString();

        static bool AssignedFirst(SyntaxList<StatementSyntax> statements, LocalDeclarationStatementSyntax declaration, string name)
        {
            foreach (var statement in statements.SkipWhile(s => s != declaration).Skip(1))
            {
                var mentions = statement.DescendantNodes().OfType<IdentifierNameSyntax>().Where(i => i.Identifier.ValueText == name).ToList();
                if (mentions.Count > 0)
                {
                    return statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax left } assignment }
                        && left.Identifier.ValueText == name && !assignment.Right.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);
                }
            }

            return false;
        }
    }

    private static SyntaxNode Root(string text) => CSharpSyntaxTree.ParseText(text, SyntheticProject.ParseOptions).GetRoot();

    [GeneratedRegex(@"^[ \t]*//(?!/).*\n", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    /// <summary>Renames identifiers (only names that the emitter minted, so no user name can be caught).</summary>
    private sealed class Renamer(IReadOnlyDictionary<string, string> names) : CSharpSyntaxRewriter
    {
        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node) =>
            names.TryGetValue(node.Identifier.ValueText, out var name) ? node.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, name, node.Identifier.TrailingTrivia)) : node;
    }
}
