using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Literals of the data types (issue 14) at any depth, so also re-created on every iteration of a loop that declares
/// them: a local grid <c>new T[,] { { e, e }, { e, e } }</c>, a ragged jagged array
/// <c>new T[][] { new T[] { e, e }, new T[] { e } }</c> (rows of different lengths), each read with constant indices
/// and in loops bounded by the lengths it reports, and sometimes written; and collection expressions as arguments to
/// a [Differentiable] helper's span or array parameter, <c>SliceSum([.. a, e, .. t], w)</c> or <c>ArraySum([e, e], w)</c>.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The [Differentiable] helpers with an array parameter, that collection expressions are passed to.</summary>
    public static IReadOnlyList<RandomProgram> ArrayHelpers() => new[] { "double", "float" }.Select(t =>
    {
        var (name, m, half) = t == "double" ? ("ArraySum", "Math", "0.5") : ("ArraySumF", "MathF", "0.5f");
        var source = $$"""

            // domain: s[3]=-1..1
            [Differentiable]
            public static {{t}} {{name}}({{t}}[] s, {{t}} w)
            {
                {{t}} r = s[0] * {{half}};
                foreach (var e in s)
                {
                    r += {{m}}.Sin(e * w);
                }

                return r;
            }
            """;
        return new RandomProgram(name, 19, source.Replace("\r", "", StringComparison.Ordinal), IsHelper: true, NeedsReference: false, Array.Empty<Production>());
    }).ToArray();

    private void GridLiteralStatement()
    {
        Use(Production.GridLiteral);
        if (_loopDepth > 0)
        {
            Use(Production.LiteralInLoop);
        }

        var (rows, columns) = (2 + _random.Next(2), 2 + _random.Next(2));
        var cells = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => Expression(1)).ToList()).ToList();
        string Text(Func<Fragment, string> spelling) =>
            $"new {T}[,] {{ " + string.Join(", ", cells.Select(row => "{ " + string.Join(", ", row.Select(spelling)) + " }")) + " }";
        var g = Fresh("gl");
        Declare(g, new Fragment(Text(f => f.Src), Text(f => f.Ref), Text(f => f.Shadow)));
        Fragment Cell(string row, string column) => new($"{g}[{row}, {column}]", $"{g}[{row}, {column}]", $"{g}_0[{row}, {column}]");
        string Number(int bound) => _random.Next(bound).ToString(CultureInfo.InvariantCulture);
        if (Chance(0.4))
        {
            var (row, column) = (Number(rows), Number(columns));
            ElementWrite(Cell(row, column), Fragment.Combine(M + ".Tanh({0} + {1})", Cell(row, column), Expression(1)));
        }

        var target = Pick(_assignable);
        if (Chance(0.5))
        {
            SumOverCells(target, $"{g}.GetLength(0)", _ => $"{g}.GetLength(1)", Cell);
            return;
        }

        var read = Fragment.Combine("{0} * {1}", Cell(Number(rows), Number(columns)), Cell(Number(rows), Number(columns)));
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(target), read)));
    }

    private void RaggedLiteralStatement()
    {
        Use(Production.RaggedLiteral);
        if (_loopDepth > 0)
        {
            Use(Production.LiteralInLoop);
        }

        // Rows of 1 to 3 values, at least two lengths.
        var lengths = Enumerable.Range(0, 2 + _random.Next(2)).Select(_ => 1 + _random.Next(3)).ToList();
        if (lengths.Distinct().Count() == 1)
        {
            lengths[0] = lengths[0] % 3 + 1;
        }

        var cells = lengths.Select(n => Enumerable.Range(0, n).Select(_ => Expression(1)).ToList()).ToList();
        string Text(Func<Fragment, string> spelling) =>
            $"new {T}[][] {{ " + string.Join(", ", cells.Select(row => $"new {T}[] {{ " + string.Join(", ", row.Select(spelling)) + " }")) + " }";
        var j = Fresh("jr");
        Declare(j, new Fragment(Text(f => f.Src), Text(f => f.Ref), Text(f => f.Shadow)));
        Fragment Cell(string row, string column) => new($"{j}[{row}][{column}]", $"{j}[{row}][{column}]", $"{j}_0[{row}][{column}]");
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        (string Row, string Column) Any()
        {
            var row = _random.Next(lengths.Count);
            return (Number(row), Number(_random.Next(lengths[row])));
        }

        if (Chance(0.4))
        {
            var (row, column) = Any();
            ElementWrite(Cell(row, column), Fragment.Combine(M + ".Tanh({0} * {1})", Cell(row, column), Expression(1)));
        }

        var target = Pick(_assignable);
        if (Chance(0.6))
        {
            SumOverCells(target, $"{j}.Length", r => $"{j}[{r}].Length", Cell);
            return;
        }

        var (r0, c0) = Any();
        var (r1, c1) = Any();
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1} * {2})", Fragment.Variable(target), Cell(r0, c0), Cell(r1, c1))));
    }

    /// <summary>A helper call with a collection expression for its span or array parameter; false without arrays to spread.</summary>
    private bool CollectionArgumentStatement()
    {
        var sources = _localArrays.ToList();
        if (_arrayParameter is not null)
        {
            sources.Add(_arrayParameter);
        }

        var items = new List<Fragment>();
        var spreads = sources.Count == 0 ? 0 : _random.Next(3);
        for (var i = 0; i < spreads; i++)
        {
            var source = Pick(sources);
            items.Add(new Fragment(".. " + source, ".. " + source, ".. " + source + "_0"));
        }

        for (var i = items.Count == 0 ? 1 + _random.Next(3) : _random.Next(3); i > 0; i--)
        {
            items.Insert(_random.Next(items.Count + 1), Expression(1));
        }

        Use(spreads > 0 ? Production.SpreadArgument : Production.CollectionArgument);
        var helper = Chance(0.5) ? SliceHelper : _single ? "Helpers.ArraySumF" : "Helpers.ArraySum";
        var w = Expression(1);
        string Call(Func<Fragment, string> spelling) => $"{helper}([" + string.Join(", ", items.Select(spelling)) + $"], {spelling(w)})";
        var call = new Fragment(Call(f => f.Src), Call(f => f.Ref), Call(f => f.Shadow));
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + " + M + ".Tanh({1})", Fragment.Variable(target), call)));
        return true;
    }

    /// <summary>Adds 0.25·Sin(cell · e) of every element to <paramref name="target"/>: a loop over the rows, one over each row's columns.</summary>
    private void SumOverCells(string target, string rowCount, Func<string, string> columnCount, Func<string, string, Fragment> cell)
    {
        var (r, c) = (Fresh("r"), Fresh("c"));
        _w.Open($"for (int {r} = 0; {r} < {rowCount}; {r}++)");
        EnterLoop(r);
        _w.Open($"for (int {c} = 0; {c} < {columnCount(r)}; {c}++)");
        EnterLoop(c);
        Assign(target, "+=", Fragment.Combine(Literal(0.25) + " * " + M + ".Sin({0} * {1})", cell(r, c), Expression(1)));
        ExitLoop();
        _w.Close();
        ExitLoop();
        _w.Close();
    }

    /// <summary>An element write; as in ArrayWrite, the shadow's right-hand side is read before the normal copy's element is written.</summary>
    private void ElementWrite(Fragment element, Fragment value)
    {
        _w.Src($"{element.Src} = {value.Src};");
        var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
        _w.Ref($"var {shadow} = {value.Shadow};");
        _w.Ref($"{element.Ref} = {value.Ref};");
        _w.Ref($"{element.Shadow} = {shadow};");
    }
}
