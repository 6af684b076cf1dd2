namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 17 (issue 18): inside a reduction loop, an inner loop that adds to the same accumulator (n-body's pair loop,
/// <c>for (int j = i + 1; j &lt; bound; j++) { T q = e; r -= q * e; }</c>), the shape fused inside the outer iteration
/// when the result is linear in the accumulator. Whether a program gets one is drawn from a stream of its own, so the
/// programs without it are the same as before.
/// </summary>
public sealed partial class ProgramGenerator
{
    private void InnerReduction(string accumulator, string outer)
    {
        if (!Allowed(Production.InnerReduction) || _innerReductions.NextDouble() >= 0.4)
        {
            return;
        }

        Use(Production.InnerReduction);
        var j = Fresh("j");
        var start = _innerReductions.NextDouble() < 0.5 ? outer + " + 1" : "0";
        _w.Open($"for (int {j} = {start}; {j} < {Bound()}; {j}++)");
        EnterLoop(j);
        var pair = Fresh("q");
        Declare(pair, Expression(1), T);
        _readable.Add(pair);
        Assign(accumulator, _innerReductions.NextDouble() < 0.6 ? "+=" : "-=", Fragment.Combine("{0} * {1}", Fragment.Variable(pair), Expression(1)));
        _readable.Remove(pair);
        ExitLoop();
        _w.Close();
    }
}
