using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Array-region analysis for a top-level loop: which local arrays are private to one iteration, i.e. every element an
/// iteration reads was written earlier in the same iteration (GMM's per-point <c>mainTerm</c>). Such an array carries
/// nothing from one iteration to the next and is read nowhere after the loop, so it neither stops the loop from being
/// fused nor needs its overwritten elements saved: no reverse code runs after a store's reverse that could read the
/// old element.
/// <para>
/// The region proof is deliberately narrow and syntactic: the array is created once, before the loop, with length
/// <c>n</c>; the first statement of the iteration that touches it is a counted loop <c>for (v = 0; v &lt; n; v++)</c>
/// (or <c>v &lt; array.Length</c>) without jumps whose body stores <c>array[v]</c> unconditionally and reads the array
/// nowhere. That loop writes every element, so every later in-bounds read of the iteration reads a value of this
/// iteration, and an out-of-bounds read throws in the original as in the generated code. That store is the only one
/// into the array in the loop, so each element is written once per iteration and holds its value until the store's
/// reverse.
/// </para>
/// </summary>
public static partial class ArrayRegions
{
    /// <summary>Whether <paramref name="array"/> is private to each iteration of the top-level loop at <paramref name="k"/>.</summary>
    public static bool IsIterationPrivate(EquatableArray<Stmt> body, int k, LoopStmt loop, string array)
    {
        var creations = IrWalker.Statements(body).Where(s => s is NewArrayStmt n && n.Target == array).ToList();
        var creationIndex = -1;
        for (var i = 0; i < k; i++)
        {
            if (creations.Count == 1 && ReferenceEquals(body[i], creations[0]))
            {
                creationIndex = i;
            }
        }

        if (creationIndex < 0 || creations[0] is not NewArrayStmt { Type: { Shape: ShapeKind.Array or ShapeKind.Span, StructName.Length: 0 } } creation
            || IrWalker.Statements(body).Any(s => s is AssignStmt a && a.Target == array))
        {
            return false;
        }

        // Touched nowhere outside the loop but by its creation: its contents after the loop are never observed.
        var outside = body.Where((s, i) => i != k && i != creationIndex).ToEquatableArray();
        if (IrWalker.Statements(outside).Any(s => Touches(s, array)))
        {
            return false;
        }

        // Only element reads and one store inside the loop: no alias, slice or whole-array argument that a callee could
        // change, and no second store that could overwrite an element before the reverse reaches the first.
        var inLoop = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).ToList();
        if (inLoop.Count(s => s is StoreStmt store && store.Array == array) != 1
            || inLoop.SelectMany(IrWalker.Expressions).Concat(loop.Condition is null ? Enumerable.Empty<Expr>() : new[] { loop.Condition })
            .SelectMany(IrWalker.Descendants).Any(e => (e is VarExpr v && v.Name == array) || (e is SliceExpr s && s.Array == array) || (e is GridExpr g && g.Array == array)))
        {
            return false;
        }

        // The length's variables keep their values from the creation to the end of the loop.
        var lengthVariables = new HashSet<string>(IrWalker.ReadVariables(creation.Length));
        var between = body.Skip(creationIndex + 1).Take(k - creationIndex - 1).Append(loop);
        if (IrWalker.Statements(between.ToEquatableArray()).Any(s => s is AssignStmt a && lengthVariables.Contains(a.Target)))
        {
            return false;
        }

        for (var i = 0; i < loop.Body.Count; i++)
        {
            if (IrWalker.Statements(new[] { loop.Body[i] }.ToEquatableArray()).Any(s => Touches(s, array)))
            {
                return i > 0 && WritesEveryElement(loop.Body[i - 1], loop.Body[i], array, creation.Length);
            }
        }

