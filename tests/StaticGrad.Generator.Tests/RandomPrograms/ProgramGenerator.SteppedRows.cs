using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// GMM's row (session 16): inside a loop, an accumulator summed over an inner loop that reads the array parameter at
    /// an offset stepped by a varying amount (<c>s += c + 1</c>, no closed form), so the compiler reverses the inner loop
    /// in forward order instead of pushing the offset per outer iteration. Drawn from a stream of its own, so every
    /// other program's text is unchanged.
    /// </summary>
    private void SteppedRow()
    {
        if (_steppedRows.NextDouble() >= 0.35 || !Allowed(Production.SteppedRow) || _arrayParameter is null || _assignable.Count == 0)
        {
            return;
        }

        Use(Production.SteppedRow);
        var (row, weight) = (NewName("r"), NewName("p"));
        var offset = "s" + _counter++;
        var column = "c" + _counter++;
        DeclareRowAndWeight(row, weight);
        // A literal start half of the time: the reverse can evaluate it again wherever it sits.
        var start = _steppedRows.Next(2) == 0 ? _steppedRows.Next(_length).ToString(CultureInfo.InvariantCulture) : Index();
        _w.Both($"int {offset} = {start};");
        var trips = (1 + _steppedRows.Next(3)).ToString(CultureInfo.InvariantCulture);
        _w.Open($"for (int {column} = 0; {column} < {trips}; {column}++)");
        var length = _length.ToString(CultureInfo.InvariantCulture);
        Assign(row, "+=", Fragment.Combine("{0} * {1}", Element(_arrayParameter, $"{offset} % {length}"), Fragment.Variable(weight)));
        _w.Both($"{offset} += {column} + 1;");
        _w.Close();
        Assign(Pick(_assignable), "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
    }

    private string NewName(string prefix) => prefix + _counter++;

    /// <summary>The accumulator of a row and its weight, each a random expression (<see cref="SteppedRow"/>, <see cref="MlpRow"/>).</summary>
    private void DeclareRowAndWeight(string row, string weight)
    {
        foreach (var name in new[] { row, weight })
        {
            var value = Expression(1);
            _w.Src($"{T} {name} = {value.Src};");
            _w.Ref($"{T} {name} = {value.Ref};");
            _w.Ref($"{T} {name}_0 = {value.Shadow};");
        }
    }
}
