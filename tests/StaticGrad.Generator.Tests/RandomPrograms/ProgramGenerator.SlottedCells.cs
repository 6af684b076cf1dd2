using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// LSTM's cells (session 19): inside a for loop outside every loop, a counted inner loop (0 to a literal or
    /// <c>n</c>) that sets a local to a factor times a library call of its own old value, <c>v = e · tanh(v + e′)</c>:
    /// the value it overwrites and the call's value are saved in slots numbered by the two loops' indices when the outer
    /// loop is counted (on the tape when it may leave early or is not counted). The factors read an array parameter at
    /// the indices or are constants. Drawn from a stream of its own, so every other program's text is unchanged.
    /// </summary>
    private void SlottedCell()
    {
        if (_loopDepth != 1 || _slottedCells.NextDouble() >= 0.5 || !Allowed(Production.SlottedCell) || _assignable.Count == 0)
        {
            return;
        }

        Use(Production.SlottedCell);
        var cell = "c" + _counter++;
        var target = _assignable[_slottedCells.Next(_assignable.Count)];
        var bound = _ints.Contains("n") && _slottedCells.Next(2) == 0 ? "n" : (2 + _slottedCells.Next(2)).ToString(CultureInfo.InvariantCulture);
        var function = new[] { "Tanh", "Sin", "Cos", "Atan" }[_slottedCells.Next(4)];
        _w.Open($"for (int {cell} = 0; {cell} < {bound}; {cell}++)");
        Fragment Factor(int offset) => _arrayParameter is not null && _length > 0
            ? Element(_arrayParameter, $"({cell} + {offset.ToString(CultureInfo.InvariantCulture)}) % {_length.ToString(CultureInfo.InvariantCulture)}")
            : Fragment.Inactive($"({T})({cell} + {(offset + 1).ToString(CultureInfo.InvariantCulture)}) / 4");
        Assign(target, "=", Fragment.Combine("{0} * " + M + "." + function + "({1} + {2})", Factor(0), Fragment.Variable(target), Factor(1)));
        _w.Close();
    }
}
