using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// GMM's rows inside its point loop (session 17): in a reduction loop's iteration, the iteration's term updated
    /// nonlinearly inside two counted loops (2 components, then 0 to a literal or <c>n</c>) that read their indices, so
    /// the value the update overwrites is saved in a slot numbered by the indices when the reduction is fused (and on
    /// the tape when it is not). Drawn from a stream of its own, so every other program's text is unchanged.
    /// </summary>
    private void SlottedRow(string term)
    {
        if (_slottedRows.NextDouble() >= 0.4 || !Allowed(Production.SlottedRow))
        {
            return;
        }

        Use(Production.SlottedRow);
        var component = "c" + _counter++;
        var column = "c" + _counter++;
        var bound = _ints.Contains("n") && _slottedRows.Next(2) == 0 ? "n" : (2 + _slottedRows.Next(2)).ToString(CultureInfo.InvariantCulture);
        // Two counted loops deep: a save under one loop keeps the tape (MinSlotLoops in the compiler).
        _w.Open($"for (int {component} = 0; {component} < 2; {component}++)");
        _w.Open($"for (int {column} = 0; {column} < {bound}; {column}++)");
        var factor = _arrayParameter is not null && _length > 0
            ? Element(_arrayParameter, $"({column} + {component}) % {_length.ToString(CultureInfo.InvariantCulture)}")
            : Fragment.Inactive($"({T})({column} + {component} + 1)");
        Assign(term, "=", Fragment.Combine("{0} * " + M + ".Cos({0} * {1})", Fragment.Variable(term), factor));
        _w.Close();
        _w.Close();
    }
}
