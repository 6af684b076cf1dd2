using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A local jagged array whose rows get different lengths in one counted loop (data types, session 8):
/// <c>var rr = new T[k][];</c>, then <c>for (int i = 0; i &lt; rr.Length; i++) { rr[i] = new T[f(i)]; … }</c> with a
/// length reading the row index, constants and the never-written <c>n</c>, each row filled in the same loop, then read
/// with constant indices (every row holds at least one value) and in loops bounded by the lengths the rows report.
/// The loop is sometimes a <c>while</c> or a <c>do</c> counting the same way (session 12): <c>int i = 0;</c> before it,
/// <c>i++;</c> ending its body.
/// </summary>
public sealed partial class ProgramGenerator
{
    private void RaggedRowsStatement()
    {
        Use(Production.RaggedRowLoop);
        var rows = 2 + _random.Next(3);
        var count = rows.ToString(CultureInfo.InvariantCulture);
        var rr = Fresh("rr");
        var (i, j) = (Fresh("ri"), Fresh("rj"));
        var lengths = new List<string> { $"{i} + 1", $"{count} - {i}", $"{i} % 2 + 1", $"1 + 2 * ({i} % 2)" };
        if (_ints.Contains("n"))
        {
            lengths.Add($"n + {i}");
        }

        var length = Pick(lengths);
        var bodyLocal = false;
        if (Allowed(Production.RaggedRowShapes) && Chance(0.5))
        {
            // Written before the array: an int table the length reads is declared ahead of it.
            Use(Production.RaggedRowShapes);
            if (RaggedRowShape(i, rows) is { } shape)
            {
                (length, count, rows) = shape;
            }
            else
            {
                bodyLocal = true;
            }
        }

        _w.Both($"var {rr} = new {T}[{count}][];");
        _w.Ref($"var {rr}_0 = new {T}[{count}][];");
        var bound = Chance(0.5) ? rr + ".Length" : count;
        var counted = Allowed(Production.RaggedRowWhile) && Chance(0.3) ? (Chance(0.5) ? "while" : "do") : "for";
        if (counted == "for")
        {
            _w.Open($"for (int {i} = 0; {i} < {bound}; {i}++)");
        }
        else
        {
            Use(Production.RaggedRowWhile);
            _w.Both($"int {i} = 0;");
            _w.Open(counted == "while" ? $"while ({i} < {bound})" : "do");
        }

        if (bodyLocal)
        {
            var width = Fresh("rw");
            _w.Both($"var {width} = 2 * ({i} / 2) + 1;");
            length = width;
        }

        if (Allowed(Production.RaggedRowBranches) && Chance(0.25))
        {
            // The row created in both branches of one if, whose condition reads only the row index.
            Use(Production.RaggedRowBranches);
            _w.Open(Chance(0.5) ? $"if ({i} % 2 == 0)" : $"if ({i} < 2)");
            _w.Both($"{rr}[{i}] = new {T}[2];");
            _w.Ref($"{rr}_0[{i}] = new {T}[2];");
            _w.Close();
            _w.Open("else");
            _w.Both($"{rr}[{i}] = new {T}[{length}];");
            _w.Ref($"{rr}_0[{i}] = new {T}[{length}];");
            _w.Close();
        }
        else
        {
            _w.Both($"{rr}[{i}] = new {T}[{length}];");
            _w.Ref($"{rr}_0[{i}] = new {T}[{length}];");
        }
        EnterLoop(i);
        Fragment Cell(string row, string column) => new($"{rr}[{row}][{column}]", $"{rr}[{row}][{column}]", $"{rr}_0[{row}][{column}]");
        if (Chance(0.7))
        {
            _w.Open($"for (int {j} = 0; {j} < {rr}[{i}].Length; {j}++)");
            EnterLoop(j);
            ElementWrite(Cell(i, j), Fragment.Combine(M + ".Sin({0} + " + Literal(0.5) + " * ((" + T + ")" + i + " - (" + T + ")" + j + "))", Expression(1)));
            ExitLoop();
            _w.Close();
        }
        else
        {
            // Only the first and the last value of each row: the others stay zero.
            ElementWrite(Cell(i, "0"), Expression(1).Wrap(M + ".Tanh(", ")"));
            ElementWrite(Cell(i, $"{rr}[{i}].Length - 1"), Fragment.Combine(M + ".Sin({0} * {1})", Cell(i, "0"), Expression(1)));
        }

        if (counted != "for")
        {
            _w.Both($"{i}++;");
        }

        ExitLoop();
        _w.Close();
        if (counted == "do")
        {
            _w.Both($"while ({i} < {bound});");
        }

        string Row() => _random.Next(rows).ToString(CultureInfo.InvariantCulture);
        if (Allowed(Production.RowElementForeach) && Chance(0.3))
        {
            Use(Production.RowElementForeach);
            if (Chance(0.5))
            {
                var k = Row();
                ForeachElements($"{rr}[{k}]", $"{rr}_0[{k}]", grid: false, AccumulateElement);
            }
            else
            {
                ForeachRows(rr, row => ForeachElements(row, row + "_0", grid: false, AccumulateElement));
            }

            return;
        }

        if (!_single && Allowed(Production.JaggedArgument) && Chance(0.25))
        {
            // The ragged rows passed whole: the callee gets a copy of the rows, its adjoint added back.
            Use(Production.JaggedArgument);
            WholeGridCall("Helpers.RowsSum", rr);
            return;
        }

        if (Allowed(Production.RowSpread) && Chance(0.3))
        {
            // A spread of a row as an argument: SliceSum([.. rr[k], e], w).
            Use(Production.RowSpread);
            var k = Row();
            var (e, w) = (Expression(1), Expression(1));
            var call = new Fragment(
                $"{SliceHelper}([.. {rr}[{k}], {e.Src}], {w.Src})",
                $"{SliceHelper}([.. {rr}[{k}], {e.Ref}], {w.Ref})",
                $"{SliceHelper}([.. {rr}_0[{k}], {e.Shadow}], {w.Shadow})");
            var written = Pick(_assignable);
            Assign(written, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(written), call)));
            return;
        }

        var target = Pick(_assignable);
        if (Chance(0.6))
        {
            SumOverCells(target, $"{rr}.Length", r => $"{rr}[{r}].Length", Cell);
            return;
        }

        var (r0, r1) = (Row(), Row());
        var read = Fragment.Combine("{0} * {1}", Cell(r0, "0"), Cell(r1, $"{rr}[{r1}].Length - 1"));
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(target), read)));
    }
}
