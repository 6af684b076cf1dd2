using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// SG1012: in a <c>[Differentiable(Hessian = true)]</c> method, every call that carries a derivative must have a
/// second derivative: a callee that opted in too (its generated Jvp and JvpBackward). A [DerivativeOf] rule is a
/// pullback only: it gives the gradient, not how the gradient changes.
/// </summary>
public static class SecondOrderCheck
{
    public static IEnumerable<SiteDiagnostic> Check(MethodIR normalized, ActivityAnalysis activity)
    {
        var calls = IrWalker.Statements(normalized.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).OfType<MethodCallExpr>();
        var structResultSites = new HashSet<int>();
        foreach (var call in calls.Where(c => c.Target.Kind != CallKind.Opaque && c.Args.Any(activity.IsActive)))
        {
            if (call.Target.ResultMember.Length > 0)
            {
                // One call per field of the result (StructResultCalls): one error for the call the user wrote.
                if (!call.Target.HasHessian && structResultSites.Add(call.Site))
                {
                    yield return Diagnostic(call, "it returns a struct or tuple, which has second derivatives when the callee is [Differentiable(Hessian = true)] too and takes no struct or tuple argument; mark it so (passing fields one by one), compute the result's fields in this method, or remove Hessian = true");
                }
            }
            else if (call.Target.Kind == CallKind.Rule)
            {
                yield return Diagnostic(call, "it is differentiated through a [DerivativeOf] rule, which gives only first derivatives; write it as a [Differentiable(Hessian = true)] method, or wrap the argument in Autograd.Detach");
            }
            else if (call.Target.Templates.Count > 0 && !call.Target.HasHessian)
            {
                // Struct or tuple arguments (StructArguments, user operators) are passed leaf by leaf to the scalarised members, which have a Jvp when the callee opted in.
                yield return Diagnostic(call, "it takes a struct or tuple argument, which has second derivatives when the callee is [Differentiable(Hessian = true)] too (an operator included) and has no other [NoGrad] parameter; mark it so, pass the fields one by one to a [Differentiable(Hessian = true)] method taking numbers, or remove Hessian = true");
            }
            else if (!call.Target.HasHessian)
            {
                yield return Diagnostic(call, "mark it [Differentiable(Hessian = true)] too, or wrap the argument in Autograd.Detach");
            }
        }
    }

    private static SiteDiagnostic Diagnostic(MethodCallExpr call, string reason) =>
        new("SG1012", call.Site, new[] { call.Target.DisplayName, reason }.ToEquatableArray());
}
