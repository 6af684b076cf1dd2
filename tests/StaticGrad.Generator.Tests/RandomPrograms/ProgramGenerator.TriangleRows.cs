using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>The triangles' row counts of <see cref="TriangleRows"/>: all rows short, and rows past the guard's 8.</summary>
    private static readonly int[] s_triangleRows = [3, 9, 12];

    /// <summary>
    /// GMM's forward triangle with a row bound an enclosing loop writes (session 21): a local table of R elements filled
    /// from the array parameter, then <c>for (j = 0; j &lt; R; j++) { r = …; for (c = 0; c &lt; j; c++) r += t[c] · (a[c % L] − p); q += r·r/4; }</c>.
    /// The column loop's row <c>t[c]</c> is bounded by <c>j</c>, so the forward sweep's guard asks for at least 8 iterations:
    /// with R = 12 rows 8–11 take the span copy and the shorter ones the indexed loop. Drawn from a stream of its own, so
    /// every other program's text is unchanged (but for the names after it).
    /// </summary>
    private void TriangleRows()
    {
        if (_triangleRows.NextDouble() >= 0.25 || !Allowed(Production.TriangleRows) || _arrayParameter is null || _assignable.Count == 0 || _readable.Count == 0)
        {
            return;
        }

        var rows = s_triangleRows[_triangleRows.Next(s_triangleRows.Length)];
        Use(Production.TriangleRows);
        if (rows >= 8)
        {
            Use(Production.TriangleRowsLong);
        }

        var (table, k, weight, sum, row, j, c) = (NewName("t"), NewName("k"), NewName("p"), NewName("q"), NewName("r"), NewName("j"), NewName("c"));
        var (size, length) = (rows.ToString(CultureInfo.InvariantCulture), _length.ToString(CultureInfo.InvariantCulture));
        _w.Src($"var {table} = new {T}[{size}];");
        _w.Ref($"var {table} = new {T}[{size}];");
        _w.Ref($"var {table}_0 = new {T}[{size}];");
        _w.Open($"for (int {k} = 0; {k} < {size}; {k}++)");
        Assign($"{table}[{k}]", "=", Fragment.Combine("{0} * " + Literal(0.5), Element(_arrayParameter, $"{k} % {length}")), $"{table}_0[{k}]");
        _w.Close();
        var source = Fragment.Variable(_readable[_triangleRows.Next(_readable.Count)]);
        foreach (var (name, value) in new[] { (weight, source), (sum, Fragment.Constant(Literal(0.0))) })
        {
            _w.Src($"{T} {name} = {value.Src};");
            _w.Ref($"{T} {name} = {value.Ref};");
            _w.Ref($"{T} {name}_0 = {value.Shadow};");
        }

        _w.Open($"for (int {j} = 0; {j} < {size}; {j}++)");
        var start = Fragment.Combine("{0} * " + Literal(0.25), Element(_arrayParameter, $"{j} % {length}"));
        _w.Src($"{T} {row} = {start.Src};");
        _w.Ref($"{T} {row} = {start.Ref};");
        _w.Ref($"{T} {row}_0 = {start.Shadow};");
        _w.Open($"for (int {c} = 0; {c} < {j}; {c}++)");
        var column = Fragment.Combine("({0} - {1})", Element(_arrayParameter, $"{c} % {length}"), Fragment.Variable(weight));
        Assign(row, "+=", Fragment.Combine("{0} * {1}", Element(table, c), column));
        _w.Close();
        Assign(sum, "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
        _w.Close();
        Assign(_assignable[_triangleRows.Next(_assignable.Count)], "+=", Fragment.Combine(M + ".Sin({0}) * " + Literal(0.5), Fragment.Variable(sum)));
    }
}
