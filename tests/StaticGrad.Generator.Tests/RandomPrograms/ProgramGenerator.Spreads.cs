using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Collection expressions with spreads in a local declaration (data types, issue 14): <c>T[] sp = [e, .. a, .. t, f];</c>
/// over the array or span parameter, the local array, the stackalloc span and earlier spreads. Every spread source
/// holds at least the program's array length, so every index and range the other productions draw stays valid; a
/// spread declared at the top level joins the local arrays (read, written, sliced, bounding loops), one declared in a
/// block is read where it is declared.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The spread locals (<c>T[]</c>, so that a slice of one is <c>AsSpan</c>, not <c>Slice</c>).</summary>
    private readonly HashSet<string> _spreads = new(StringComparer.Ordinal);

    private bool SpreadStatement(int depth)
    {
        var sources = _localArrays.ToList();
        if (_arrayParameter is not null)
        {
            sources.Add(_arrayParameter);
        }

        if (sources.Count == 0 || _length == 0)
        {
            return false;
        }

        Use(Production.Spread);
        var items = new List<Fragment>();
        var spreads = 1 + _random.Next(2);
        for (var i = 0; i < spreads; i++)
        {
            var source = Pick(sources);
            items.Add(new Fragment(".. " + source, ".. " + source, ".. " + source + "_0"));
        }

        for (var i = _random.Next(3); i > 0; i--)
        {
            items.Insert(_random.Next(items.Count + 1), Expression(1));
        }

        var sp = Fresh("sp");
        var type = T + "[]";
        Declare(sp, new Fragment(
            "[" + string.Join(", ", items.Select(f => f.Src)) + "]",
            "[" + string.Join(", ", items.Select(f => f.Ref)) + "]",
            "[" + string.Join(", ", items.Select(f => f.Shadow)) + "]"), type);
        if (depth == 0 && _loopDepth == 0)
        {
            _localArrays.Add(sp);
            _spreads.Add(sp);
        }

        var element = _random.Next(_length).ToString(CultureInfo.InvariantCulture);
        var w = Expression(1);
        var read = new Fragment(
            $"{SliceHelper}({sp}, {w.Src}) * {Literal(0.25)} + {sp}[^1] * {sp}[{element}]",
            $"{SliceHelper}({sp}, {w.Ref}) * {Literal(0.25)} + {sp}[^1] * {sp}[{element}]",
            $"{SliceHelper}({sp}_0, {w.Shadow}) * {Literal(0.25)} + {sp}_0[^1] * {sp}_0[{element}]");
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + " + M + ".Tanh({1})", Fragment.Variable(target), read)));
        return true;
    }
}
