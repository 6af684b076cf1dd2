using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// First writes into a fresh array (issue 18, session 17): a store that is the first write of its location since the
/// array's creation overwrites the creation's zero, however often the array is written later. The spring chain copies
/// its written parameter into a fresh <c>Particle[]</c> (<c>particles_1[k].Position.X = particles[k].Position.X</c>, six
/// stores per element) and then writes <c>particles_1</c> again in its time loop, so <see cref="WrittenOnceStores"/>
/// (one store per array) does not apply and the copy pushed 192 zeros per call.
/// </summary>
public static partial class ArrayRegions
{
    /// <summary>
    /// Adds to <paramref name="result"/> (and returns it) the stores whose overwritten value is always the creation's zero: the array is a local created once by a top-level
    /// <c>new T[n]</c>, never assigned, sliced or used whole (so nothing else can write it), and not stored into
    /// between its creation and the store's loop; the store sits directly in the body of a top-level counted loop
    /// (<c>u = init; while (u &lt; bound) { …; u = u + 1; }</c>, run once, <c>u</c> written only by its step, no jump),
    /// every store of the array in that loop is at index <c>u</c> (one element per iteration, a different one in each),
    /// and no earlier statement of the iteration stores into the same field of that element.
    /// </summary>
    public static HashSet<Stmt> WithFirstWrites(MethodIR method, HashSet<Stmt> result)
    {
        var all = IrWalker.Statements(method.Body).ToList();
        var stored = new HashSet<string>(all.OfType<StoreStmt>().Select(s => s.Array));
        foreach (var array in stored)
        {
            var creations = all.Where(s => s is NewArrayStmt n && n.Target == array).ToList();
            var creationIndex = creations.Count == 1 ? IndexOf(method.Body, creations[0]) : -1;
            if (creationIndex < 0 || creations[0] is not NewArrayStmt { IsStackAlloc: false, Type.Shape: ShapeKind.Array }
                || all.Any(s => s is AssignStmt a && a.Target == array)
                || all.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants)
                    .Any(e => (e is VarExpr v && v.Name == array) || (e is SliceExpr sl && sl.Array == array) || (e is GridExpr g && g.Array == array)))
            {
                continue;
            }

            for (var k = creationIndex + 1; k < method.Body.Count; k++)
            {
                if (method.Body[k] is LoopStmt loop && Counted((method.Body, k)))
                {
                    AddFirstWrites(loop, array, result);
                }

                // A store outside such a loop (or in one that is not counted) may write any element: what follows may overwrite non-zeros.
                if (IrWalker.Statements(new[] { method.Body[k] }.ToEquatableArray()).Any(s => s is StoreStmt store && store.Array == array))
                {
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>The stores of <paramref name="array"/> directly in <paramref name="loop"/>'s body that write their field of element <c>u</c> first.</summary>
    private static void AddFirstWrites(LoopStmt loop, string array, HashSet<Stmt> result)
    {
        var u = CounterOf(loop);
        var stores = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).OfType<StoreStmt>().Where(s => s.Array == array).ToList();
        if (stores.Any(s => FieldOfCounter(s.Index, u) is null))
        {
            return;
        }

        var written = new List<string>();
        foreach (var statement in loop.Body)
        {
            if (statement is StoreStmt store && store.Array == array)
            {
                var field = FieldOfCounter(store.Index, u)!;
                if (store.ElementType is { Shape: ShapeKind.Scalar, StructName.Length: 0 } && !written.Any(w => Overlap(w, field)))
                {
                    result.Add(store);
                }

                written.Add(field);
            }
            else if (IrWalker.Statements(new[] { statement }.ToEquatableArray()).Any(s => s is StoreStmt nested && nested.Array == array))
            {
                // A store under a branch or in an inner loop may have written any of the counter's fields before the next one.
                written.Add(string.Empty);
            }
        }
    }

    /// <summary>The field path (empty for the whole element) when <paramref name="index"/> is the counter <paramref name="u"/> itself; null otherwise.</summary>
    private static string? FieldOfCounter(Expr index, string u) => index switch
    {
        VarExpr v when v.Name == u => string.Empty,
        MemberIndexExpr { Index: VarExpr v } m when v.Name == u => m.Member,
        _ => null,
    };

    /// <summary>Whether two field paths of one element share memory: equal, or one contains the other (<c>.Position</c> and <c>.Position.X</c>).</summary>
    private static bool Overlap(string a, string b) =>
        a.Length == 0 || b.Length == 0 || a == b || a.StartsWith(b + ".", System.StringComparison.Ordinal) || b.StartsWith(a + ".", System.StringComparison.Ordinal);
}
