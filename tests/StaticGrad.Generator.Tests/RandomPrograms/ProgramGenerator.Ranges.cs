using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Indices and ranges (issue 15): <c>a[^k]</c> reads, slices <c>a[i..j]</c>, <c>a[..k]</c>, <c>a[k..]</c>,
/// <c>a[1..^1]</c>, <c>span.Slice(i, n)</c> and <c>array.AsSpan(i, n)</c> passed to a [Differentiable] helper taking a
/// span, and a <c>Range</c>/<c>Index</c> held in a local, on the array parameter, the local array and the stackalloc
/// span. Every bound is valid for the program's array length and every slice holds at least one element.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The [Differentiable] helpers slices are passed to, one per precision; bounded for any span length.</summary>
    public static IReadOnlyList<RandomProgram> SliceHelpers() => new[] { "double", "float" }.Select(t =>
    {
        var (name, m, half) = t == "double" ? ("SliceSum", "Math", "0.5") : ("SliceSumF", "MathF", "0.5f");
        var source = $$"""

            // domain: s[4]=-1..1
            [Differentiable]
            public static {{t}} {{name}}(ReadOnlySpan<{{t}}> s, {{t}} w)
            {
                {{t}} r = s[^1] * {{half}};
                for (int i = 0; i < s.Length; i++)
                {
                    r += s[i] * {{m}}.Tanh(w + s[i]);
                }

                return r;
            }
            """;
        return new RandomProgram(name, 17, source.Replace("\r", "", StringComparison.Ordinal), IsHelper: true, NeedsReference: false, Array.Empty<Production>());
    }).ToArray();

    private string SliceHelper => _single ? "Helpers.SliceSumF" : "Helpers.SliceSum";

    /// <summary>A statement reading elements from the end and passing slices to a helper; false without an array.</summary>
    private bool RangeStatement()
    {
        var arrays = _localArrays.ToList();
        if (_arrayParameter is not null)
        {
            arrays.Add(_arrayParameter);
        }

        if (arrays.Count == 0 || _length == 0)
        {
            return false;
        }

        Use(Production.Range);
        var array = Pick(arrays);
        var target = Pick(_assignable);
        if (_loopDepth == 0 && Chance(0.3))
        {
            // A Range and an Index held in locals (declared once, never assigned again).
            var (range, index) = (Fresh("rg"), Fresh("ix"));
            _w.Both($"Range {range} = {RangeText()};");
            _w.Both(Chance(0.5) ? $"Index {index} = ^{1 + _random.Next(_length)};" : $"Index {index} = {_random.Next(_length)};");
            var held = Fragment.Combine("{0} * " + Literal(0.5), Expression(1));
            var value = new Fragment(
                $"{SliceHelper}({array}[{range}], {held.Src}) + {array}[{index}]",
                $"{SliceHelper}({array}[{range}], {held.Ref}) + {array}[{index}]",
                $"{SliceHelper}({array}_0[{range}], {held.Shadow}) + {array}_0[{index}]");
            Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + {1} * " + Literal(0.25), Fragment.Variable(target), value)));
            return true;
        }

        if (Chance(0.25) && _localArrays.Count > 0)
        {
            // A write through an index from the end.
            var local = Pick(_localArrays);
            var from = FromEnd();
            var e = Expression(1);
            var written = _loopDepth > 0 ? e.Wrap(M + ".Sin(", ")") : e;
            var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
            _w.Src($"{local}[^{from}] = {written.Src};");
            _w.Ref($"var {shadow} = {written.Shadow};");
            _w.Ref($"{local}[^{from}] = {written.Ref};");
            _w.Ref($"{local}_0[^{from}] = {shadow};");
            return true;
        }

        var part = SliceText(array);
        var w = Expression(1);
        var element = FromEnd();
        var read = new Fragment(
            $"{SliceHelper}({string.Format(CultureInfo.InvariantCulture, part, array)}, {w.Src}) * {Literal(0.5)} + {array}[^{element}]",
            $"{SliceHelper}({string.Format(CultureInfo.InvariantCulture, part, array)}, {w.Ref}) * {Literal(0.5)} + {array}[^{element}]",
            $"{SliceHelper}({string.Format(CultureInfo.InvariantCulture, part, array + "_0")}, {w.Shadow}) * {Literal(0.5)} + {array}_0[^{element}]");
        Assign(target, Chance(0.5) ? "+=" : "=", Bounded(Fragment.Combine("{0} * " + Literal(0.25), read)));
        return true;
    }

    /// <summary>k of <c>a[^k]</c>, 1..length: a constant, or a loop counter folded into range.</summary>
    private string FromEnd()
    {
        var l = _length.ToString(CultureInfo.InvariantCulture);
        return _loopCounters.Count > 0 && Chance(0.5)
            ? $"({Pick(_loopCounters)} % {l} + 1)"
            : (1 + _random.Next(_length)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A non-empty range of the array: <c>i..j</c>, <c>..k</c>, <c>k..</c>, <c>1..^1</c>, <c>^k..</c>.</summary>
    private string RangeText()
    {
        var start = _random.Next(_length);
        var end = start + 1 + _random.Next(_length - start);
        return _random.Next(5) switch
        {
            0 => $"{start}..{end}",
            1 => $"..{end}",
            2 => $"{start}..",
            3 => _length > 2 ? "1..^1" : "..^1",
            _ => $"^{_length - start}..",
        };
    }

    /// <summary>A slice of the array as a format with {0} for the array: a range, <c>Slice(i, n)</c> or <c>AsSpan(i, n)</c>.</summary>
    private string SliceText(string array)
    {
        var l = _length.ToString(CultureInfo.InvariantCulture);
        if (_loopCounters.Count > 0 && Chance(0.3))
        {
            // A sliding window: starts at i % length, runs to the end.
            return $"{{0}}[({Pick(_loopCounters)} % {l})..]";
        }

        if (Chance(0.35))
        {
            var start = _random.Next(_length);
            var count = 1 + _random.Next(_length - start);
            var isArray = array == "t" || _spreads.Contains(array) || (array == _arrayParameter && _arrayParameterIsArray);
            return isArray ? $"{{0}}.AsSpan({start}, {count})" : $"{{0}}.Slice({start}, {count})";
        }

        return "{0}[" + RangeText() + "]";
    }
}
