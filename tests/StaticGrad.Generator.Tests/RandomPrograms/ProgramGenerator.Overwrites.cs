using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The productions that overwrite what a derivative may read later (issue 13): writes to parameters, and loops that
/// overwrite elements of a local array with values that carry no adjoint, so that the loop's reverse only restores.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>Some floating scalar parameters, [NoGrad] or not, become assignable like locals.</summary>
    private void WritableParameters(IEnumerable<string> scalars)
    {
        if (!Allowed(Production.ParameterWrite))
        {
            return;
        }

        foreach (var parameter in scalars.ToList())
        {
            if (Chance(0.25))
            {
                _assignable.Add(parameter);
            }
        }
    }

    /// <summary>An array (or stackalloc span) filled with constants: only <see cref="RestoreLoop"/> writes it, with constants.</summary>
    private void DeclareConstantArray(bool isHelper)
    {
        if (_length == 0 || isHelper || !Allowed(Production.LoopRestore) || !Chance(0.35))
        {
            return;
        }

        var stack = Allowed(Production.Stackalloc) && Chance(0.3);
        string Declaration(string name) => stack ? $"Span<{T}> {name} = stackalloc {T}[{_length}];" : $"var {name} = new {T}[{_length}];";
        _w.Src(Declaration("w"));
        _w.Ref(Declaration("w"));
        _w.Ref(Declaration("w_0"));
        for (var k = 0; k < _length; k++)
        {
            var value = Literal(Math.Round(_random.NextDouble() * 4 - 2, 2));
            _w.Both($"w[{k}] = {value};");
            _w.Ref($"w_0[{k}] = {value};");
        }

        _constantArrays.Add("w");
    }

    /// <summary>
    /// A derivative reads an element of the constant array, then a loop (for, while, while(true) with break, or
    /// do-while) overwrites elements with constants: the reverse loop must restore each at its own iteration's index.
    /// </summary>
    private void RestoreLoop()
    {
        var w = Pick(_constantArrays);
        var element = Element(w, _random.Next(_length).ToString(CultureInfo.InvariantCulture));
        Assign(Pick(_assignable), "+=", Fragment.Combine("{0} * {1}", Expression(1).Wrap(M + ".Sin(", ")"), element));

        var counter = (_random.Next(4) == 0 ? "i" : "k") + _counter++;
        var bound = Bound();
        var kind = _random.Next(4);
        if (kind == 0)
        {
            _w.Open($"for (int {counter} = 0; {counter} < {bound}; {counter}++)");
        }
        else
        {
            _w.Both($"int {counter} = 0;");
            _w.Open(kind switch { 1 => $"while ({counter} < {bound})", 2 => "while (true)", _ => "do" });
            if (kind == 2)
            {
                _w.Both($"if ({counter} >= {bound}) break;");
            }
        }

        var index = RestoreIndex(counter);
        var write = _random.Next(5) switch
        {
            0 => $"{w}[{index}] *= {Literal(-0.9)};",
            1 => $"{w}[{index}] = (({T}){counter}) * {Literal(0.25)};",
            2 => $"{w}[{index}] = {w}[{RestoreIndex(counter)}] * {Literal(0.5)} + {Literal(1)};",
            3 => $"{w}[{index}] += {Literal(0.5)};",
            _ => $"{w}[{index}] = {Literal(Math.Round(_random.NextDouble() * 2 - 1, 2))};",
        };
        _w.Both(write);
        _w.Ref(write.Replace(w + "[", w + "_0[", StringComparison.Ordinal));
        if (kind != 0)
        {
            _w.Both($"{counter}++;");
        }

        _w.Close();
        if (kind == 3)
        {
            _w.Both($"while ({counter} < {bound});");
        }
    }

    private string RestoreIndex(string counter)
    {
        var l = _length.ToString(CultureInfo.InvariantCulture);
        return _random.Next(5) switch
        {
            0 => $"{counter} % {l}",
            1 => $"({counter} + 1) % {l}",
            2 => $"{l} - 1 - {counter} % {l}",
            3 when _loopCounters.Count > 0 => $"({_loopCounters[^1]} + {counter}) % {l}",
            _ => $"({counter} * 2) % {l}",
        };
    }

    private static Fragment Element(string array, string index) => new($"{array}[{index}]", $"{array}[{index}]", $"{array}_0[{index}]");
}
