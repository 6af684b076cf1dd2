using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Model;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// Writes the generated methods of a generic-math method over its type parameter. The method is differentiated as if
/// <c>T</c> were <c>double</c> (so every rule of the one table serves it); this pass then reads the generated file and
/// spells that double as <c>T</c>: <c>double</c>/<c>float</c> → <c>T</c>, literals → <c>T.One</c>,
/// <c>T.CreateChecked(2.5)</c>, <c>Math.Exp</c> → <c>T.Exp</c>, casts → <c>T.CreateChecked(e)</c>, the tape's typed
/// pops and buffers → their generic forms, <c>stackalloc</c> → an array; each method gets the type parameter and its
/// constraints. A parameter default (the seed's <c>= 1.0</c>) cannot be <c>T.One</c>, so the seed loses its default and
/// an overload without it passes <c>T.One</c>.
/// </summary>
/// <remarks>
/// The output needs C# 11 (static abstract interface members), which the user's generic-math method already needs.
/// </remarks>
public static class GenericRetyping
{
    public static string? Apply(string? source, DifferentiableMethodSpec spec)
    {
        if (source is null || spec.Generic is not { } generic)
        {
            return source;
        }

        source = source.Replace("cref=\"" + spec.Method.Name + "(", "cref=\"" + spec.Method.Name + "{" + generic.TypeParameter + "}(");
        var options = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);
        var root = CSharpSyntaxTree.ParseText(source, options).GetRoot();
        var constraints = ParseMemberDeclaration("void M<" + generic.TypeParameter + ">() " + generic.Constraints + " { }", options: options) is MethodDeclarationSyntax template
            ? template.ConstraintClauses
            : default;
        var rewritten = new Rewriter(generic.TypeParameter, constraints).Visit(root);
        return rewritten.ToFullString();
    }

    private sealed class Rewriter : CSharpSyntaxRewriter
    {
        private readonly string _t;
        private readonly SyntaxList<TypeParameterConstraintClauseSyntax> _constraints;

        public Rewriter(string typeParameter, SyntaxList<TypeParameterConstraintClauseSyntax> constraints)
            : base(visitIntoStructuredTrivia: true)
        {
            _t = typeParameter;
            _constraints = constraints;
        }

        public override SyntaxNode? VisitPredefinedType(PredefinedTypeSyntax node) =>
            node.Keyword.Kind() is SyntaxKind.DoubleKeyword or SyntaxKind.FloatKeyword ? IdentifierName(_t).WithTriviaFrom(node) : node;

        public override SyntaxNode? VisitLiteralExpression(LiteralExpressionSyntax node)
        {
            if (!node.IsKind(SyntaxKind.NumericLiteralExpression) || node.Token.Value is not (double or float))
            {
                return node;
            }

            var value = System.Convert.ToDouble(node.Token.Value, System.Globalization.CultureInfo.InvariantCulture);
            ExpressionSyntax replacement = value switch
            {
                0 => Member("Zero"),
                1 => Member("One"),
                _ => Create(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(IndentedWriter.Literal(value), value))),
            };
            return replacement.WithTriviaFrom(node);
        }

        public override SyntaxNode? VisitCastExpression(CastExpressionSyntax node)
        {
            var visited = (CastExpressionSyntax)base.VisitCastExpression(node)!;
            return node.Type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.DoubleKeyword or (int)SyntaxKind.FloatKeyword }
                ? Create(visited.Expression).WithTriviaFrom(node)
                : visited;
        }

        public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
        {
            var text = node.Expression.ToString();
            if (text is "global::System.Math" or "global::System.MathF")
            {
                return node.WithExpression(IdentifierName(_t).WithTriviaFrom(node.Expression)).WithName((SimpleNameSyntax)Visit(node.Name)!);
            }

            if (text.EndsWith("StaticGrad.CompilerServices.AdTape", System.StringComparison.Ordinal) || node.Name.Identifier.Text is "PopDouble" or "PopSingle")
            {
                var generic = node.Name.Identifier.Text switch
                {
                    "PopDouble" or "PopSingle" => "Pop",
                    "RentDoubles" or "RentSingles" => "Rent",
                    _ => null,
                };
                if (generic is not null)
                {
                    return node.WithExpression((ExpressionSyntax)Visit(node.Expression)!)
                        .WithName(GenericName(Identifier(generic), TypeArgumentList(SingletonSeparatedList<TypeSyntax>(IdentifierName(_t)))).WithTriviaFrom(node.Name));
                }
            }

            return base.VisitMemberAccessExpression(node);
        }

        // 'new' needs its space: the stackalloc's type follows its keyword's trailing trivia, which is not carried over
        // (Span<T> s = stackalloc double[n] printed 'newT[n]', CS0103).
        public override SyntaxNode? VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node) =>
            ArrayCreationExpression(Token(SyntaxKind.NewKeyword).WithTrailingTrivia(Space), ((ArrayTypeSyntax)Visit(node.Type)!).WithoutLeadingTrivia(), null).WithTriviaFrom(node);

        public override SyntaxNode? VisitClassDeclaration(ClassDeclarationSyntax node) => WithSeedOverloads((TypeDeclarationSyntax)base.VisitClassDeclaration(node)!);

        public override SyntaxNode? VisitStructDeclaration(StructDeclarationSyntax node) => WithSeedOverloads((TypeDeclarationSyntax)base.VisitStructDeclaration(node)!);

        public override SyntaxNode? VisitRecordDeclaration(RecordDeclarationSyntax node) => WithSeedOverloads((TypeDeclarationSyntax)base.VisitRecordDeclaration(node)!);

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            var typeParameters = TypeParameterList(SingletonSeparatedList(TypeParameter(_t)));
            var constraints = _constraints.Select(c => c.WithLeadingTrivia(Space)).ToList();
            var parameters = visited.ParameterList;
            var body = visited.Body;
            return visited
                .WithIdentifier(visited.Identifier.WithTrailingTrivia())
                .WithTypeParameterList(typeParameters)
                .WithParameterList(parameters.WithCloseParenToken(parameters.CloseParenToken.WithTrailingTrivia()))
                .WithConstraintClauses(List(constraints.Select((c, i) => i == constraints.Count - 1 && body is not null ? c.WithTrailingTrivia(parameters.CloseParenToken.TrailingTrivia) : c)));
        }

        /// <summary>The methods whose last parameter had a default (the seed) lose it and gain an overload that passes <c>T.One</c>.</summary>
        private TypeDeclarationSyntax WithSeedOverloads(TypeDeclarationSyntax type)
        {
            var members = type.Members;
            foreach (var method in type.Members.OfType<MethodDeclarationSyntax>())
            {
                if (method.ParameterList.Parameters.LastOrDefault() is not { Default: not null } seed)
                {
                    continue;
                }

                var kept = method.ParameterList.Parameters.Take(method.ParameterList.Parameters.Count - 1).ToList();
                var indent = string.Concat(method.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Select(t => t.ToFullString()).LastOrDefault() ?? string.Empty);
                var arguments = kept.Select(p => (p.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : string.Empty) + p.Identifier.Text).Concat(new[] { _t + ".One" });
                var text =
                    "\n" + indent + "/// <summary>The same with a seed of one.</summary>\n" +
                    indent + "[global::System.CodeDom.Compiler.GeneratedCode(\"StaticGrad.Generator\", \"" + typeof(GenericRetyping).Assembly.GetName().Version!.ToString(3) + "\")]\n" +
                    indent + method.Modifiers.ToString() + " " + method.ReturnType.ToString() + " " + method.Identifier.Text + method.TypeParameterList + "(" + string.Join(", ", kept.Select(p => p.ToString())) + ") " +
                    string.Join(" ", method.ConstraintClauses.Select(c => c.ToString().Trim())) + " => " + method.Identifier.Text + "(" + string.Join(", ", arguments) + ");\n";
                var withoutDefault = method.ReplaceNode(seed, seed.WithDefault(null).WithIdentifier(seed.Identifier.WithoutTrivia()));
                var index = members.IndexOf(method);
                members = members.RemoveAt(index).Insert(index, withoutDefault).Insert(index + 1, ParseMemberDeclaration(text)!);
            }

            return type.WithMembers(members);
        }

        private MemberAccessExpressionSyntax Member(string name) =>
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(_t), IdentifierName(name));

        private InvocationExpressionSyntax Create(ExpressionSyntax value) =>
            InvocationExpression(Member("CreateChecked"), ArgumentList(SingletonSeparatedList(Argument(value.WithoutTrivia()))));
    }
}
