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
    /// became 1.2–1.5 times slower alternating with the tape's code, for reasons not established; one loop keeps the tape
    /// unless it is a leaf loop of a fused iteration (<see cref="IsIterationStack"/>, session 23).
    /// </summary>
    private const int MinSlotLoops = 2;

    /// <summary>The saves that use slots: their buffer's name and the slot's index as C# text.</summary>
    private readonly Dictionary<Stmt, (string Buffer, string Index)> _slots = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>The buffers each root loop rents: name, element type, length as C# text, and the saved locations.</summary>
    private readonly Dictionary<Stmt, List<SlotBuffer>> _slotBuffers = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>How deep the forward sweep being written is in loops: a loop at depth 0 may be a root of slots.</summary>
    private int _forwardLoopDepth;

    /// <summary>One rented buffer: the saves of one loop body (one element type), interleaved per iteration.</summary>
    private sealed record SlotBuffer(string Name, string Element, string Length, IReadOnlyList<string> Saved, bool OneLoop);

    /// <summary>Finds the slot saves of a fused loop's iteration and writes their buffers' rental before the loop.</summary>
    private void RentIterationSlots(LoopStmt fused, IndentedWriter w)
    {
        var buffers = FindSlots(fused.Body, new List<(string Index, int Start, string Bound)>(), rootIsFused: true);
        _slotBuffers[fused] = buffers;
        foreach (var buffer in buffers)
        {
            w.WriteLine("// " + SavedList(buffer) + (buffer.OneLoop
                ? " once per iteration of a loop inside each fused iteration, its trip count the same in each: in a slot its index numbers, not on the tape."
                : " once per iteration of the loops inside each fused iteration: in a slot those loops' indices number, not on the tape."));
            w.WriteLine("var " + buffer.Name + " = " + TapeType + ".Rent<" + buffer.Element + ">(" + buffer.Length + ");");
        }
    }

    /// <summary>Gives back the buffers <see cref="RentIterationSlots"/> or <see cref="RentLoopSlots"/> rented for a loop.</summary>
    private void ReturnIterationSlots(Stmt loop, IndentedWriter w)
    {
        if (!_slotBuffers.TryGetValue(loop, out var buffers))
        {
            return;
        }

        foreach (var buffer in buffers)
        {
            w.WriteLine(TapeType + ".Return(" + buffer.Name + ");");
        }
    }

    /// <summary>
    /// Session 19 (LSTM): a counted loop outside every loop (not fused) is a root of slots too. Its forward runs whole
    /// before its reverse, so each run of a save under it and under at least one more counted loop has its own tuple
    /// of the loops' indices, the root's among them: the value goes to the slot that tuple numbers in a buffer rented
    /// before the root loop and returned after its reverse (declared with the method's locals, as the forward and the
    /// reverse are separate blocks). Only the gradient's single reverse (<see cref="_keepsOnTape"/>): the Jacobian
    /// reverses more than once.
    /// </summary>
    private void RentLoopSlots(LoopStmt loop, Stmt? previous, IndentedWriter w)
    {
        if (_forwardLoopDepth > 0 || !_keepsOnTape || SlotLoop(loop, previous) is not { } root)
        {
            return;
        }

        var buffers = FindSlots(loop.Body, new List<(string Index, int Start, string Bound)> { root }, rootIsFused: false);
        if (buffers.Count == 0)
        {
            return;
        }

        _slotBuffers[loop] = buffers;
        foreach (var buffer in buffers)
        {
            _declarations.Add(buffer.Element + "[] " + buffer.Name + " = global::System.Array.Empty<" + buffer.Element + ">();");
            w.WriteLine("// " + SavedList(buffer) + " once per iteration of the loops around: in a slot their indices number, not on the tape.");
            w.WriteLine(buffer.Name + " = " + TapeType + ".Rent<" + buffer.Element + ">(" + buffer.Length + ");");
        }
    }

    private static string SavedList(SlotBuffer buffer) =>
        buffer.Saved.Count == 1 ? buffer.Saved[0] + " is saved" : string.Join(", ", buffer.Saved) + " are saved side by side";

    /// <summary>
    /// The saves under <paramref name="loops"/> that take slots, grouped into one buffer per loop body and element type:
    /// the saves of one iteration lie side by side (the hand-written LSTM's layout), so a body saving several values
    /// holds one buffer in a register, not one per value.
    /// </summary>
    private List<SlotBuffer> FindSlots(EquatableArray<Stmt> block, List<(string Index, int Start, string Bound)> loops, bool rootIsFused)
    {
        var found = new List<SlotSave>();
        FindSlotSaves(block, loops, new List<Stmt>(), rootIsFused, found);
        var buffers = new List<SlotBuffer>();

        // One buffer per innermost loop (by reference: two sibling loops can be equal records) and element type.
        var groups = new List<List<SlotSave>>();
        foreach (var save in found)
        {
            var group = groups.FirstOrDefault(g => ReferenceEquals(g[0].Innermost, save.Innermost) && g[0].Type.ScalarKeyword == save.Type.ScalarKeyword);
            if (group is null)
            {
                groups.Add(group = new List<SlotSave>());
            }

            group.Add(save);
        }

        // Under a root that is not fused, only an innermost loop's saves: a save in a body that runs a loop of its own
        // runs once per run of that loop, its push costs little beside it, and the slot's buffer would be one more live
        // reference across the inner loop (the MLP's z, per hidden unit around its input loop: 0.90-1.10 of the tape's
        // time alternating, not better; session 17's MLP error, one loop deep, was slower).
        foreach (var saves in groups.Where(g => rootIsFused || !IrWalker.Statements(((LoopStmt)g[0].Innermost).Body).Any(s => s is LoopStmt)))
        {
            var nest = saves[0].Loops;
            var slots = saves.Sum(s => (s.SavesValue ? 1 : 0) + s.Kept);
            var count = slots.ToString(CultureInfo.InvariantCulture);
            var saved = saves.SelectMany(s => (s.SavesValue ? new[] { s.Saved } : new string[0]).Concat(Enumerable.Repeat("a kept call of " + s.Saved, s.Kept))).Distinct().ToList();
            var buffer = Fresh(slots == 1 && saves[0].SavesValue ? "_" + NameScope.Unescaped(saves[0].Saved).TrimStart('_') + "Saved" : "_saves");
            var extents = string.Join(" * ", nest.Select(l => IntegerText.Max("0", Difference(l.Bound, l.Start))));
            var length = slots == 1 ? extents : extents + " * " + count;
            buffers.Add(new SlotBuffer(buffer, saves[0].Type.ScalarKeyword, nest.Count > 1 || slots > 1 ? "checked(" + length + ")" : length, saved, nest.Count == 1));
            var slot = SlotIndex(nest);
            var k = 0;
            string Next() => slots == 1 ? slot : SlotOperand(slot) + " * " + count + (k++ == 0 ? string.Empty : " + " + (k - 1).ToString(CultureInfo.InvariantCulture));
            foreach (var save in saves)
            {
                if (save.SavesValue)
                {
                    _slots[save.Save] = (buffer, Next());
                }

                if (save.Kept > 0)
                {
                    _keptSlots[save.Save] = new Queue<(string, string, string)>(Enumerable.Range(0, save.Kept).Select(_ => (buffer, Next(), save.Type.ScalarKeyword)));
                }
            }
        }

        return buffers;
    }

    /// <summary>A save that takes a slot: the statement, what it saves, its type, the loops around it (outer first) and the innermost.</summary>
    private sealed record SlotSave(Stmt Save, string Saved, IrType Type, List<(string Index, int Start, string Bound)> Loops, Stmt Innermost, bool SavesValue, int Kept);

    /// <summary>
    /// The slots reserved for the values a statement keeps of its library calls (<see cref="MarkKeptBuiltins"/>), in the
    /// order its candidates are found: LSTM's <c>tanh(c)</c> lies beside the cell's seven saves, so that the cell's loop
    /// touches no tape at all. A reserved slot no candidate takes stays unused.
    /// </summary>
    private readonly Dictionary<Stmt, Queue<(string Buffer, string Index, string ElementType)>> _keptSlots = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>
    /// How many library calls of a statement's value may be kept (<see cref="MarkKeptBuiltins"/>' candidates). A call
    /// that is the whole value is not counted: its reverse reads the target (LSTM's <c>change = tanh(…)</c>, GMM's
    /// <c>diagonal = exp(…)</c>), and a slot no value takes would only widen the buffer; were it kept after all, it would
    /// go to the tape.
    /// </summary>
    private int KeptCandidates(Stmt statement, Expr value, IrType type) =>
        KeepsOnTape(statement)
            ? ReverseValueCache.Unconditional(value)
                .Where(c => !ReferenceEquals(c, value) && c.Type.ScalarKeyword == type.ScalarKeyword && c.Type.StructName.Length == 0 && TapeKeptFunctions.Contains(c.Function))
                .Select(ExpressionPrinter.Print).Distinct().Count()
            : 0;

    private void FindSlotSaves(EquatableArray<Stmt> block, List<(string Index, int Start, string Bound)> loops, List<Stmt> nest, bool rootIsFused, List<SlotSave> found)
    {
        Stmt? previous = null;
        foreach (var statement in block)
        {
            switch (statement)
            {
                case AssignStmt a when TakesSlots(loops, nest, rootIsFused) && IsSlotType(a.Type) && SlotSaveOf(a, a.Target, a.Value, a.Type, loops, nest, rootIsFused) is { } save:
                    found.Add(save);
                    break;
                case StoreStmt s when loops.Count >= MinSlotLoops && !rootIsFused && IsSlotType(s.ElementType) && SlotSaveOf(s, s.Array, s.Value, s.ElementType, loops, nest, rootIsFused) is { } save:
                    found.Add(save);
                    break;
                case IfStmt branch:
                    FindSlotSaves(branch.Then, loops, nest, rootIsFused, found);
                    FindSlotSaves(branch.Else, loops, nest, rootIsFused, found);
                    break;

                // A fused loop inside a root that is not fused saves in its own iteration's slots.
                case LoopStmt loop when (rootIsFused || !_fusion.IsFused(loop)) && SlotLoop(loop, previous) is { } counted:
                    loops.Add(counted);
                    nest.Add(loop);
                    FindSlotSaves(loop.Body, loops, nest, rootIsFused, found);
                    loops.RemoveAt(loops.Count - 1);
                    nest.RemoveAt(nest.Count - 1);
                    break;
            }

            previous = statement;
        }
    }

    /// <summary>
    /// What a statement puts in slots: the value it overwrites (saved on the tape otherwise) and, under a root that is
    /// not fused (GMM's fused iterations stay as measured in session 17), the values it keeps of its library calls.
    /// </summary>
    private SlotSave? SlotSaveOf(Stmt statement, string saved, Expr value, IrType type, List<(string Index, int Start, string Bound)> loops, List<Stmt> nest, bool rootIsFused)
    {
        var savesValue = SaveOf(statement) == Storage.Tape;
        var kept = rootIsFused && !IsIterationStack(loops, nest, rootIsFused) ? 0 : KeptCandidates(statement, value, type);
        return savesValue || kept > 0 ? new SlotSave(statement, saved, type, loops.ToList(), nest[nest.Count - 1], savesValue, kept) : null;
    }

    /// <summary>Whether the saves directly under <paramref name="loops"/> take slots: two counted loops deep, or an iteration stack.</summary>
    private static bool TakesSlots(List<(string Index, int Start, string Bound)> loops, List<Stmt> nest, bool rootIsFused) =>
        loops.Count >= MinSlotLoops || IsIterationStack(loops, nest, rootIsFused);

    /// <summary>
    /// Session 23 (gmm23d, docs/benchmarks.md): inside a fused iteration, a counted loop with no loop in its body (a
    /// reduction such as GMM's log-sum-exp, <c>max = Math.Max(max, t[c])</c> and <c>sumExp += Math.Exp(t[c] - max)</c>)
    /// saves its values and the library calls it keeps in slots its index numbers, in a buffer rented once before the
    /// fused loop, instead of on the tape: the values are popped in the same iteration's reverse, and the loop's trip
    /// count, from constants and parameters no statement assigns (<see cref="SlotLoop"/>), is the same in every
    /// iteration, so the buffer taken before the fused loop holds every run. Measured on GMM d2_K5 by hand first
    /// (gmm23b's LseArr, 0.81–0.93 of the tape's time). Only a leaf loop: session 17's MLP <c>error</c>, under a loop
    /// that runs a loop of its own, was 1.2–1.5 times slower in a slot.
    /// </summary>
    private static bool IsIterationStack(List<(string Index, int Start, string Bound)> loops, List<Stmt> nest, bool rootIsFused) =>
        rootIsFused && loops.Count == 1 && nest.Count == 1 && !IrWalker.Statements(((LoopStmt)nest[0]).Body).Any(s => s is LoopStmt);

    private static bool IsSlotType(IrType type) => type is { Shape: ShapeKind.Scalar, StructName.Length: 0, Scalar: not ScalarKind.Opaque };

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
