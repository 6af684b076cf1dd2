namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// Session 21's LINQ reductions, in a for loop, drawn from a stream of their own (so every other program's text is
    /// unchanged; <see cref="Production.LinqReduction"/>): <c>Sum</c> with a selector, <c>Select(…).Sum()</c>,
    /// <c>Average()</c>, <c>Max</c> with a selector, <c>Min()</c>, and <c>Zip(…).Sum()</c> over the local array <c>t</c>,
    /// the array parameter and the static readonly table (also zipped with itself), as a statement of its own. The
    /// selector reads the lambda's parameter and one scalar of the body (a lambda cannot capture a span, so none is read).
    /// Average, Max and Min only reduce arrays known not to be empty.
    /// </summary>
    private void LinqReduction()
    {
        if (_linqReductions.NextDouble() >= 0.3 || _assignable.Count == 0 || _readable.Count == 0)
        {
            return;
        }

        var sources = new List<(Fragment Array, bool NotEmpty)>();
        if (_localArrays.Contains("t"))
        {
            sources.Add((Fragment.Variable("t"), true));
        }

        if (_arrayParameter is not null && _arrayParameterIsArray)
        {
            sources.Add((Fragment.Variable(_arrayParameter), false));
        }

        if (!_isHelper)
        {
            // The tables are members of Programs, which helpers (in Helpers) cannot read.
            sources.Add((Fragment.Constant(SpreadTableName), true));
        }

        if (sources.Count == 0 || !Allowed(Production.LinqReduction))
        {
            return;
        }

        Use(Production.LinqReduction);
        var target = _assignable[_linqReductions.Next(_assignable.Count)];
        var (array, notEmpty) = sources[_linqReductions.Next(sources.Count)];
        var scalar = Fragment.Variable(_readable[_linqReductions.Next(_readable.Count)]);
        var (lv, lw) = (Fresh("lv"), Fresh("lw"));
        var half = Literal(0.5);
        var shape = _linqReductions.Next(notEmpty ? 6 : 3);
        var value = shape switch
        {
            0 => Fragment.Combine("{0}.Sum(" + lv + " => " + lv + " * " + M + ".Sin({1}))", array, scalar),
            1 => Fragment.Combine("{0}.Select(" + lv + " => (" + lv + " - {1}) * " + half + ").Sum()", array, scalar),
            2 => Fragment.Combine("{0}.Zip({1}, (" + lv + ", " + lw + ") => " + lv + " * " + M + ".Tanh(" + lw + " * {2})).Sum()", array, sources[_linqReductions.Next(sources.Count)].Array, scalar),
            3 => Fragment.Combine("{0}.Average() * {1}", array, scalar),
            4 => Fragment.Combine("{0}.Max(" + lv + " => " + lv + " * {1})", array, scalar),
            _ => Fragment.Combine("{0}.Select(" + lv + " => " + M + ".Cos(" + lv + " + {1})).Min()", array, scalar),
        };
        Assign(target, "+=", value.Wrap("(", ") * " + half));
    }
}
