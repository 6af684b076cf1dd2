using System;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Which callees' <c>{Name}BackwardIncludingNoGrad</c> a method's generated code calls: those it passes a
/// derivative-carrying argument for a [NoGrad] floating parameter. The generator emits that variant only for callees
/// some method of the compilation names here (or that opt in for callers in other assemblies), instead of for every
/// method with such a parameter.
/// </summary>
public static class IncludingNoGradDemand
{
    /// <remarks>
    /// Varied rather than active (varied and useful): the backward calls the variant for active arguments, the
    /// tangent falls back to it for arguments that carry a tangent, which is every varied one.
    /// </remarks>
    public static EquatableArray<string> Of(MethodIR normalized, ActivityAnalysis activity) =>
        IrWalker.Statements(normalized.Body)
            .SelectMany(IrWalker.Expressions)
            .SelectMany(IrWalker.Descendants)
            .OfType<MethodCallExpr>()
            .Where(call => call.Target is { Kind: CallKind.Differentiable, BackwardIncludingNoGrad: not null }
                && Enumerable.Range(0, call.Args.Count).Any(i =>
                    call.Target.Adjoints[i].Passing == AdjointPassing.None && call.Target.AllAdjoints[i].Passing != AdjointPassing.None && activity.IsVaried(call.Args[i])))
            .Select(call => call.Target.Key)
            .Distinct()
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToEquatableArray();
}
