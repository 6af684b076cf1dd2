using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Saves inside the loops of a fused iteration, into slots instead of onto the tape (session 17, docs/benchmarks.md).
/// A fused loop's iteration is reversed right after it runs, so a value pushed inside it is popped before the next
/// iteration: the tape only ever holds one iteration's values. When every loop between the fused loop and a saving
/// assignment is counted from a constant start to a bound that cannot change (<c>i = s; while (i &lt; bound)</c>, the
/// index written by its step alone, reversed by that index), each run of the assignment in one fused iteration has its
/// own tuple of loop indices, so the value goes to a buffer rented once per fused loop at the slot those indices number
/// (<c>_rowSaved[c_1 * d + j_1] = row</c>) and is read back from there (GMM's <c>row</c>, pushed per row and per
/// component before). A store and a load of a local array replace the tape's capacity check and the loads and stores
/// of its top in memory. The reversed loops run by index, so the indices hold their forward values where the value is
/// read back.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// How many counted loops inside the fused loop a save needs around it to use slots. Measured (docs/benchmarks.md,
    /// session 17): GMM's <c>row</c>, under two (component, row), gained; the MLP's <c>error</c>, under one (outputs),
    /// became 1.2–1.5 times slower alternating with the tape's code, for reasons not established; one loop keeps the tape.
    /// </summary>
    private const int MinSlotLoops = 2;

    /// <summary>The saving assignments that use slots: their buffer's name and the slot's index as C# text.</summary>
    private readonly Dictionary<Stmt, (string Buffer, string Index)> _slots = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>The buffers each fused loop rents: name, element type, length as C# text, and the saved variable.</summary>
    private readonly Dictionary<Stmt, List<(string Buffer, string Element, string Length, string Variable)>> _slotBuffers = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Finds the slot saves of a fused loop's iteration and writes their buffers' rental before the loop.</summary>
    private void RentIterationSlots(LoopStmt fused, IndentedWriter w)
    {
        var buffers = new List<(string Buffer, string Element, string Length, string Variable)>();
        FindSlots(fused.Body, new List<(string Index, int Start, string Bound)>(), buffers);
        _slotBuffers[fused] = buffers;
        foreach (var (buffer, element, length, variable) in buffers)
        {
            w.WriteLine("// " + variable + " is saved once per iteration of the loops inside each fused iteration: in a slot those loops' indices number, not on the tape.");
            w.WriteLine("var " + buffer + " = " + TapeType + ".Rent<" + element + ">(" + length + ");");
        }
    }

    /// <summary>Gives back the buffers <see cref="RentIterationSlots"/> rented for a fused loop.</summary>
    private void ReturnIterationSlots(LoopStmt fused, IndentedWriter w)
    {
        foreach (var buffer in _slotBuffers[fused])
        {
            w.WriteLine(TapeType + ".Return(" + buffer.Buffer + ");");
        }
    }

    private void FindSlots(EquatableArray<Stmt> block, List<(string Index, int Start, string Bound)> loops, List<(string, string, string, string)> buffers)
    {
        Stmt? previous = null;
        foreach (var statement in block)
        {
            switch (statement)
            {
                case AssignStmt a when loops.Count >= MinSlotLoops && SaveOf(a) == Storage.Tape && a.Type is { Shape: ShapeKind.Scalar, StructName.Length: 0, Scalar: not ScalarKind.Opaque }:
                    {
                        var buffer = Fresh("_" + NameScope.Unescaped(a.Target).TrimStart('_') + "Saved");
                        var length = string.Join(" * ", loops.Select(l => "global::System.Math.Max(0, " + Difference(l.Bound, l.Start) + ")"));
                        buffers.Add((buffer, a.Type.ScalarKeyword, loops.Count > 1 ? "checked(" + length + ")" : length, a.Target));
                        _slots[a] = (buffer, SlotIndex(loops));
                        break;
                    }

                case IfStmt branch:
                    FindSlots(branch.Then, loops, buffers);
                    FindSlots(branch.Else, loops, buffers);
                    break;
                case LoopStmt loop when SlotLoop(loop, previous) is { } counted:
                    loops.Add(counted);
                    FindSlots(loop.Body, loops, buffers);
                    loops.RemoveAt(loops.Count - 1);
                    break;
            }

            previous = statement;
        }
    }

    /// <summary>
    /// A loop whose iterations the slots can number: counted by an <c>int</c> index from a constant start
    /// (<see cref="CountingIndex"/>) and reversed by it, its condition only <c>index &lt; bound</c> with a bound read
    /// from constants and parameters the body never assigns (so the buffer's length, taken before the fused loop, holds
    /// every iteration), and tested first. A loop that may leave early (a <c>break</c> or <c>return</c> becomes a second
    /// conjunct) keeps the tape: its bound may be far above what it runs.
    /// </summary>
    private (string Index, int Start, string Bound)? SlotLoop(LoopStmt loop, Stmt? previous)
    {
        if (loop.Condition is not BinaryExpr { Op: BinaryOp.Less, Left: VarExpr { Type.Scalar: ScalarKind.Int } index } condition
            || previous is not AssignStmt { Value: ConstExpr start } startAssignment
            || startAssignment.Target != index.Name
            || !int.TryParse(start.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !IrWalker.Descendants(condition.Right).All(e => e is ConstExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } || IsFixedIntParameter(e))
            || ForwardOrder.ContainsKey(loop)
            || ControlOf(loop) == Storage.None
            || !IsCountedByIndex(loop, previous)
            || _countedLoops[loop].Index != index.Name)
        {
            return null;
        }

        return (index.Name, first, ExpressionPrinter.Print(condition.Right));
    }

    private bool IsFixedIntParameter(Expr expression) =>
        expression is VarExpr { Type: { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int } } v
        && _method.Parameters.Any(p => p.Name == v.Name) && !_reassignedParameters.Contains(v.Name);

    /// <summary>The slot of one run: the loops' indices less their starts, in mixed radix of the loops' extents.</summary>
    private static string SlotIndex(List<(string Index, int Start, string Bound)> loops)
    {
        var index = Difference(loops[0].Index, loops[0].Start);
        for (var i = 1; i < loops.Count; i++)
        {
            // Inside the loops each extent is positive, so it needs no Math.Max here. The index so far is parenthesized
            // unless it is a name: an outer loop starting above 0 gives "c - 2" (session 17's review: IndexOutOfRange).
            index = SlotOperand(index) + " * " + SlotOperand(Difference(loops[i].Bound, loops[i].Start)) + " + " + SlotOperand(Difference(loops[i].Index, loops[i].Start));
        }

        return index;
    }

    private static string Difference(string value, int start) => start == 0 ? value : SlotOperand(value) + " - " + start.ToString(CultureInfo.InvariantCulture);

    private static string SlotOperand(string text) => IsName(text) || text.All(char.IsDigit) ? text : "(" + text + ")";
}
