using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Analyzers.Differentiability;

/// <summary>
/// Reports the SG1xxx diagnostics of [Differentiable] methods and [DerivativeOf] rules. It runs the compiler core's
/// lowering and analyses, the same ones the generator runs, so that what it reports is exactly why a backward is
/// (or is not) generated.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiabilityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

    /// <summary>Whether every descriptor's help link is the documentation page <see cref="HelpLinks"/> names.</summary>
    public static bool HelpLinksAgree => DiagnosticDescriptors.All.All(d => d.HelpLinkUri == HelpLinks.For(d.Id));

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // The attribute is the runtime's (StaticGrad.dll) or declared in source: a project with neither registers
            // nothing. Whether the type exists is asked at the first method that may carry it, not here (see LibraryPresence).
            if (!LibraryPresence.MayHold(start.Compilation, "StaticGrad", "DifferentiableAttribute"))
            {
                return;
            }

            var compilation = start.Compilation;
            var attributeExists = new System.Lazy<bool>(() => compilation.GetTypeByMetadataName("StaticGrad.DifferentiableAttribute") is not null, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            var rules = new System.Lazy<IReadOnlyList<RuleSpec>>(() => CollectRules(compilation, start.CancellationToken), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSyntaxNodeAction(node => AnalyzeMethod(node, attributeExists, rules), SyntaxKind.MethodDeclaration, SyntaxKind.OperatorDeclaration);
        });
    }

    /// <summary>An analyzer that throws is reported as AD0001 and loses every finding of the method: never throw.</summary>
    private static void AnalyzeMethod(SyntaxNodeAnalysisContext context, System.Lazy<bool> attributeExists, System.Lazy<IReadOnlyList<RuleSpec>> rules)
    {
        if (!MayCarryAttributes((BaseMethodDeclarationSyntax)context.Node) || !attributeExists.Value)
        {
            return;
        }

        var name = NameToken(context.Node).ValueText;
        var (_, failure) = InternalErrors.Guard(name, "analyzer", () => AnalyzeMethodCore(context, rules));
        if (failure is not null)
        {
            ReportInternalError(context, name, failure);
        }
    }

    /// <summary>
    /// Whether the method may carry [Differentiable] or [DerivativeOf]. A source method's attributes come only from the
    /// attribute lists of its declarations: this one, or the other part of a partial method. A declaration with no list
    /// that is not partial has no attribute at all, so it is passed over before its symbol is asked for (most of a
    /// project's methods; the symbol and its attributes were the per-method cost of this analyzer).
    /// </summary>
    internal static bool MayCarryAttributes(BaseMethodDeclarationSyntax node) =>
        node.AttributeLists.Count > 0 || node.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static void ReportInternalError(SyntaxNodeAnalysisContext context, string method, string failure) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, NameToken(context.Node).GetLocation(), method, failure));

    /// <summary>Where a method's findings go: its name, or an operator's token (a [Differentiable] operator is differentiated too).</summary>
    private static SyntaxToken NameToken(SyntaxNode node) => node is OperatorDeclarationSyntax op ? op.OperatorToken : ((MethodDeclarationSyntax)node).Identifier;

    private static bool AnalyzeMethodCore(SyntaxNodeAnalysisContext context, System.Lazy<IReadOnlyList<RuleSpec>> rules)
    {
        if (context.SemanticModel.GetDeclaredSymbol((BaseMethodDeclarationSyntax)context.Node, context.CancellationToken) is not { } method)
        {
            return true;
        }

        var attributes = method.GetAttributes();
        if (attributes.Any(a => SymbolNames.Is(a.AttributeClass, "StaticGrad.DerivativeOfAttribute"))
            && RuleLowering.Lower(method).Diagnostic is { } ruleDiagnostic)
        {
            Report(context, ruleDiagnostic.Id, ruleDiagnostic.Location, ruleDiagnostic.Arguments);
        }

        if (!attributes.Any(a => SymbolNames.Is(a.AttributeClass, "StaticGrad.DifferentiableAttribute")))
        {
            return true;
        }

        var (lowered, failure) = InternalErrors.Guard(method.Name, "lowering", () => MethodLowering.Lower(method, context.Node, context.SemanticModel, context.CancellationToken));
        if (lowered is null)
        {
            // The generator skips a method whose lowering throws without a word: the report is the analyzer's.
            ReportInternalError(context, method.Name, failure!);
            return true;
        }

        foreach (var diagnostic in lowered.Diagnostics)
        {
            Report(context, diagnostic.Id, diagnostic.Location, diagnostic.Arguments);
        }

        // A body that could not be lowered has lost the unsupported part, so "the result does not depend on any
        // parameter" (SG1005) would only repeat the error in a misleading way; located findings still hold.
        if (lowered.Spec is null)
        {
            return true;
        }

        var loweringFailed = lowered.Diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
        // The generator's backward stage runs the same analyses and reports their crash; here it only must not throw.
        // Only the analyses: emitting the backward is the generator's work, not needed to know what to report.
        var (diagnostics, analysisFailure) = InternalErrors.Guard(method.Name, "analysis", () => Differentiator.Diagnose(lowered.Spec, rules.Value));
        foreach (var diagnostic in analysisFailure is null ? diagnostics.Where(d => !(loweringFailed && d.Id == "SG1005")) : Enumerable.Empty<SiteDiagnostic>())
        {
            Report(context, diagnostic.Id, lowered.Sites[diagnostic.Site], diagnostic.Arguments);
        }

        return true;
    }

    private static void Report(SyntaxNodeAnalysisContext context, string id, LocationInfo? location, EquatableArray<string> arguments) =>
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ById(id),
            InSourceTree(context, location),
            arguments.Cast<object>().ToArray()));

    /// <summary>
    /// The lowering keeps locations as plain data; rebuild them in the syntax tree they came from, so that
    /// <c>#pragma warning disable</c>, suppressions and code fixes see the diagnostic (an external-file location
    /// would be invisible to all three).
    /// </summary>
    private static Location InSourceTree(SyntaxNodeAnalysisContext context, LocationInfo? location)
    {
        if (location is not { FilePath.Length: > 0 })
        {
            return context.Node.GetLocation();
        }

        var tree = context.Node.SyntaxTree.FilePath == location.FilePath
            ? context.Node.SyntaxTree
            : context.Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == location.FilePath);
        return tree is null ? location.ToLocation() : Location.Create(tree, location.TextSpan);
    }

    /// <summary>
    /// The valid [DerivativeOf] rules of the referenced assemblies' registries, then those declared in the
    /// compilation's source (the later rule for a target wins, as in the generator).
    /// </summary>
    private static IReadOnlyList<RuleSpec> CollectRules(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var rules = new List<RuleSpec>(ReferencedRules.Collect(compilation, cancellationToken));
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.SourceModule.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        pending.Push(container);
                        break;
                    case IMethodSymbol candidate when RuleLowering.Lower(candidate).Rule is { } rule:
                        rules.Add(rule);
                        break;
                }
            }
        }

        return rules;
    }
}
