using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>The row counts of <see cref="InterchangedRows"/>: below, at and above the compiler's guard of 12 rows.</summary>
    private static readonly int[] s_interchangeRows = [2, 5, 11, 12, 13, 16];

    /// <summary>
    /// GMM's triangle (session 20): inside a loop, a row loop whose body declares a row accumulator and sums it over a
    /// column loop (<c>c &lt; j</c>, or a rectangle <c>c &lt; m</c>) reading the array parameter at an offset stepped by a
    /// varying amount and at the column, times a local the row loop does not write, then adds the row's square to a
    /// fresh local. The compiler interchanges the reversed row and column loops behind a run-time test of at least 12
    /// rows; the row count is drawn on both sides of it. Drawn from a stream of its own, so every other program's text is unchanged.
    /// </summary>
    /// <summary>The length of <see cref="DeclareInterchangeTable"/>'s table: above the largest index a nest reads (15 + 3 + 14).</summary>
    private const int InterchangeTableLength = 40;

    /// <summary>The constant table a nest may read at offsets stepped by one (see <see cref="InterchangedRows"/>), or null.</summary>
    private string? _interchangeTable;

    /// <summary>
    /// At the method's top (created once, so the compiler may slice it), in about a third of the programs: a table of
    /// constants, read by <see cref="InterchangedRows"/> nests without a remainder in the index, so the interchanged
    /// sweep runs over spans (session 21). Drawn from the nests' stream.
    /// </summary>
    private void DeclareInterchangeTable(bool isHelper)
    {
        _interchangeTable = null;
        if (isHelper || !Allowed(Production.InterchangedRows) || _interchangedRows.NextDouble() >= 0.35)
        {
            return;
        }

        const string name = "tbl";
        var length = InterchangeTableLength.ToString(CultureInfo.InvariantCulture);
        _w.Src($"var {name} = new {T}[{length}];");
        _w.Ref($"var {name} = new {T}[{length}];");
        _w.Ref($"var {name}_0 = new {T}[{length}];");
        _w.Open($"for (int k = 0; k < {length}; k++)");
        _w.Both($"{name}[k] = ({T})(" + Literal(0.05) + " * k - " + Literal(0.9) + ");");
        _w.Ref($"{name}_0[k] = ({T})(" + Literal(0.05) + " * k - " + Literal(0.9) + ");");
        _w.Close();
        _interchangeTable = name;
    }

    private void InterchangedRows()
    {
        if (_interchangedRows.NextDouble() >= 0.3 || !Allowed(Production.InterchangedRows) || _arrayParameter is null || _assignable.Count == 0)
        {
            return;
        }

        var rows = s_interchangeRows[_interchangedRows.Next(s_interchangeRows.Length)];
        Use(Production.InterchangedRows);
        if (rows >= 12)
        {
            Use(Production.InterchangedRowsAtGuard);
        }

        var (weight, sum, row, j, c, offset) = (NewName("p"), NewName("q"), NewName("r"), NewName("j"), NewName("c"), NewName("s"));
        var value = Expression(1);
        _w.Src($"{T} {weight} = {value.Src};");
        _w.Ref($"{T} {weight} = {value.Ref};");
        _w.Ref($"{T} {weight}_0 = {value.Shadow};");
        _w.Src($"{T} {sum} = {Literal(0.0)};");
        _w.Ref($"{T} {sum} = {Literal(0.0)};");
        _w.Ref($"{T} {sum}_0 = {Literal(0.0)};");
        var length = _length.ToString(CultureInfo.InvariantCulture);
        _w.Open($"for (int {j} = 0; {j} < {rows.ToString(CultureInfo.InvariantCulture)}; {j}++)");
        var start = Fragment.Combine("{0} * " + Literal(0.5), Element(_arrayParameter, $"{j} % {length}"));
        _w.Src($"{T} {row} = {start.Src};");
        _w.Ref($"{T} {row} = {start.Ref};");
        _w.Ref($"{T} {row}_0 = {start.Shadow};");
        // With the table: the offset moves by one from row to row and from column to column, in range without a remainder.
        var table = _interchangeTable is not null && _interchangedRows.Next(2) == 0 ? _interchangeTable : null;
        _w.Both($"int {offset} = {j} + {_interchangedRows.Next(table is null ? _length : 4).ToString(CultureInfo.InvariantCulture)};");
        var bound = _interchangedRows.Next(2) == 0 ? j : (1 + _interchangedRows.Next(4)).ToString(CultureInfo.InvariantCulture);
        if (table is not null && rows >= 12)
        {
            Use(Production.InterchangedRowSpans);
        }

        _w.Open($"for (int {c} = 0; {c} < {bound}; {c}++)");
        var column = Fragment.Combine("({0} - {1})", Element(_arrayParameter, $"{c} % {length}"), Fragment.Variable(weight));
        Assign(row, "+=", Fragment.Combine("{0} * {1}", table is null ? Element(_arrayParameter, $"{offset} % {length}") : Element(table, offset), column));
        _w.Both(table is null ? $"{offset} += {c} + 1;" : $"{offset} += 1;");
        _w.Close();
        Assign(sum, "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
        _w.Close();
        Assign(Pick(_assignable), "+=", Fragment.Combine(M + ".Sin({0}) * " + Literal(0.5), Fragment.Variable(sum)));
    }
}
