namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>Trips of the last-trip loop: the local overflows on the last one only.</summary>
    private const int LastTripTrips = 3;

    /// <summary>
    /// Batch 20262617's P138 (session 21, review rev-nan21): after the result's value is taken into a fresh local, a
    /// for loop whose every trip first reads a local <c>v</c> into another <c>r</c> (<c>r = r + sin(v) · 0.25</c>), then
    /// writes <c>v = v · v · f + 1.5</c> with <c>f = exp(800)</c> (∞) on the last trip and 0.25 before: v is ≥ 1.5 after the
    /// first trip, so the last trip's write overflows, and only the next trip (none) would read it. The result reads r,
    /// never v after the loop: PyTorch's graph holds no last write, and 0 · ∞ in its reverse must not give NaN
    /// (<c>DeadOnSomePath</c>, Analysis/DerivativeLiveness.cs). Drawn from a stream of its own, so every program
    /// without it is unchanged.
    /// </summary>
    private Fragment LastTripOverflow(Fragment result)
    {
        if (_isHelper || _lastTrips.NextDouble() >= 0.1 || !Allowed(Production.LastTripOverflow) || _assignable.Count < 2
            || _used.Contains(Production.NeighbourReads) || _used.Contains(Production.SlottedRow))
        {
            return result;
        }

        Use(Production.LastTripOverflow);
        var kept = Fresh("kept");
        _w.Src($"var {kept} = {result.Src};");
        _w.Ref($"var {kept} = {result.Ref};");
        var first = _lastTrips.Next(_assignable.Count);
        var target = _assignable[first];
        var reader = _assignable[(first + 1 + _lastTrips.Next(_assignable.Count - 1)) % _assignable.Count];
        var counter = Fresh("t");
        _w.Open($"for (int {counter} = 0; {counter} < {LastTripTrips}; {counter}++)");
        Assign(reader, "=", Fragment.Combine("{0} + " + M + ".Sin({1}) * " + Literal(0.25), Fragment.Variable(reader), Fragment.Variable(target)));
        Assign(target, "=", Fragment.Combine("{0} * {0} * (" + counter + " == " + (LastTripTrips - 1) + " ? " + M + ".Exp(" + Literal(800) + ") : " + Literal(0.25) + ") + " + Literal(1.5), Fragment.Variable(target)));
        _w.Close();
        return Fragment.Combine("({0} + " + Literal(0.5) + " * {1})", Fragment.Inactive(kept), Fragment.Variable(reader));
    }
}
