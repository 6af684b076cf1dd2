using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A floating scalar parameter the body writes to is read and written through a local copy made on entry
/// (<c>double c_1 = c;</c>). Every mode then sees a parameter as a value that never changes: the copy is an ordinary
/// local whose activity follows what is written into it (an active value written into a [NoGrad] parameter makes
/// the copy active, while the caller's argument still gets no adjoint), and no mode has to special-case parameter
/// writes. Done in the lowering so that the backward, the tangent, the Hessian and the lifting share it.
/// </summary>
internal static class ParameterCopies
{
    public static List<Stmt> Apply(IReadOnlyList<ParamIR> parameters, List<Stmt> body, LoweringContext context)
    {
        var written = new HashSet<string>(IrWalker.Statements(body.ToEquatableArray()).OfType<AssignStmt>().Select(a => a.Target));
        var copies = new Dictionary<string, string>();
        var entry = new List<Stmt>();
        foreach (var parameter in parameters.Where(p => p.Type.IsFloating && written.Contains(p.Name)))
        {
            var copy = context.DeclareHidden(parameter.Name, parameter.Type);
            copies[parameter.Name] = copy;
            entry.Add(new AssignStmt(copy, parameter.Type, new VarExpr(parameter.Type, parameter.Name)));
        }

        if (copies.Count == 0)
        {
            return body;
        }

        entry.AddRange(Rename(body.ToEquatableArray(), copies));
        return entry;
    }

    private static EquatableArray<Stmt> Rename(EquatableArray<Stmt> block, Dictionary<string, string> copies)
    {
        var renamed = IrWalker.Rewrite(block, e => e is VarExpr v && copies.TryGetValue(v.Name, out var copy) ? v with { Name = copy } : e);
        return renamed.Select(s => s switch
        {
            AssignStmt a when copies.TryGetValue(a.Target, out var copy) => a with { Target = copy },
            IfStmt i => i with { Then = Rename(i.Then, copies), Else = Rename(i.Else, copies) },
            LoopStmt l => l with { Body = Rename(l.Body, copies), Step = Rename(l.Step, copies) },
            _ => s,
        }).ToEquatableArray();
    }
}
