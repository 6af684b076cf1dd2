using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// The MLP's row (session 19): inside a loop, an accumulator summed over an inner loop from 0 that reads the array
    /// parameter at a literal offset plus its index (<c>a[off + c]</c>, times a local or times <c>a[c]</c>), so the
    /// compiler reverses the inner loop upwards over row spans, the adjoint's behind its length test. Drawn from a
    /// stream of its own, so every other program's text is unchanged.
    /// </summary>
    private void MlpRow()
    {
        if (_mlpRows.NextDouble() >= 0.3 || !Allowed(Production.MlpRow) || _arrayParameter is null || _assignable.Count == 0)
        {
            return;
        }

        Use(Production.MlpRow);
        var (row, weight, column) = (NewName("r"), NewName("p"), NewName("c"));
        DeclareRowAndWeight(row, weight);
        var trips = 1 + _mlpRows.Next(_length);
        var offset = _mlpRows.Next(_length - trips + 1).ToString(CultureInfo.InvariantCulture);
        _w.Open($"for (int {column} = 0; {column} < {trips.ToString(CultureInfo.InvariantCulture)}; {column}++)");
        var other = _mlpRows.Next(2) == 0 ? Fragment.Variable(weight) : Element(_arrayParameter, column);
        Assign(row, "+=", Fragment.Combine("{0} * {1}", Element(_arrayParameter, $"{offset} + {column}"), other));
        _w.Close();
        Assign(Pick(_assignable), "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
    }
}
