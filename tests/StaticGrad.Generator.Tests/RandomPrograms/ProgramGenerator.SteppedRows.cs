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
        var row = "r" + _counter++;
        var weight = "p" + _counter++;
        var offset = "s" + _counter++;
        var column = "c" + _counter++;
        var init = Expression(1);
        _w.Src($"{T} {row} = {init.Src};");
        _w.Ref($"{T} {row} = {init.Ref};");
        _w.Ref($"{T} {row}_0 = {init.Shadow};");
        var factor = Expression(1);
        _w.Src($"{T} {weight} = {factor.Src};");
        _w.Ref($"{T} {weight} = {factor.Ref};");
        _w.Ref($"{T} {weight}_0 = {factor.Shadow};");
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
}
