using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// Settles, for the forward-mode file, which callees of this compilation have a <c>{Name}Tangent</c>: those whose
/// attribute leaves <c>Forward</c> unset follow the project default. A callee without one is called through its
/// backward as a pullback, which every [Differentiable] method has.
/// </summary>
internal static class TangentCallees
{
    public static DifferentiableMethodSpec Resolve(DifferentiableMethodSpec spec, bool projectForward) =>
        spec with
        {
            Method = spec.Method with
            {
                Body = IrWalker.Rewrite(spec.Method.Body, e =>
                    e is MethodCallExpr { Target.TangentFollowsProjectDefault: true } call && call.Target.HasTangent != projectForward
                        ? call with { Target = call.Target with { HasTangent = projectForward } }
                        : e),
            },
            Lifted = spec.Lifted.Select(lifted => Resolve(lifted, projectForward)).ToEquatableArray(),
        };
}