        return false;
    }

    /// <summary>
    /// The stores that write each element of a freshly created array at most once: the array's only store, in a nest
    /// of at most two counted loops that runs once (the outer one is in no other loop), at index <c>u</c> or
    /// <c>u·m + v</c> where <c>u</c> and <c>v</c> are the loops' counters, <c>v</c> counts from 0 while <c>v &lt; m</c> and
    /// <c>m</c> does not change in the nest (MLP's <c>h[b·hidden + j]</c>, GMM's <c>diagonal[c·d + j]</c>). The value
    /// such a store overwrites is always the creation's zero, so nothing needs saving: its reverse writes zero back.
    /// A local grid passed whole to a callee (<see cref="GridExpr"/>) may still qualify: the callee gets a copy and
    /// never writes it (SG1009, or a plain method that only reads it), and its backward runs before the store's reverse.
    /// </summary>
    public static HashSet<Stmt> WrittenOnceStores(MethodIR method)
    {
        var result = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        var all = IrWalker.Statements(method.Body).ToList();
        foreach (var group in all.OfType<StoreStmt>().GroupBy(s => s.Array))
        {
            var store = group.First();
            var array = store.Array;
            var creations = all.Where(s => s is NewArrayStmt n && n.Target == array).ToList();
            if (group.Count() != 1 || creations.Count != 1 || creations[0] is not NewArrayStmt { Type: { Shape: ShapeKind.Array or ShapeKind.Span, StructName.Length: 0 } }
                || all.Any(s => s is AssignStmt a && a.Target == array)
                || all.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).Any(e => (e is VarExpr v && v.Name == array) || (e is SliceExpr sl && sl.Array == array))
                || PathTo(method.Body, store) is not { } path)
            {
                continue;
            }

            // The creation runs once, before the nest.
            var creationIndex = IndexOf(method.Body, creations[0]);
            var loops = path.Where(f => f.Block[f.Index] is LoopStmt).ToList();
            if (creationIndex < 0 || creationIndex >= path[0].Index || loops.Count is 0 or > 2 || !loops.All(Counted))
            {
                continue;
            }

            var outer = (LoopStmt)loops[0].Block[loops[0].Index];
            var u = CounterOf(outer);
            if (loops.Count == 1 ? store.Index is VarExpr single && single.Name == u : InnerIndex(store.Index, u, loops[1], outer, ConstantsBefore(method.Body, all, path[0].Index)))
            {
                result.Add(store);
            }
        }

        return result;
    }

    /// <summary>
    /// <c>u·m + v</c> (either order of the sum and the product) where <c>v</c> is the inner loop's counter, counted from
    /// 0 while <c>v &lt; m</c>, and <c>m</c>'s variables are not assigned in the outer loop.
    /// </summary>
    private static bool InnerIndex(Expr index, string u, (EquatableArray<Stmt> Block, int Index) innerFrame, LoopStmt outer, IReadOnlyDictionary<string, string> constants)
    {
        var inner = (LoopStmt)innerFrame.Block[innerFrame.Index];
        var v = CounterOf(inner);
        if (innerFrame.Block[innerFrame.Index - 1] is not AssignStmt { Value: ConstExpr { Text: "0" } } || index is not BinaryExpr { Op: BinaryOp.Add } sum)
        {
            return false;
        }

        var (product, counter) = sum.Right is VarExpr r && r.Name == v ? (sum.Left, r) : sum.Left is VarExpr l && l.Name == v ? (sum.Right, l) : (null, null);
        if (product is not BinaryExpr { Op: BinaryOp.Multiply } p || counter is null)
        {
            return false;
        }

        var m = p.Left is VarExpr pl && pl.Name == u ? p.Right : p.Right is VarExpr pr && pr.Name == u ? p.Left : null;
        var bound = ((BinaryExpr)inner.Condition!).Right;
        var mVariables = new HashSet<string>(IrWalker.ReadVariables(bound));
        // A local grid of constant width: the row length is a hidden variable set once to the constant the loop counts to.
        if (m is VarExpr width && bound is ConstExpr constant && constants.TryGetValue(width.Name, out var text) && text == constant.Text)
        {
            return true;
        }

        return m is not null && Same(m, bound)
            && !IrWalker.Descendants(bound).Any(e => e is ElementExpr or MethodCallExpr or BuiltinCallExpr)
            && !IrWalker.Statements(outer.Body.Concat(outer.Step).ToEquatableArray()).Any(s => s is AssignStmt a && mVariables.Contains(a.Target));
    }

    /// <summary>
    /// The variables assigned exactly once in the method, to a constant, by a top-level statement before position
    /// <paramref name="before"/> of the body: at that position and after it they hold that constant.
    /// </summary>
    private static Dictionary<string, string> ConstantsBefore(EquatableArray<Stmt> body, List<Stmt> all, int before)
    {
        var result = new Dictionary<string, string>(System.StringComparer.Ordinal);
        for (var i = 0; i < before; i++)
        {
            if (body[i] is AssignStmt { Value: ConstExpr constant } assignment && all.Count(s => s is AssignStmt a && a.Target == assignment.Target) == 1)
            {
                result[assignment.Target] = constant.Text;
            }
        }

        return result;
    }

    /// <summary>
    /// Two integer expressions with the same text (record equality would compare their sites). A form without a text
    /// is never the same as anything: a wrong "same" would drop a save and silently break the gradient.
    /// </summary>
    private static bool Same(Expr a, Expr b) => ExpressionText(a) is { } text && text == ExpressionText(b);

    private static string? ExpressionText(Expr e) => e switch
    {
        VarExpr v => v.Name,
        ConstExpr c => c.Text,
        LengthExpr { Dimension: null, Row: null } l => l.Array + ".Length",
        BinaryExpr b when ExpressionText(b.Left) is { } left && ExpressionText(b.Right) is { } right => "(" + left + " " + b.Op + " " + right + ")",
        _ => null,
    };

    /// <summary><c>v = init; while (v &lt; bound) { … v = v + 1; }</c> with <c>v</c> assigned nowhere else in the loop and no jump out of it.</summary>
    private static bool Counted((EquatableArray<Stmt> Block, int Index) frame)
    {
        var loop = (LoopStmt)frame.Block[frame.Index];
        if (frame.Index == 0 || loop is not { TestFirst: true, Condition: BinaryExpr { Op: BinaryOp.Less, Left: VarExpr counter } }
            || frame.Block[frame.Index - 1] is not AssignStmt init || init.Target != counter.Name
            || loop.Step.Count != 1 || loop.Step[0] is not AssignStmt { Value: BinaryExpr { Op: BinaryOp.Add, Left: VarExpr stepped, Right: ConstExpr { Text: "1" } } } step
            || step.Target != counter.Name || stepped.Name != counter.Name)
        {
            return false;
        }

        return !IrWalker.Statements(loop.Body).Any(s => (s is AssignStmt a && a.Target == counter.Name) || s is ReturnStmt or BreakStmt or ContinueStmt);
    }

    private static string CounterOf(LoopStmt loop) => ((VarExpr)((BinaryExpr)loop.Condition!).Left).Name;

    private static int IndexOf(EquatableArray<Stmt> block, Stmt statement)
    {
        for (var i = 0; i < block.Count; i++)
        {
            if (ReferenceEquals(block[i], statement))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The blocks and positions from the body down to <paramref name="target"/> (through if branches and loop bodies), or null.</summary>
    private static List<(EquatableArray<Stmt> Block, int Index)>? PathTo(EquatableArray<Stmt> block, Stmt target)
    {
        for (var i = 0; i < block.Count; i++)
        {
            if (ReferenceEquals(block[i], target))
            {
                return new List<(EquatableArray<Stmt>, int)> { (block, i) };
            }

            var children = block[i] switch
            {
                IfStmt branch => new[] { branch.Then, branch.Else },
                LoopStmt loop => new[] { loop.Body },
                _ => System.Array.Empty<EquatableArray<Stmt>>(),
            };
            foreach (var child in children)
            {
                if (PathTo(child, target) is { } rest)
                {
                    rest.Insert(0, (block, i));
                    return rest;
                }
            }
        }

        return null;
    }

    /// <summary><c>v = 0; while (v &lt; length) { … array[v] = e; … v = v + 1; }</c> with no jump and no read of the array.</summary>
    private static bool WritesEveryElement(Stmt start, Stmt statement, string array, Expr length)
    {
        if (statement is not LoopStmt { TestFirst: true, Condition: BinaryExpr { Op: BinaryOp.Less, Left: VarExpr counter } condition } writer
            || !(condition.Right == length || (condition.Right is LengthExpr { Dimension: null, Row: null } l && l.Array == array))
            || start is not AssignStmt { Value: ConstExpr { Text: "0" } } init || init.Target != counter.Name
            || writer.Step.Count != 1 || writer.Step[0] is not AssignStmt { Value: BinaryExpr { Op: BinaryOp.Add, Left: VarExpr stepped, Right: ConstExpr { Text: "1" } } } step
            || step.Target != counter.Name || stepped.Name != counter.Name)
        {
            return false;
        }

        var inWriter = IrWalker.Statements(writer.Body).ToList();
        return !inWriter.Any(s => s is BreakStmt or ContinueStmt or ReturnStmt || (s is AssignStmt a && a.Target == counter.Name))
            && !inWriter.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables).Contains(array)
            && writer.Body.Any(s => s is StoreStmt store && store.Array == array && store.Index is VarExpr index && index.Name == counter.Name);
    }

    /// <summary>Whether a statement reads, writes, creates or passes <paramref name="array"/> (its length alone does not count).</summary>
    private static bool Touches(Stmt statement, string array) =>
        statement switch
        {
            StoreStmt s when s.Array == array => true,
            NewArrayStmt n when n.Target == array => true,
            AssignStmt a when a.Target == array => true,
            _ => IrWalker.Expressions(statement).SelectMany(IrWalker.ReadVariables).Contains(array),
        };
}
