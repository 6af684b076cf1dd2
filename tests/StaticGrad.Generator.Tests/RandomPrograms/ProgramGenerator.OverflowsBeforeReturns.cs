namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// Batch 20262460's P51 (session 20): a loop grows a local the result reads to ∞, then an early return reads none of
    /// it. The normalised return is a flag at a join, so the loop stays derivative-live, and on the returning path its
    /// reverse runs with zero adjoints: 0 · ∞ must not give NaN (Reverse/ReverseModeTransformer.DeadOnSomePath.cs).
    /// The loop runs only when the flag is set (<c>t &lt; (flag ? 14 : 0)</c>), so the other path stays finite and both are
    /// checked. Returns the local the result must read, or null; drawn from a stream of its own, so every program without
    /// it is unchanged.
    /// </summary>
    private string? OverflowBeforeReturn()
    {
        // Not after the fused-loop productions, for DeadTail's reason: a later write refuses their loops' fusion.
        if (_isHelper || _overflowReturns.NextDouble() >= 0.1 || !Allowed(Production.OverflowBeforeReturn) || _assignable.Count == 0
            || _used.Contains(Production.NeighbourReads) || _used.Contains(Production.SlottedRow))
        {
            return null;
        }

        Use(Production.OverflowBeforeReturn);
        var flag = Fresh("over");
        var (src, reference) = Condition();
        _w.Src($"bool {flag} = {src};");
        _w.Ref($"bool {flag} = {reference};");
        var target = _assignable[_overflowReturns.Next(_assignable.Count)];
        var counter = Fresh("t");
        _w.Open($"for (int {counter} = 0; {counter} < ({flag} ? {DeadTailTrips} : 0); {counter}++)");
        Assign(target, "=", Fragment.Combine("{0} * {0} + " + Literal(1.5), Fragment.Variable(target)));
        _w.Close();
        // The returned value must not read the overflowed local: then its ∞ is in the graph and NaN is PyTorch's answer too.
        var index = _readable.IndexOf(target);
        if (index >= 0)
        {
            _readable.RemoveAt(index);
        }

        var e = Expression(2);
        if (_resultFormat is not null)
        {
            e = Fragment.Combine(_resultFormat, e, Expression(2));
        }

        if (index >= 0)
        {
            _readable.Insert(index, target);
        }

        _w.Src($"if ({flag}) return {e.Src};");
        _w.Ref($"if ({flag}) return {e.Ref};");
        return target;
    }
}
