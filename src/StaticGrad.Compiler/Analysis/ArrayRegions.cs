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
public static class ArrayRegions
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
            .SelectMany(IrWalker.Descendants).Any(e => (e is VarExpr v && v.Name == array) || (e is SliceExpr s && s.Array == array)))
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
