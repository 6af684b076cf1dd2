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
/// <para>
/// A one-dimensional parameter array or span whose elements the body writes is copied alike into a local array
/// (<c>a_1 = new double[a.Length]</c>, filled in a loop): the rest of the body reads the values it wrote, the adjoint
/// of <c>a[j]</c> is the derivative with respect to the value <c>a[j]</c> had on entry, and the generated methods
/// never write the caller's array (only the original method does).
/// </para>
/// </summary>
internal static class ParameterCopies
{
    public static List<Stmt> Apply(IReadOnlyList<ParamIR> parameters, List<Stmt> body, LoweringContext context)
    {
        var statements = IrWalker.Statements(body.ToEquatableArray()).ToList();
        var written = new HashSet<string>(statements.OfType<AssignStmt>().Select(a => a.Target));
        var stored = new HashSet<string>(statements.OfType<StoreStmt>().Select(s => s.Array));
        var copies = new Dictionary<string, string>();
        var entry = new List<Stmt>();
        foreach (var parameter in parameters.Where(p => p.Type.IsFloating && written.Contains(p.Name)))
        {
            var copy = context.DeclareHidden(parameter.Name, parameter.Type);
            copies[parameter.Name] = copy;
            entry.Add(new AssignStmt(copy, parameter.Type, new VarExpr(parameter.Type, parameter.Name)));
        }

        foreach (var parameter in parameters.Where(p => p.Type.Shape is ShapeKind.Array or ShapeKind.Span && stored.Contains(p.Name)))
        {
            var arrayType = parameter.Type with { Shape = ShapeKind.Array };
            var copy = context.DeclareHidden(parameter.Name, arrayType);
            copies[parameter.Name] = copy;
            entry.AddRange(CopyLoop(parameter, copy, arrayType, context.WrittenStructArrays.TryGetValue(parameter.Name, out var leaves) ? leaves : null, context));
        }

        if (copies.Count == 0)
        {
            return body;
        }

        entry.AddRange(Rename(body.ToEquatableArray(), copies));
        return entry;
    }

    /// <summary><c>copy = new T[a.Length]; for (k = 0; k &lt; a.Length; k++) copy[k] = a[k];</c> (field by field for structs: <c>copy[k].X = a[k].X</c>).</summary>
    private static IEnumerable<Stmt> CopyLoop(ParamIR parameter, string copy, IrType arrayType, IReadOnlyList<StructLeaf>? leaves, LoweringContext context)
    {
        var k = context.DeclareHidden("_" + parameter.Name.TrimStart('@') + "Index", IrType.Int);
        var index = new VarExpr(IrType.Int, k);
        var stores = leaves is null
            ? new Stmt[] { new StoreStmt(copy, arrayType.Element, index, new ElementExpr(arrayType.Element, parameter.Name, index)) }
            : leaves.Select(l => (Stmt)new StoreStmt(copy, l.Type, new MemberIndexExpr(index, l.Access), new ElementExpr(l.Type, parameter.Name, new MemberIndexExpr(index, l.Access)))).ToArray();
        yield return new NewArrayStmt(copy, arrayType, new LengthExpr(parameter.Name), IsStackAlloc: false);
        yield return new AssignStmt(k, IrType.Int, new ConstExpr(IrType.Int, "0"));
        yield return new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, index, new LengthExpr(parameter.Name), -1),
            stores.ToEquatableArray(),
            new Stmt[] { new AssignStmt(k, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, index, new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true);
    }

    private static EquatableArray<Stmt> Rename(EquatableArray<Stmt> block, Dictionary<string, string> copies)
    {
        var renamed = IrWalker.Rewrite(block, e => e switch
        {
            VarExpr v when copies.TryGetValue(v.Name, out var copy) => v with { Name = copy },
            ElementExpr el when copies.TryGetValue(el.Array, out var copy) => el with { Array = copy },
            LengthExpr l when copies.TryGetValue(l.Array, out var copy) => l with { Array = copy },
            SliceExpr sl when copies.TryGetValue(sl.Array, out var copy) => sl with { Array = copy },
            _ => e,
        });
        return renamed.Select(s => s switch
        {
            AssignStmt a when copies.TryGetValue(a.Target, out var copy) => a with { Target = copy },
            StoreStmt st when copies.TryGetValue(st.Array, out var copy) => st with { Array = copy },
            IfStmt i => i with { Then = Rename(i.Then, copies), Else = Rename(i.Else, copies) },
            LoopStmt l => l with { Body = Rename(l.Body, copies), Step = Rename(l.Step, copies) },
            _ => s,
        }).ToEquatableArray();
    }
}
