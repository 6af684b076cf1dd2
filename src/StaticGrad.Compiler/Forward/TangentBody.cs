using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// The body the tangent is derived from: the backward's normalised body (<see cref="ControlFlowNormalizer"/>: jumps
/// become flags, every <c>return e</c> an assignment to the result variable), ending in <c>return</c> of the result.
/// Backward and Tangent are thus derived from one normalised body (issue 13), on top of the lowering they already
/// share (parameter copies, struct scalarisation, patterns, inlined local functions, rules). In the common shape,
/// one <c>return e</c> at the end and no other jump, the result variable is folded back into <c>return e</c>.
/// </summary>
internal static class TangentBody
{
    public static MethodIR Of(MethodIR method)
    {
        var normalized = ControlFlowNormalizer.Normalize(method);
        var body = normalized.Body.ToList();
        var result = normalized.Result;
        var assignments = IrWalker.Statements(normalized.Body).OfType<AssignStmt>().Count(a => a.Target == result);
        var reads = IrWalker.Statements(normalized.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables).Count(n => n == result);
        if (body.Count > 0 && body[body.Count - 1] is AssignStmt last && last.Target == result && assignments == 1 && reads == 0)
        {
            body[body.Count - 1] = new ReturnStmt(last.Value);
            return normalized with { Body = body.ToEquatableArray(), Locals = normalized.Locals.Where(l => l.Name != result).ToEquatableArray() };
        }

        body.Add(new ReturnStmt(new VarExpr(normalized.ReturnType, result)));
        return normalized with { Body = body.ToEquatableArray() };
    }
}
