namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>Trips of the dead tail's loop: v = v · v + 1.5 overflows to ∞ within 11 from any start (float sooner).</summary>
    private const int DeadTailTrips = 14;

    /// <summary>
    /// Batch 20262323's P39 (session 19): after the result's value is taken, a local it read keeps being updated in a
    /// loop until it overflows, and none of that reaches the result. The reverse sweep must give that tail no adjoint
    /// work (0 · ∞ is NaN). The value is kept in a fresh local and returned after the tail. Drawn from a stream of its
    /// own, so every other program's text is unchanged.
    /// </summary>
    private Fragment DeadTail(Fragment result)
    {
        // Also after the fused-loop productions (NeighbourReads, SlottedRow), again since session 20: fusion keeps a
        // reduction loop that reads the tail's local (its dead writes keep the adjoint the fused iterations added) and
        // reaches the result through the kept value (ReductionFusion.DeadWrites.cs, ReductionFusion.Forwarding.cs).
        if (_isHelper || _deadTails.NextDouble() >= 0.2 || !Allowed(Production.DeadTail) || _assignable.Count == 0)
        {
            return result;
        }

        Use(Production.DeadTail);
        var kept = Fresh("kept");
        _w.Src($"var {kept} = {result.Src};");
        _w.Ref($"var {kept} = {result.Ref};");
        var target = _assignable[_deadTails.Next(_assignable.Count)];
        var counter = Fresh("t");
        _w.Open($"for (int {counter} = 0; {counter} < {DeadTailTrips}; {counter}++)");
        Assign(target, "=", Fragment.Combine("{0} * {0} + " + Literal(1.5), Fragment.Variable(target)));
        _w.Close();
        return Fragment.Inactive(kept);
    }
}
