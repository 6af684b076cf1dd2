using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// Whether the reverse mode would refuse the method for a reason its analyses find (SG1001: an active value flows
/// into a method with no derivative; SG1011: into a [NoGrad] parameter of a callee without an all-parameter
/// backward). Forward mode generates nothing for such a method either, so it never emits a silently wrong tangent.
/// </summary>
internal static class ForwardFeasibility
{
    public static bool IsRefused(MethodIR method)
    {
        var normalized = ControlFlowNormalizer.Normalize(method);
        var activity = ActivityAnalysis.Run(normalized, normalized.Result);
        return IrWalker.Statements(normalized.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).Any(e => e switch
        {
            // A bool or integer result carries no derivative (a predicate, a bucket index): only floating results are refused.
            MethodCallExpr { Target.Kind: CallKind.Opaque, Type.IsFloating: true } call => call.Args.Any(activity.IsActive),
            MethodCallExpr { Target.Kind: CallKind.Differentiable } call => Enumerable.Range(0, call.Args.Count).Any(i =>
                call.Target.Adjoints[i].Passing == AdjointPassing.None && call.Target.BackwardIncludingNoGrad is null && activity.IsActive(call.Args[i])),
            _ => false,
        });
    }
}
