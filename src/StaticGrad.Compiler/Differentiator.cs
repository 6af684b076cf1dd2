using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler;

/// <summary>A diagnostic found after lowering, at an IR site (0 is the method's name).</summary>
public sealed record SiteDiagnostic(string Id, int Site, EquatableArray<string> Arguments);

/// <summary>The generated source (null when the method has errors) and the diagnostics of the analyses.</summary>
public sealed record DifferentiationResult(string? Source, EquatableArray<SiteDiagnostic> Diagnostics)
{
    /// <summary>Keys of the callees whose <c>…BackwardIncludingNoGrad</c> this method's generated code may call.</summary>
    public EquatableArray<string> IncludingNoGradCallees { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Keys of the callees whose <c>…BackwardPair</c> this method's generated code (or a lifted local function's) may call.</summary>
    public EquatableArray<string> PairCallees { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>
/// The compiler core's entry point after lowering, Roslyn-free: resolves [DerivativeOf] rules, normalises control
/// flow, runs the activity and to-be-recorded analyses, checks what only they can see (SG1001, SG1005, SG1006) and
/// emits the backward.
/// </summary>
public static class Differentiator
{
    public const int MethodSite = 0;

    public static DifferentiationResult Differentiate(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        var (method, normalized, activity, diagnostics) = Analyze(spec, rules);
        if (spec.HasErrors || diagnostics.Any(d => d.Id == "SG1001"))
        {
            return new DifferentiationResult(null, diagnostics.ToEquatableArray());
        }

        var variants = new[] { new BackwardVariant(string.Empty, method, normalized, activity, RecordingAnalysis.Run(normalized, activity)) };
        var source = GenericRetyping.Apply(StructBoundaryEmitter.FixReferences(BackwardEmitter.Emit(spec with { Method = method }, variants), spec), spec);
        source = LiftedFunctionEmitter.WithBackward(source, spec, rules);
        var pairs = PairDemand.Of(normalized).Concat(spec.Lifted.SelectMany(lifted => PairDemand.Of(ControlFlowNormalizer.Normalize(lifted.Method))))
            .Distinct().OrderBy(key => key, System.StringComparer.Ordinal).ToEquatableArray();
        return new DifferentiationResult(source, diagnostics.ToEquatableArray()) { IncludingNoGradCallees = IncludingNoGradDemand.Of(normalized, activity), PairCallees = pairs };
    }

    /// <summary>
    /// The file of <c>{Name}BackwardPair</c> (<see cref="Forward.PairBackward"/>): null when the method has none or has
    /// errors. Generated only where a caller's backward may call it (<see cref="DifferentiationResult.PairCallees"/>).
    /// </summary>
    public static string? DifferentiatePair(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        if (spec.HasErrors || !spec.HasPairBackward)
        {
            return null;
        }

        var (method, normalized, activity, diagnostics) = Analyze(spec, rules);
        if (diagnostics.Any(d => d.Id == "SG1001"))
        {
            return null;
        }

        var variant = new BackwardVariant(string.Empty, method, normalized, activity, RecordingAnalysis.Run(normalized, activity));
        return BackwardEmitter.EmitPair(spec with { Method = method }, variant);
    }

    /// <summary>
    /// The file of <c>{Name}BackwardIncludingNoGrad</c>, which also differentiates the [NoGrad] floating parameters
    /// (for callers that pass a derivative-carrying argument to one): null when the method has none or has errors.
    /// Generated only on demand (<see cref="DifferentiationResult.IncludingNoGradCallees"/> of a caller, or the opt-in).
    /// </summary>
    public static string? DifferentiateIncludingNoGrad(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        if (spec.HasErrors || !spec.Method.Parameters.Any(p => !p.IsDifferentiable && (p.Type.IsFloating || p.Type.IsFloatingCollection)))
        {
            return null;
        }

        var (method, _, _, diagnostics) = Analyze(spec, rules);
        if (diagnostics.Any(d => d.Id == "SG1001"))
        {
            return null;
        }

        var all = method with { Parameters = method.Parameters.Select(p => p with { IsDifferentiable = p.Type.IsFloating || p.Type.IsFloatingCollection }).ToEquatableArray() };
        var (allNormalized, allActivity) = DerivativeLiveness.Analyze(ControlFlowNormalizer.Normalize(all));
        var variant = new BackwardVariant(BackwardEmitter.IncludingNoGradSuffix, all, allNormalized, allActivity, RecordingAnalysis.Run(allNormalized, allActivity));
        return GenericRetyping.Apply(StructBoundaryEmitter.FixReferences(BackwardEmitter.Emit(spec with { Method = method }, new[] { variant }), spec), spec);
    }

    /// <summary>
    /// The diagnostics of <see cref="Differentiate"/> without emitting anything: what the analyzer needs, at the cost
    /// of the analyses only (the generator emits the backward).
    /// </summary>
    public static EquatableArray<SiteDiagnostic> Diagnose(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules) =>
        Analyze(spec, rules).Diagnostics.ToEquatableArray();

    private static (MethodIR Method, MethodIR Normalized, ActivityAnalysis Activity, List<SiteDiagnostic> Diagnostics) Analyze(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        var method = ResolveRules(spec.Method, rules);
        var normalized = ControlFlowNormalizer.Normalize(method);
        var activity = ActivityAnalysis.Run(normalized, normalized.Result);
        var diagnostics = Check(normalized, activity);
        if (spec.Hessian)
        {
            diagnostics.AddRange(Forward.SecondOrderCheck.Check(normalized, activity));
        }

        // The diagnostics stay those of the body as written; the backward gets no adjoint work for dead values.
        (normalized, activity) = DerivativeLiveness.DetachDead(normalized, activity);

        // A lifted recursive local function is checked as a callee; whether the method's result varies is the method's question.
        foreach (var lifted in spec.Lifted)
        {
            diagnostics.AddRange(Analyze(lifted, rules).Diagnostics.Where(d => d.Id != "SG1005"));
        }

        return (method, normalized, activity, diagnostics);
    }

    /// <summary>Calls of methods without a derivative of their own use a user rule when there is one.</summary>
    public static MethodIR ResolveRules(MethodIR method, IReadOnlyList<RuleSpec> rules)
    {
        if (rules.Count == 0)
        {
            return method;
        }

        var byKey = new Dictionary<string, RuleSpec>();
        foreach (var rule in rules)
        {
            byKey[rule.TargetKey] = rule;
        }

        return method with
        {
            Body = IrWalker.Rewrite(method.Body, e =>
                e is MethodCallExpr { Target.Kind: CallKind.Opaque } call && byKey.TryGetValue(call.Target.Key, out var rule)
                    ? call with { Target = call.Target with { Kind = CallKind.Rule, Backward = rule.Rule, Adjoints = rule.Adjoints } }
                    : e),
        };
    }

    private static List<SiteDiagnostic> Check(MethodIR normalized, ActivityAnalysis activity)
    {
        var diagnostics = new List<SiteDiagnostic>();
        if (!activity.Varied.Contains(normalized.Result))
        {
            diagnostics.Add(new SiteDiagnostic("SG1005", MethodSite, new[] { normalized.Name }.ToEquatableArray()));
        }

        var expressions = IrWalker.Statements(normalized.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants);
        foreach (var expression in expressions)
        {
            switch (expression)
            {
                // A predicate's bool (double.IsNaN(x), a guard's test) never carries a derivative; an integer result
                // is a step function of its arguments, reported as zero derivative like a cast to int.
                case MethodCallExpr { Target.Kind: CallKind.Opaque, Type.Scalar: ScalarKind.Bool }:
                    break;
                case MethodCallExpr { Target.Key: Lowering.StatementLowering.NoGradConstructionKey } construction:
                    if (construction.Args.Any(activity.IsActive))
                    {
                        diagnostics.Add(new SiteDiagnostic("SG1011", construction.Site, new[] { construction.Target.DisplayName, construction.Target.Adjoints[0].Name, NoGradHint.Struct(construction.Target.DisplayName, construction.Target.Adjoints[0].Name) }.ToEquatableArray()));
                    }

                    break;
                // A spread's call returning an array (held as data): a varied argument would make the data carry a derivative the method cannot give.
                case MethodCallExpr { Target.Kind: CallKind.Opaque, Type.IsCollection: true } call when call.Args.Any(activity.IsVaried):
                    diagnostics.Add(new SiteDiagnostic("SG1002", call.Site, new[] { Lowering.StatementLowering.SpreadOfCallReason("'" + call.Target.DisplayName + "'") }.ToEquatableArray()));
                    break;
                case MethodCallExpr { Target.Kind: CallKind.Opaque, Type.IsFloating: false } call when call.Args.Any(activity.IsVaried):
                    diagnostics.Add(new SiteDiagnostic("SG1006", call.Site, new[] { "'" + call.Target.DisplayName + "'" }.ToEquatableArray()));
                    break;
                case MethodCallExpr { Target.Kind: CallKind.Opaque } call when call.Args.Any(activity.IsActive):
                    diagnostics.Add(new SiteDiagnostic("SG1001", call.Site, new[] { call.Target.DisplayName }.ToEquatableArray()));
                    break;
                case MethodCallExpr { Target.Kind: CallKind.Differentiable } call:
                    for (var i = 0; i < call.Args.Count; i++)
                    {
                        if (call.Target.Adjoints[i].Passing == AdjointPassing.None && call.Target.BackwardIncludingNoGrad is null && activity.IsActive(call.Args[i]))
                        {
                            diagnostics.Add(new SiteDiagnostic("SG1011", call.Site, new[] { call.Target.DisplayName, call.Target.Adjoints[i].Name, NoGradHint.Scalar(call.Target.DisplayName) }.ToEquatableArray()));
                        }
                    }

                    break;
                case CastExpr { Type.IsFloating: false } cast when activity.IsVaried(cast.Operand):
                    diagnostics.Add(new SiteDiagnostic("SG1006", cast.Site, new[] { "The conversion to '" + cast.Type.CSharp + "'" }.ToEquatableArray()));
                    break;
                case BuiltinCallExpr call when BuiltinRules.Find(call.Function, call.Args.Count) is { IsPiecewiseConstant: true } && call.Args.Any(activity.IsVaried):
                    diagnostics.Add(new SiteDiagnostic("SG1006", call.Site, new[] { "'" + call.Container.Replace("global::System.", string.Empty) + "." + call.Function + "'" }.ToEquatableArray()));
                    break;
            }
        }

        return diagnostics;
    }
}
