using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Rewrites a double (or float) program's members into generic-math members over <c>T : IFloatingPointIeee754&lt;T&gt;</c>, driven by
/// the semantic model of the double program, so that the double instantiation performs the same operations in the same
/// order: <c>double</c> → <c>T</c>; a double literal, and an int or long converted to double (implicitly or by a cast),
/// → <c>T.CreateChecked(..)</c> (exact at double); <c>Math.X</c> on doubles → <c>T.X</c> (<c>double.X</c> is
/// <c>Math.X</c>), <c>Math.PI</c>/<c>Math.E</c> → <c>T.Pi</c>/<c>T.E</c>; integer <c>Math</c> calls stay;
/// <c>(int)d</c>/<c>(long)d</c> → <c>int.CreateTruncating(d)</c>/<c>long.CreateTruncating(d)</c> (both saturate and
/// send NaN to 0 on .NET 9 and later, as the casts do); a <c>const double</c> local becomes a plain local; calls to the
/// rewritten members (<see cref="Rewritten"/>) get the type argument. What has no generic form is reported in
/// <see cref="Refusal"/> and the program gets no twin.
/// </summary>
internal sealed class GenericTwinRewriter : CSharpSyntaxRewriter
{
    private const string Constraint = "global::System.Numerics.IFloatingPointIeee754<T>";

    private readonly SemanticModel _model;
    private readonly ISet<IMethodSymbol> _rewritten;

    // The program's precision, double or float: T stands for it, and a value of the other precision has no generic form.
    private readonly SpecialType _floating;

    private int _subjects;

    public GenericTwinRewriter(SemanticModel model, ISet<IMethodSymbol> rewritten, SpecialType floating) => (_model, _rewritten, _floating) = (model, rewritten, floating);

    /// <summary>Why the member has no generic twin (the first construct met that has no generic form), or null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The members whose calls get <c>&lt;T&gt;</c>: the programs' and helpers' twins themselves.</summary>
    public static HashSet<IMethodSymbol> Rewritten(IEnumerable<IMethodSymbol> methods) => new(methods, SymbolEqualityComparer.Default);

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var method = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (node.TypeParameterList is not null)
        {
            Refuse("an already generic method");
            return method;
        }

