using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Two-dimensional (<c>T[,]</c>) and jagged (<c>double[][]</c>) parameters: element reads with constant and
/// loop-counter indices, <c>GetLength</c>/<c>Length</c> bounds, loops over rows and over the columns of a row. The
/// body language refuses writes to them (SG1009), so none are generated. A local grid <c>g</c> is a <c>T[,]</c> or a
/// jagged <c>T[][]</c> whose rows all get one length (created row by row in a loop), read and written.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The parameter <c>m</c>, or the local <c>g</c> (a <c>T[,]</c> the body creates, fills and writes).</summary>
    private string _rowsName = "m";

    private bool _localGrid;
    private bool _jagged;
    private int _rows;
    private int _columns;

    /// <summary>Whether the program has the <c>m</c> parameter (rows of <see cref="_columns"/> values).</summary>
    private bool HasRows => _rows > 0;

    /// <summary>
    /// Decides on an <c>m</c> parameter with its own random stream, so that every program without one stays exactly
    /// what it was before these productions existed (the CI seeds keep their programs).
    /// </summary>
    private void RowsParameter(int seed, List<(string Type, string Name, string Attribute)> parameters, List<string> domain)
    {
        var random = new Random(seed ^ 0x2D2D);
        if (random.NextDouble() >= 0.12)
        {
            if (random.NextDouble() < 0.16)
            {
                // A local T[,], or a local jagged T[][] whose rows all get one length.
                _jagged = random.NextDouble() < 0.4;
                var production = _jagged ? Production.LocalJaggedArray : Production.LocalTwoDimensionalArray;
                if (!Allowed(production))
                {
                    _jagged = false;
                    return;
                }

                (_localGrid, _rowsName, _rows, _columns) = (true, "g", 2 + random.Next(3), 2 + random.Next(2));
                Use(production);
            }

            return;
        }

        _jagged = !_single && random.NextDouble() < 0.45;
        if (!Allowed(_jagged ? Production.JaggedParameter : Production.TwoDimensionalParameter))
        {
            return;
        }

        (_rows, _columns) = (2 + random.Next(3), 2 + random.Next(2));
        parameters.Add((_jagged ? "double[][]" : T + "[,]", _rowsName, ""));
        domain.Add(string.Create(CultureInfo.InvariantCulture, $"{_rowsName}[{_rows}x{_columns}]=-1..1"));
        Use(_jagged ? Production.JaggedParameter : Production.TwoDimensionalParameter);
    }

    private string RowCount => _jagged ? _rowsName + ".Length" : _rowsName + ".GetLength(0)";

    private string ColumnCount(string row) => _jagged ? $"{_rowsName}[{row}].Length" : _rowsName + ".GetLength(1)";

    private Fragment RowsElement(string row, string column) => _jagged
        ? new Fragment($"{_rowsName}[{row}][{column}]", $"{_rowsName}[{row}][{column}]", $"{_rowsName}_0[{row}][{column}]")
        : new Fragment($"{_rowsName}[{row}, {column}]", $"{_rowsName}[{row}, {column}]", $"{_rowsName}_0[{row}, {column}]");

    /// <summary>An element read: constant indices, or loop counters reduced modulo the lengths the array reports.</summary>
    private Fragment RowsLeaf()
    {
        if (_loopCounters.Count == 0 || Chance(0.3))
        {
            return RowsElement(_random.Next(_rows).ToString(CultureInfo.InvariantCulture), _random.Next(_columns).ToString(CultureInfo.InvariantCulture));
        }

        var row = $"{Pick(_loopCounters)} % {RowCount}";
        var column = Chance(0.5) ? _random.Next(_columns).ToString(CultureInfo.InvariantCulture) : $"({Pick(_loopCounters)} + 1) % {ColumnCount("0")}";
        return RowsElement(row, column);
    }

    /// <summary>
    /// The local grid: created, then filled row by row from values of the parameters (so that its elements are
    /// active), in both copies of the reference.
    /// </summary>
    private void DeclareLocalGrid()
    {
        var size = _jagged ? string.Create(CultureInfo.InvariantCulture, $"[{_rows}][]") : string.Create(CultureInfo.InvariantCulture, $"[{_rows}, {_columns}]");
        _w.Both($"var {_rowsName} = new {T}{size};");
        _w.Ref($"var {_rowsName}_0 = new {T}{size};");
        var (r, c) = (Fresh("gr"), Fresh("gc"));
        if (_jagged)
        {
            // Every row exists before the filling loop, whose values may read any element.
            var row = string.Create(CultureInfo.InvariantCulture, $"new {T}[{_columns}];");
            _w.Open($"for (int {r} = 0; {r} < {RowCount}; {r}++)");
            _w.Both($"{_rowsName}[{r}] = {row}");
            _w.Ref($"{_rowsName}_0[{r}] = {row}");
            _w.Close();
        }

        _w.Open($"for (int {r} = 0; {r} < {RowCount}; {r}++)");
        EnterLoop(r);
        _w.Open($"for (int {c} = 0; {c} < {ColumnCount(r)}; {c}++)");
        EnterLoop(c);
        GridWrite(r, c, Fragment.Combine(M + ".Sin({0} + " + Literal(0.5) + " * ((" + T + ")" + r + " - (" + T + ")" + c + "))", Expression(1)));
        ExitLoop();
        _w.Close();
        ExitLoop();
        _w.Close();
    }

    /// <summary>An element write of the local grid; as in ArrayWrite, the shadow's right-hand side is read first.</summary>
    private void GridWrite(string row, string column, Fragment value) => ElementWrite(RowsElement(row, column), value);

    /// <summary>A loop over the rows, sometimes with a loop over each row's columns, accumulating into a local.</summary>
    private void RowLoop(int depth)
    {
        if (_localGrid && Chance(0.5) && GridArgumentStatement())
        {
            return;
        }

        if (_localGrid && Chance(0.4))
        {
            var w = Fresh("r");
            _w.Open($"for (int {w} = 0; {w} < {RowCount}; {w}++)");
            EnterLoop(w);
            var written = _random.Next(_columns).ToString(CultureInfo.InvariantCulture);
            GridWrite(w, written, Fragment.Combine(M + ".Tanh({0} + {1})", RowsElement(w, written), Expression(1)));
            ExitLoop();
            _w.Close();
            return;
        }

        if (_jagged && Chance(0.4))
        {
            RowForeach();
            return;
        }

        if (!_jagged && Allowed(Production.GridForeach) && Chance(0.3))
        {
            GridForeach();
            return;
        }

        var r = Fresh("r");
        _w.Open($"for (int {r} = 0; {r} < {RowCount}; {r}++)");
        EnterLoop(r);
        var v = Pick(_assignable);
        if (Chance(0.5))
        {
            var c = Fresh("c");
            _w.Open($"for (int {c} = 0; {c} < {ColumnCount(r)}; {c}++)");
            EnterLoop(c);
            Assign(v, "+=", Fragment.Combine(Literal(0.25) + " * " + M + ".Sin({0} * {1})", RowsElement(r, c), Expression(1)));
            ExitLoop();
            _w.Close();
        }
        else
        {
            var column = _random.Next(_columns).ToString(CultureInfo.InvariantCulture);
            Assign(v, "=", Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1} * {2})", Fragment.Variable(v), RowsElement(r, column), Expression(1)));
        }

        if (Chance(0.3))
        {
            Block(depth + 1);
        }

        ExitLoop();
        _w.Close();
    }

    /// <summary><c>foreach (var row in m)</c> over a jagged parameter: reads of the row, or a loop over its length.</summary>
    private void RowForeach()
    {
        var row = Fresh("row");
        var q = Fresh("q");
        // foreach, or a named row of a for loop (var row = m[q];), as the body language accepts both.
        var named = Chance(0.3);
        _w.Src(named ? $"for (int {q} = 0; {q} < {_rowsName}.Length; {q}++)" : $"foreach (var {row} in {_rowsName})");
        _w.Ref($"for (int {q} = 0; {q} < {_rowsName}.Length; {q}++)");
        _w.Both("{");
        if (named)
        {
            _w.Src($"    var {row} = {_rowsName}[{q}];");
        }

        _w.Ref($"    var {row} = {_rowsName}[{q}];");
        _w.Ref($"    var {row}_0 = {_rowsName}_0[{q}];");
        using (new Indent(_w))
        {
            _loopDepth++;
            _breakTargets.Add(true);
            var v = Pick(_assignable);
            Fragment Read(string column) => new($"{row}[{column}]", $"{row}[{column}]", $"{row}_0[{column}]");
            if (Allowed(Production.RowElementForeach) && Chance(0.3))
            {
                Use(Production.RowElementForeach);
                ForeachElements(row, row + "_0", grid: false, AccumulateElement);
            }
            else if (Chance(0.5))
            {
                var c = Fresh("c");
                _w.Open($"for (int {c} = 0; {c} < {row}.Length; {c}++)");
                EnterLoop(c);
                Assign(v, "+=", Fragment.Combine(Literal(0.25) + " * " + M + ".Sin({0} * {1})", Read(c), Expression(1)));
                ExitLoop();
                _w.Close();
            }
            else
            {
                var column = _random.Next(_columns).ToString(CultureInfo.InvariantCulture);
                Assign(v, "=", Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1} * {2})", Fragment.Variable(v), Read(column), Expression(1)));
            }

            _breakTargets.RemoveAt(_breakTargets.Count - 1);
            _loopDepth--;
        }

        _w.Both("}");
    }
}
