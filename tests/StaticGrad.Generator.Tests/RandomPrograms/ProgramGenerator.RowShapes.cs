using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Rows as users walk and build them (data types, session 9): <c>foreach (var v in row)</c> over a row of a jagged
/// parameter, of a local jagged grid and of ragged rows; <c>foreach (var w in m)</c> over a two-dimensional parameter
/// or local grid (row by row, as C# enumerates it); spreads of a jagged row and of a static readonly table; and
/// ragged rows sized from an int table, from a local of the loop body, from a choice, and from the row lengths of the
/// jagged parameter. The reference walks every <c>foreach</c> with indices, in both copies.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The static readonly tables spread into collection expressions (in <c>Programs</c>; inactive values).</summary>
    public const string SpreadTables = """
            private static readonly double[] SpreadTable = { 0.5, -1.5, 2.0 };
            private static readonly float[] SpreadTableF = { 0.25f, 1.5f, -0.75f };
        """;

    private const int SpreadTableLength = 3;

    private string SpreadTableName => _single ? "SpreadTableF" : "SpreadTable";

    /// <summary>
    /// <c>foreach (var v in {collection})</c> in the program, an indexed loop over both copies in the reference;
    /// <paramref name="body"/> writes the loop body with the element as a readable variable.
    /// </summary>
    private void ForeachElements(string collection, string shadowCollection, bool grid, Action<Fragment> body)
    {
        var v = Fresh("fv");
        var (q, p) = (Fresh("fq"), Fresh("fp"));
        _w.Src($"foreach (var {v} in {collection})");
        if (grid)
        {
            _w.Ref($"for (int {q} = 0; {q} < {collection}.GetLength(0); {q}++)");
            _w.Ref($"for (int {p} = 0; {p} < {collection}.GetLength(1); {p}++)");
        }
        else
        {
            _w.Ref($"for (int {q} = 0; {q} < {collection}.Length; {q}++)");
        }

        var index = grid ? $"[{q}, {p}]" : $"[{q}]";
        _w.Both("{");
        _w.Ref($"    var {v} = {collection}{index};");
        _w.Ref($"    var {v}_0 = {shadowCollection}{index};");
        using (new Indent(_w))
        {
            _readable.Add(v);
            _loopDepth++;
            _breakTargets.Add(true);
            body(Fragment.Variable(v));
            _breakTargets.RemoveAt(_breakTargets.Count - 1);
            _loopDepth--;
            _readable.Remove(v);
        }

        _w.Both("}");
    }

    /// <summary><c>foreach (var row in {rows})</c>; <paramref name="body"/> gets the row's name (its shadow is <c>{row}_0</c>).</summary>
    private void ForeachRows(string rows, Action<string> body)
    {
        var (row, q) = (Fresh("row"), Fresh("q"));
        _w.Src($"foreach (var {row} in {rows})");
        _w.Ref($"for (int {q} = 0; {q} < {rows}.Length; {q}++)");
        _w.Both("{");
        _w.Ref($"    var {row} = {rows}[{q}];");
        _w.Ref($"    var {row}_0 = {rows}_0[{q}];");
        using (new Indent(_w))
        {
            _loopDepth++;
            _breakTargets.Add(true);
            body(row);
            _breakTargets.RemoveAt(_breakTargets.Count - 1);
            _loopDepth--;
        }

        _w.Both("}");
    }

    /// <summary>Adds 0.25·Sin(v · e) of the element to an assignable local.</summary>
    private void AccumulateElement(Fragment element)
    {
        var target = Pick(_assignable);
        Assign(target, "+=", Fragment.Combine(Literal(0.25) + " * " + M + ".Sin({0} * {1})", element, Expression(1)));
    }

    /// <summary><c>foreach (var w in m)</c> over the two-dimensional parameter or local grid.</summary>
    private void GridForeach()
    {
        Use(Production.GridForeach);
        ForeachElements(_rowsName, _rowsName + "_0", grid: true, AccumulateElement);
    }

    /// <summary>The spreadable rows and tables with their lengths: rows of the jagged parameter or local grid, the table.</summary>
    private List<(Fragment Item, int Count)> RowSpreadSources()
    {
        var sources = new List<(Fragment, int)>();
        if (!Allowed(Production.RowSpread))
        {
            return sources;
        }

        if (HasRows && _jagged)
        {
            var row = _random.Next(_rows).ToString(CultureInfo.InvariantCulture);
            sources.Add((new Fragment($".. {_rowsName}[{row}]", $".. {_rowsName}[{row}]", $".. {_rowsName}_0[{row}]"), _columns));
        }

        sources.Add((Fragment.Constant(".. " + SpreadTableName), SpreadTableLength));
        return sources;
    }

    /// <summary>A ragged row's length other than a plain formula of the row index; null when none applies.</summary>
    private (string Length, string Count, int Rows)? RaggedRowShape(string i, int rows)
    {
        var count = rows.ToString(CultureInfo.InvariantCulture);
        switch (_random.Next(4))
        {
            case 0:
                {
                    var sizes = Fresh("sz");
                    var values = Enumerable.Range(0, rows).Select(_ => (1 + _random.Next(3)).ToString(CultureInfo.InvariantCulture));
                    _w.Both($"int[] {sizes} = {{ {string.Join(", ", values)} }};");
                    return ($"{sizes}[{i}]", count, rows);
                }

            case 1:
                return ($"{i} % 2 == 0 ? 2 : 1", count, rows);
            case 2 when HasRows && _jagged && !_localGrid:
                return ($"{_rowsName}[{i}].Length", _rowsName + ".Length", _rows);
            default:
                // A local of the loop body, written before the row is created (the caller declares it).
                return null;
        }
    }
}
