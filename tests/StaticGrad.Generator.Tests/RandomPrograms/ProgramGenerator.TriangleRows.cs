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
    private void TriangleRows() => Triangle(_triangleRows, Production.TriangleRows);

    /// <summary>
    /// <see cref="TriangleRows"/> in GMM's jammable shape (session 23, gmm23c), from a stream of its own so that every
    /// program that does not draw it keeps its text: the row starts from the table (<c>r = t[j]·0.25</c>) and reads it
    /// through an induction variable counting down from j (<c>m = R − 1 − j; … r += t[m]·(t[c] − p); m += 1</c>), no
    /// remainder anywhere in the nest, so the forward runs its rows four, two and one at a time
    /// (<c>ReverseModeTransformer.ForwardTriangleRows.cs</c>).
    /// </summary>
    private void JammedTriangleRows() => Triangle(_jammedTriangleRows, Production.TriangleRowsJammed);

    private void Triangle(Random random, Production production)
    {
        if (random.NextDouble() >= 0.25 || !Allowed(production) || _arrayParameter is null || _assignable.Count == 0 || _readable.Count == 0)
        {
            return;
        }

        var rows = s_triangleRows[random.Next(s_triangleRows.Length)];
        var jammed = production == Production.TriangleRowsJammed;
        Use(production);
        if (rows >= 8 && !jammed)
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
        var source = Fragment.Variable(_readable[random.Next(_readable.Count)]);
        foreach (var (name, value) in new[] { (weight, source), (sum, Fragment.Constant(Literal(0.0))) })
        {
            _w.Src($"{T} {name} = {value.Src};");
            _w.Ref($"{T} {name} = {value.Ref};");
            _w.Ref($"{T} {name}_0 = {value.Shadow};");
        }

        _w.Open($"for (int {j} = 0; {j} < {size}; {j}++)");
        var start = Fragment.Combine("{0} * " + Literal(0.25), jammed ? Element(table, j) : Element(_arrayParameter, $"{j} % {length}"));
        _w.Src($"{T} {row} = {start.Src};");
        _w.Ref($"{T} {row} = {start.Ref};");
        _w.Ref($"{T} {row}_0 = {start.Shadow};");
        var m = jammed ? NewName("m") : string.Empty;
        if (jammed)
        {
            // Row j reads t[R − 1 − j + c] for c < j: from R − 1 − j up to R − 2, in range.
            var down = (rows - 1).ToString(CultureInfo.InvariantCulture) + " - " + j;
            _w.Src($"int {m} = {down};");
            _w.Ref($"int {m} = {down};");
        }

        _w.Open($"for (int {c} = 0; {c} < {j}; {c}++)");
        var column = Fragment.Combine("({0} - {1})", jammed ? Element(table, c) : Element(_arrayParameter, $"{c} % {length}"), Fragment.Variable(weight));
        Assign(row, "+=", Fragment.Combine("{0} * {1}", Element(table, jammed ? m : c), column));
        if (jammed)
        {
            _w.Src($"{m} += 1;");
            _w.Ref($"{m} += 1;");
        }

        _w.Close();
        Assign(sum, "+=", Fragment.Combine("{0} * {0} * " + Literal(0.25), Fragment.Variable(row)));
        _w.Close();
        Assign(_assignable[random.Next(_assignable.Count)], "+=", Fragment.Combine(M + ".Sin({0}) * " + Literal(0.5), Fragment.Variable(sum)));
    }
}
