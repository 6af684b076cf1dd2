using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// The MLP's row near the array's end (session 20): inside a for loop counted by <paramref name="outer"/>, an
    /// accumulator summed over an inner loop from 0 that reads the array parameter at <c>outer + K + c</c> under the
    /// user's own test <c>outer + K + c &lt; L</c>. K puts the row's end at the array's end (or one before) when
    /// <paramref name="outer"/> is 0, so the forward sweep takes the span copy there and, in a later outer iteration
    /// where the row runs past the end, the indexed fallback, whose test keeps every read in range (no exception). An
    /// array parameter only (a span parameter gets no row). Drawn from a stream of its own, so every other program's
    /// text is unchanged.
    /// </summary>
    private void MlpRowTail(string outer)
    {
        if (_mlpRowTails.NextDouble() >= 0.3 || !Allowed(Production.MlpRowTail) || _arrayParameter is null || !_arrayParameterIsArray || _assignable.Count == 0 || _readable.Count == 0)
        {
            return;
        }

        Use(Production.MlpRowTail);
        var (row, weight, column) = (NewName("r"), NewName("p"), NewName("c"));

        // Every choice from this production's own stream (not DeclareRowAndWeight's random expressions, not Pick), so
        // the main stream, and with it the rest of the program, is the same as without it.
        var source = Fragment.Variable(_readable[_mlpRowTails.Next(_readable.Count)]);
        foreach (var (name, value) in new[] { (row, Fragment.Constant(Literal(0.0))), (weight, source) })
        {
            _w.Src($"{T} {name} = {value.Src};");
            _w.Ref($"{T} {name} = {value.Ref};");
            _w.Ref($"{T} {name}_0 = {value.Shadow};");
        }

        var trips = 1 + _mlpRowTails.Next(_length);
        var offset = Math.Max(0, _length - trips - _mlpRowTails.Next(2));
        var index = string.Create(CultureInfo.InvariantCulture, $"{outer} + {offset} + {column}");
        _w.Open(string.Create(CultureInfo.InvariantCulture, $"for (int {column} = 0; {column} < {trips}; {column}++)"));
        var test = string.Create(CultureInfo.InvariantCulture, $"{index} < {_length}");
        Assign(row, "+=", Fragment.Combine("(" + test + " ? {0} * {1} : {1})", Element(_arrayParameter, index), Fragment.Variable(weight)));
        _w.Close();
        Assign(_assignable[_mlpRowTails.Next(_assignable.Count)], "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
    }
}