        var clause = ((MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration("void M<T>() where T : " + Constraint + " { }")!).ConstraintClauses[0]
            .WithLeadingTrivia(SyntaxFactory.Space);
        return method
            .WithIdentifier(method.Identifier)
            .WithTypeParameterList(SyntaxFactory.TypeParameterList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.TypeParameter("T"))))
            .WithParameterList(method.ParameterList.WithTrailingTrivia())
            .AddConstraintClauses(clause.WithTrailingTrivia(method.ParameterList.GetTrailingTrivia()));
    }

    public override SyntaxNode? VisitPredefinedType(PredefinedTypeSyntax node)
    {
        if (!node.Keyword.IsKind(SyntaxKind.DoubleKeyword) && !node.Keyword.IsKind(SyntaxKind.FloatKeyword))
        {
            return base.VisitPredefinedType(node);
        }

        return node.Keyword.IsKind(_floating == SpecialType.System_Double ? SyntaxKind.DoubleKeyword : SyntaxKind.FloatKeyword)
            ? SyntaxFactory.IdentifierName("T").WithTriviaFrom(node)
            : RefuseAndKeep(node, "both precisions in one program");
    }

    public override SyntaxNode? VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
    {
        var visited = (LocalDeclarationStatementSyntax)base.VisitLocalDeclarationStatement(node)!;

        // A T value is not a constant: the const local becomes a plain one with the same value.
        return node.IsConst && _model.GetTypeInfo(node.Declaration.Type).Type?.SpecialType == _floating
            ? visited.WithModifiers(SyntaxFactory.TokenList()).WithLeadingTrivia(visited.GetLeadingTrivia())
            : visited;
    }

    public override SyntaxNode? VisitCastExpression(CastExpressionSyntax node)
    {
        var to = _model.GetTypeInfo(node.Type).Type?.SpecialType;
        var from = _model.GetTypeInfo(node.Expression).Type?.SpecialType;
        var operand = (ExpressionSyntax)Visit(node.Expression)!;
        var result = (to, from) switch
        {
            _ when to == _floating && from == _floating => operand,
            (_, SpecialType.System_Int32 or SpecialType.System_Int64) when to == _floating => Create("T", "CreateChecked", operand),
            (SpecialType.System_Int32, _) when from == _floating => Create("int", "CreateTruncating", operand),
            (SpecialType.System_Int64, _) when from == _floating => Create("long", "CreateTruncating", operand),
            _ when IsFloating(to) || IsFloating(from) => null,
            _ => (ExpressionSyntax)base.VisitCastExpression(node)!,
        };
        if (result is null)
        {
            Refuse("the cast " + node);
            return base.VisitCastExpression(node);
        }

        return Wrap(node, result is ParenthesizedExpressionSyntax or InvocationExpressionSyntax or CastExpressionSyntax ? result : SyntaxFactory.ParenthesizedExpression(result)).WithTriviaFrom(node);
    }

    public override SyntaxNode? VisitLiteralExpression(LiteralExpressionSyntax node) =>
        node.IsKind(SyntaxKind.NumericLiteralExpression) && _model.GetTypeInfo(node).Type?.SpecialType == _floating
            ? Wrap(node, Create("T", "CreateChecked", node.WithoutTrivia())).WithTriviaFrom(node)
            : Wrap(node, node);

    public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
    {
        var symbol = _model.GetSymbolInfo(node).Symbol;
        if (symbol?.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF" && symbol is IFieldSymbol field)
        {
            var name = field.Name switch { "PI" => "Pi", "E" => "E", "Tau" => "Tau", _ => null };
            return name is null || field.Type.SpecialType != _floating ? RefuseAndKeep(node, "Math." + field.Name) : Wrap(node, SyntaxFactory.ParseExpression("T." + name).WithTriviaFrom(node));
        }

        if (symbol is IMethodSymbol { ContainingType: var type } method && type.ToDisplayString() is "System.Math" or "System.MathF"
            && method.Parameters.Any(p => p.Type.SpecialType == _floating))
        {
            return SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName("T"), node.Name.WithoutTrivia()).WithTriviaFrom(node);
        }

        if (symbol is IMethodSymbol called && _rewritten.Contains(called.OriginalDefinition))
        {
            var visited = (MemberAccessExpressionSyntax)base.VisitMemberAccessExpression(node)!;
            return visited.WithName(Generic(visited.Name));
        }

        // Autograd.Detach has a generic-math overload, which the call binds to once its argument is a T.
        if (symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: true } other && Mentions(other) && !IsFloating(other.ContainingType.SpecialType)
            && other.ContainingType.ToDisplayString() + "." + other.Name != "StaticGrad.Autograd.Detach")
        {
            return RefuseAndKeep(node, "a call to " + other.ContainingType.Name + "." + other.Name + " on floating values");
        }

        return Wrap(node, (ExpressionSyntax)base.VisitMemberAccessExpression(node)!);
    }

    public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
        {
            return base.VisitIdentifierName(node);
        }

        var symbol = _model.GetSymbolInfo(node).Symbol;
        if (symbol is IMethodSymbol called && _rewritten.Contains(called.OriginalDefinition))
        {
            return Generic(node);
        }

        if (symbol is IFieldSymbol { IsStatic: true } table && Mentions(table.Type))
        {
            return RefuseAndKeep(node, "the floating static field " + table.Name);
        }

        return Wrap(node, node);
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitInvocationExpression(node)!);

    public override SyntaxNode? VisitBinaryExpression(BinaryExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitBinaryExpression(node)!);

    public override SyntaxNode? VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitPrefixUnaryExpression(node)!);

    public override SyntaxNode? VisitParenthesizedExpression(ParenthesizedExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitParenthesizedExpression(node)!);

    public override SyntaxNode? VisitElementAccessExpression(ElementAccessExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitElementAccessExpression(node)!);

    public override SyntaxNode? VisitConditionalExpression(ConditionalExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitConditionalExpression(node)!);

    public override SyntaxNode? VisitPostfixUnaryExpression(PostfixUnaryExpressionSyntax node) =>
        Wrap(node, (ExpressionSyntax)base.VisitPostfixUnaryExpression(node)!);

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
        RefuseAndKeep(node, "a lambda (LINQ has no generic-math Sum)");

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
        RefuseAndKeep(node, "a lambda (LINQ has no generic-math Sum)");

    // T is not unmanaged: a stackalloc'd span of the program's precision becomes an array of T (the same values, read
    // and written in the same order; the span it initialises converts from the array).
    public override SyntaxNode? VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node) =>
        node.Initializer is null && node.Type is ArrayTypeSyntax { ElementType: PredefinedTypeSyntax element } array && _model.GetTypeInfo(element).Type?.SpecialType == _floating
            ? SyntaxFactory.ArrayCreationExpression((ArrayTypeSyntax)Visit(array)!).WithTriviaFrom(node)
            : RefuseAndKeep(node, "stackalloc with an initializer or of another type");

    public override SyntaxNode? VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node) =>
        RefuseAndKeep(node, "stackalloc with an initializer or of another type");

    // A pattern on a floating value compares it with constants, and a T value is no constant: the pattern becomes the
    // same comparisons in a guard on a var pattern (a switch arm or label), or in place of an is-expression whose subject
    // is a name or an element read (evaluated once either way). NaN fails every comparison, as it fails the pattern.
    public override SyntaxNode? VisitSwitchExpressionArm(SwitchExpressionArmSyntax node)
    {
        if (!OnFloating(node.Pattern))
        {
            return base.VisitSwitchExpressionArm(node);
        }

        var (pattern, guard) = Guarded(node.Pattern, node.WhenClause);
        return guard is null ? RefuseAndKeep(node, "a pattern with no comparison form") : node.WithPattern(pattern).WithWhenClause(guard).WithExpression((ExpressionSyntax)Visit(node.Expression)!);
    }

    public override SyntaxNode? VisitCasePatternSwitchLabel(CasePatternSwitchLabelSyntax node)
    {
        if (!OnFloating(node.Pattern))
        {
            return base.VisitCasePatternSwitchLabel(node);
        }

        var (pattern, guard) = Guarded(node.Pattern, node.WhenClause);
        return guard is null ? RefuseAndKeep(node, "a pattern with no comparison form") : node.WithPattern(pattern).WithWhenClause(guard);
    }

    public override SyntaxNode? VisitCaseSwitchLabel(CaseSwitchLabelSyntax node)
    {
        if (!IsFloating(_model.GetTypeInfo(node.Value).ConvertedType?.SpecialType))
        {
            return base.VisitCaseSwitchLabel(node);
        }

        var (pattern, guard) = Guarded(SyntaxFactory.ConstantPattern(node.Value), null);
        return SyntaxFactory.CasePatternSwitchLabel(pattern, guard, node.ColonToken).WithTriviaFrom(node);
    }

    public override SyntaxNode? VisitIsPatternExpression(IsPatternExpressionSyntax node)
    {
        if (!OnFloating(node.Pattern))
        {
            return base.VisitIsPatternExpression(node);
        }

        // A computed subject is evaluated once into a var pattern's variable, as the pattern evaluates it once.
        var named = node.Expression is IdentifierNameSyntax
            || (node.Expression is ElementAccessExpressionSyntax { ArgumentList.Arguments: var arguments } && arguments.All(a => a.Expression is IdentifierNameSyntax or LiteralExpressionSyntax));
        var subject = named ? ((ExpressionSyntax)Visit(node.Expression)!).WithoutTrivia() : SyntaxFactory.IdentifierName("twinSubject" + (_subjects++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var condition = Condition(node.Pattern, subject);
        if (condition is null)
        {
            return RefuseAndKeep(node, "an is-pattern with no comparison form");
        }

        var text = named ? "(" + condition.NormalizeWhitespace() + ")"
            : "(" + Visit(node.Expression)!.WithoutTrivia() + " is var " + subject + " && (" + condition.NormalizeWhitespace() + "))";
        return SyntaxFactory.ParseExpression(text).WithTriviaFrom(node);
    }

    public override SyntaxNode? VisitRelationalPattern(RelationalPatternSyntax node) =>
        IsFloating(_model.GetTypeInfo(node.Expression).ConvertedType?.SpecialType) ? RefuseAndKeep(node, "a relational pattern on a floating value (a T value is no constant)") : base.VisitRelationalPattern(node);

    public override SyntaxNode? VisitConstantPattern(ConstantPatternSyntax node) =>
        IsFloating(_model.GetTypeInfo(node.Expression).ConvertedType?.SpecialType) ? RefuseAndKeep(node, "a constant pattern on a floating value (a T value is no constant)") : base.VisitConstantPattern(node);

    private bool OnFloating(PatternSyntax pattern) =>
        pattern.DescendantNodesAndSelf().Any(n => n is RelationalPatternSyntax or ConstantPatternSyntax
            && IsFloating(_model.GetTypeInfo(n is RelationalPatternSyntax r ? r.Expression : ((ConstantPatternSyntax)n).Expression).ConvertedType?.SpecialType));

    private (PatternSyntax Pattern, WhenClauseSyntax? Guard) Guarded(PatternSyntax pattern, WhenClauseSyntax? when)
    {
        // One name per pattern: arms of nested switches must not redeclare an enclosing one's.
        var name = "twinSubject" + (_subjects++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var condition = Condition(pattern, SyntaxFactory.IdentifierName(name));
        if (condition is null)
        {
            return (pattern, null);
        }

        if (when is not null)
        {
            condition = SyntaxFactory.BinaryExpression(SyntaxKind.LogicalAndExpression, SyntaxFactory.ParenthesizedExpression(condition), SyntaxFactory.ParenthesizedExpression((ExpressionSyntax)Visit(when.Condition)!));
        }

        var var = SyntaxFactory.VarPattern(SyntaxFactory.Token(SyntaxKind.VarKeyword).WithTrailingTrivia(SyntaxFactory.Space), SyntaxFactory.SingleVariableDesignation(SyntaxFactory.Identifier(name)));
        var guard = SyntaxFactory.WhenClause(SyntaxFactory.Token(SyntaxKind.WhenKeyword).WithTrailingTrivia(SyntaxFactory.Space), condition.NormalizeWhitespace());
        return (var.WithTriviaFrom(pattern), guard.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(pattern.GetTrailingTrivia()));
    }

    /// <summary>The comparisons <paramref name="pattern"/> makes of <paramref name="subject"/>, or null when it makes others.</summary>
    private ExpressionSyntax? Condition(PatternSyntax pattern, ExpressionSyntax subject)
    {
        switch (pattern)
        {
            case RelationalPatternSyntax relational:
                var kind = relational.OperatorToken.Kind() switch
                {
                    SyntaxKind.LessThanToken => SyntaxKind.LessThanExpression,
                    SyntaxKind.LessThanEqualsToken => SyntaxKind.LessThanOrEqualExpression,
                    SyntaxKind.GreaterThanToken => SyntaxKind.GreaterThanExpression,
                    _ => SyntaxKind.GreaterThanOrEqualExpression,
                };
                return SyntaxFactory.BinaryExpression(kind, subject, ((ExpressionSyntax)Visit(relational.Expression)!).WithoutTrivia());
            case ConstantPatternSyntax constant:
                return SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, subject, ((ExpressionSyntax)Visit(constant.Expression)!).WithoutTrivia());
            case BinaryPatternSyntax binary when Condition(binary.Left, subject) is { } left && Condition(binary.Right, subject) is { } right:
                return SyntaxFactory.BinaryExpression(
                    binary.IsKind(SyntaxKind.AndPattern) ? SyntaxKind.LogicalAndExpression : SyntaxKind.LogicalOrExpression,
                    SyntaxFactory.ParenthesizedExpression(left),
                    SyntaxFactory.ParenthesizedExpression(right));
            case UnaryPatternSyntax { Pattern: var negated } when Condition(negated, subject) is { } inner:
                return SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, SyntaxFactory.ParenthesizedExpression(inner));
            case ParenthesizedPatternSyntax parenthesized:
                return Condition(parenthesized.Pattern, subject);
            case DiscardPatternSyntax:
                return SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression);
            default:
                return null;
        }
    }

    private static bool IsFloating(SpecialType? type) => type is SpecialType.System_Double or SpecialType.System_Single;

    private static bool Mentions(ISymbol symbol) => symbol switch
    {
        IMethodSymbol m => Mentions(m.ReturnType) || m.Parameters.Any(p => Mentions(p.Type)),
        IArrayTypeSymbol a => Mentions(a.ElementType),
        INamedTypeSymbol n => IsFloating(n.SpecialType) || n.TypeArguments.Any(Mentions) || (n.IsTupleType && n.TupleElements.Any(e => Mentions(e.Type))),
        _ => false,
    };

    private static SimpleNameSyntax Generic(SimpleNameSyntax name) =>
        SyntaxFactory.GenericName(name.Identifier, SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList<TypeSyntax>(SyntaxFactory.IdentifierName("T")))).WithTriviaFrom(name);

    private static InvocationExpressionSyntax Create(string type, string method, ExpressionSyntax operand) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(type), SyntaxFactory.IdentifierName(method)),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(operand.WithoutTrivia()))));

    /// <summary>An int or long expression the double program converts implicitly to double, made explicit.</summary>
    private ExpressionSyntax Wrap(ExpressionSyntax original, ExpressionSyntax visited)
    {
        var info = _model.GetTypeInfo(original);
        if (info.ConvertedType?.SpecialType == _floating
            && info.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            && _model.GetConversion(original).IsImplicit)
        {
            return Create("T", "CreateChecked", visited).WithTriviaFrom(visited);
        }

        if (IsFloating(info.ConvertedType?.SpecialType) && info.Type is { } from && !SymbolEqualityComparer.Default.Equals(from, info.ConvertedType)
            && (info.ConvertedType!.SpecialType != _floating || from.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64)))
        {
            Refuse("a conversion of " + from.ToDisplayString() + " to " + info.ConvertedType.ToDisplayString());
        }

        return visited;
    }

    private SyntaxNode RefuseAndKeep(SyntaxNode node, string why)
    {
        Refuse(why);
        return node;
    }

    private void Refuse(string why) => Refusal ??= why;
}
