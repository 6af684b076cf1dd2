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

        var rowSources = RowSpreadSources();
        if ((sources.Count == 0 || _length == 0) && rowSources.Count == 0)
        {
            return false;
        }

        Use(Production.Spread);
        var items = new List<Fragment>();
        var spreads = 1 + _random.Next(2);

        // The fewest elements the literal can hold: a whole source holds the program's array length, a range its count.
        var least = 0;
        for (var i = 0; i < spreads; i++)
        {
            if (rowSources.Count > 0 && (sources.Count == 0 || _length == 0 || Chance(0.3)))
            {
                var (item, count) = Pick(rowSources);
                items.Add(item);
                least += count;
                Use(Production.RowSpread);
                continue;
            }

            var source = Pick(sources);
            if (Allowed(Production.RangeSpread) && Chance(_loopDepth > 0 ? 0.7 : 0.4))
            {
                var (part, count) = SpreadRange(source);
                items.Add(new Fragment(".. " + string.Format(CultureInfo.InvariantCulture, part, source), ".. " + string.Format(CultureInfo.InvariantCulture, part, source), ".. " + string.Format(CultureInfo.InvariantCulture, part, source + "_0")));
                least += count;
                Use(Production.RangeSpread);
                continue;
            }

            items.Add(new Fragment(".. " + source, ".. " + source, ".. " + source + "_0"));
            least += _length;
        }

        if (Allowed(Production.CallSpread) && Chance(0.35))
        {
            items.Insert(_random.Next(items.Count + 1), CallSpreadItem());
            least++;
        }

        for (var i = _random.Next(3); i > 0; i--)
        {
            items.Insert(_random.Next(items.Count + 1), Expression(1));
            least++;
        }

        var sp = Fresh("sp");
        var type = T + "[]";
        Declare(sp, new Fragment(
            "[" + string.Join(", ", items.Select(f => f.Src)) + "]",
            "[" + string.Join(", ", items.Select(f => f.Ref)) + "]",
            "[" + string.Join(", ", items.Select(f => f.Shadow)) + "]"), type);
        if (depth == 0 && _loopDepth == 0 && _length > 0 && least >= _length)
        {
            _localArrays.Add(sp);
            _spreads.Add(sp);
        }

        var element = _random.Next(_length == 0 ? least : Math.Min(least, _length)).ToString(CultureInfo.InvariantCulture);
        var w = Expression(1);
        var read = new Fragment(
            $"{SliceHelper}({sp}, {w.Src}) * {Literal(0.25)} + {sp}[^1] * {sp}[{element}]",
            $"{SliceHelper}({sp}, {w.Ref}) * {Literal(0.25)} + {sp}[^1] * {sp}[{element}]",
            $"{SliceHelper}({sp}_0, {w.Shadow}) * {Literal(0.25)} + {sp}_0[^1] * {sp}_0[{element}]");
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + " + M + ".Tanh({1})", Fragment.Variable(target), read)));
        return true;
    }

    /// <summary>
    /// A range of a spread source as a format with {0} for the array, and the fewest elements it holds:
    /// <c>a[i..j]</c>, <c>a[^k..]</c>, <c>a[..k]</c>, <c>s.Slice(i, n)</c>/<c>a.AsSpan(i, n)</c>, and in a loop a window
    /// that moves with the counter, <c>a[(i % l)..]</c> or <c>a.AsSpan(i % l, 1)</c>.
    /// </summary>
    private (string Part, int Count) SpreadRange(string source)
    {
        var l = _length.ToString(CultureInfo.InvariantCulture);
        var isArray = source == "t" || _spreads.Contains(source) || (source == _arrayParameter && _arrayParameterIsArray);
        var slice = isArray ? "AsSpan" : "Slice";
        if (_loopCounters.Count > 0 && Chance(0.4))
        {
            var counter = Pick(_loopCounters);
            Use(Production.RangeSpreadInLoop);
            return Chance(0.5) ? ($"{{0}}[({counter} % {l})..]", 1) : ($"{{0}}.{slice}({counter} % {l}, 1)", 1);
        }

        if (_loopDepth > 0)
        {
            Use(Production.RangeSpreadInLoop);
        }

        var start = _random.Next(_length);
        var count = 1 + _random.Next(_length - start);
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        return _random.Next(4) switch
        {
            0 => ($"{{0}}[{Number(start)}..{Number(start + count)}]", count),
            1 => ($"{{0}}[^{Number(count)}..]", count),
            2 => ($"{{0}}[..{Number(count)}]", count),
            _ => ($"{{0}}.{slice}({Number(start)}, {Number(count)})", count),
        };
    }
}
