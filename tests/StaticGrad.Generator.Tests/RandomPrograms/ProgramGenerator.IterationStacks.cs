using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// GMM's log-sum-exp inside its point loop (session 23, gmm23d): in a reduction loop's iteration, the iteration's
    /// term updated inside one counted leaf loop (0, 1, 2 or 3 trips, or <c>n</c>) by a kinked maximum or a kept, bounded <c>Exp</c>
    /// (of <c>-term² / 2</c>), so the value the update overwrites and the call's value go to slots the loop's index numbers when the
    /// reduction is fused (the tape otherwise). Drawn from a stream of its own, so every other program's text is unchanged.
    /// </summary>
    private void IterationStack(string term)
    {
        if (_iterationStacks.NextDouble() >= 0.4 || !Allowed(Production.IterationStack))
        {
            return;
        }

        Use(Production.IterationStack);
        var column = "c" + _counter++;
        var bound = _ints.Contains("n") && _iterationStacks.Next(2) == 0 ? "n" : _iterationStacks.Next(4).ToString(CultureInfo.InvariantCulture);
        _w.Open($"for (int {column} = 0; {column} < {bound}; {column}++)");
        var factor = _arrayParameter is not null && _length > 0
            ? Element(_arrayParameter, $"{column} % {_length.ToString(CultureInfo.InvariantCulture)}")
            : Fragment.Inactive($"({T})({column} + 1)");
        Assign(term, "=", _iterationStacks.Next(2) == 0
            ? Fragment.Combine(M + ".Max({0}, {0} * {1} + " + Literal(0.25) + ")", Fragment.Variable(term), factor)
            : Fragment.Combine("{0} + " + M + ".Exp({1} * " + Literal(0.5) + " - {0} * {0} * " + Literal(0.5) + ")", Fragment.Variable(term), factor));
        _w.Close();
    }
}
