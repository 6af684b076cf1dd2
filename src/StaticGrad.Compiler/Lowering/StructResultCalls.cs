using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A call of a [Differentiable] method that returns a struct or tuple (<c>var f = Gravity(a, b);</c>,
/// <c>var (price, delta) = BlackScholes(…);</c>). The IR is scalar, so each floating leaf of the result is its own
/// call: the callee's scalarised backward and tangent take the seed of the result leaf by leaf and return
/// Σ seed · leaf, so the seed that is one on leaf k and zero elsewhere makes the call leaf k, and the reverse sweep
/// passes that leaf's adjoint as the scalar seed: the vector-Jacobian product of the whole result is the sum of the
/// leaves' calls. The primal call reads the leaf of the method's own value (<c>Gravity(a, b).X</c>).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The result's leaves as calls, or null when <paramref name="operation"/> is no such call (a one-expression callee is inlined instead).</summary>
    private StructValue? LowerStructResultCall(IOperation operation, StructLayout layout)
    {
        if (operation is not IInvocationOperation { TargetMethod: { MethodKind: not MethodKind.LocalFunction } method } invocation
            || !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) || method.DeclaringSyntaxReferences.Length == 0
            || (invocation.Instance is { } receiver && IsStructValue(receiver))
            || SingleExpressionBody(method) is not null
            || StructResult.ScalarType(method.ReturnType) is not { } scalar)
        {
            return null;
        }

        return LowerInvocation(invocation, scalar) is MethodCallExpr call ? ResultLeafCalls(call, method, scalar, layout, invocation.Syntax) : Zeros(layout);
    }

    /// <summary>The leaves of <paramref name="call"/>'s struct or tuple result, each its own call of the callee.</summary>
    private StructValue ResultLeafCalls(MethodCallExpr call, IMethodSymbol method, IrType scalar, StructLayout layout, SyntaxNode syntax)
    {
        // Every leaf's call reads the arguments: each is evaluated once, before them.
        var arguments = call.Args.Select(a => a.Type.IsCollection || a.Type.Scalar == ScalarKind.Opaque ? a : Atom(a, "_argument")).ToList();
        var templates = call.Target.Templates.Count > 0
            ? call.Target.Templates
            : arguments.Select(_ => new ArgumentTemplate(1, ArgumentTemplate.Placeholder(0))).ToEquatableArray();
        var floating = Enumerable.Range(0, layout.Leaves.Count).Where(i => layout.Leaves[i].Type.IsFloating).ToList();
        var outputType = StructResult.OutputType(method.ReturnType);
        var noValue = new ConstExpr(outputType, "default(" + outputType.CSharp + ")");
        var seedPassings = floating.Select(j => new ParameterPassing(AdjointPassing.None, "seed_" + layout.Leaves[j].NameSuffix)).Append(new ParameterPassing(AdjointPassing.None, "_value"));
        var includingNoGrad = call.Target.Templates.Count == 0 ? call.Target.BackwardIncludingNoGrad : null;
        var leaves = new Expr[layout.Leaves.Count];
        for (var k = 0; k < leaves.Length; k++)
        {
            var leaf = layout.Leaves[k];
            if (!leaf.Type.IsFloating)
            {
                // An integer or bool part of the result is a constant of the arguments: read from the primal call alone.
                var constant = new CallTarget(CallKind.Opaque, call.Target.Callee, string.Empty, call.Target.Key + leaf.Access, call.Target.DisplayName, arguments.Select(_ => new ParameterPassing(AdjointPassing.None, "_")).ToEquatableArray())
                {
                    Templates = templates,
                    ResultMember = leaf.Access,
                    OperatorToken = call.Target.OperatorToken,
                    TypeArguments = call.Target.TypeArguments,
                };
                leaves[k] = new MethodCallExpr(leaf.Type, constant, arguments.Select(a => a.Type.IsCollection ? a : new DetachExpr(a)).ToEquatableArray(), call.Site);
                continue;
            }

            var seeds = floating.Select(j => (Expr)new ConstExpr(layout.Leaves[j].Type, j == k ? Literal(layout.Leaves[j].Type, 1) : Literal(layout.Leaves[j].Type, 0)));
            var target = call.Target with
            {
                Adjoints = call.Target.Adjoints.Concat(seedPassings).ToEquatableArray(),
                Templates = templates,
                ResultMember = leaf.Access,
                BackwardIncludingNoGrad = includingNoGrad,
                // The callee's Jvp (second order) takes a tangent for every floating parameter, the seeds included.
                AllAdjoints = includingNoGrad is null && !call.Target.HasHessian
                    ? default
                    : (call.Target.AllAdjoints.Count > 0 ? call.Target.AllAdjoints : call.Target.Adjoints).Concat(floating.Select(j => new ParameterPassing(AdjointPassing.Ref, "seed_" + layout.Leaves[j].NameSuffix))).Append(new ParameterPassing(AdjointPassing.None, "_value")).ToEquatableArray(),
            };
            // The call's value is the scalarised result's type: double when the result mixes float and double leaves.
            leaves[k] = Convert(new MethodCallExpr(scalar, target, arguments.Concat(seeds).Append(noValue).ToEquatableArray(), call.Site), leaf.Type, syntax);
        }

        return new StructValue(layout, leaves);
    }
}
