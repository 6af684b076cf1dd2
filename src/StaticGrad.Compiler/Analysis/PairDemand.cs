using System;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Which callees' <c>{Name}BackwardPair</c> (<see cref="Forward.PairBackward"/>) a method's generated backward may call:
/// those with a pair that the method calls at least twice. The backward pairs two calls of one statement only, so this
/// is a superset; the generator emits the pair for the callees some method names here, and no other.
/// </summary>
public static class PairDemand
{
    public static EquatableArray<string> Of(MethodIR normalized) =>
        IrWalker.Statements(normalized.Body)
            .SelectMany(IrWalker.Expressions)
            .SelectMany(IrWalker.Descendants)
            .OfType<MethodCallExpr>()
            .Where(call => call.Target is { Kind: CallKind.Differentiable, ResultForm.Length: 0 } && call.Target.PairBackward.Length > 0 && call.Args.Count == 1)
            .GroupBy(call => call.Target.Key, StringComparer.Ordinal)
            .Where(calls => calls.Count() > 1)
            .Select(calls => calls.Key)
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToEquatableArray();
}
