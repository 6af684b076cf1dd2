using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// Session 24: a small loop whose condition has a side effect (<see cref="Production.LoopCondition"/>), in one of
    /// the forms users write: <c>while (++k &lt; b)</c>, <c>while (k++ &lt; b)</c>, <c>do … while (++k &lt; b)</c>,
    /// <c>for (int k = 0; k++ &lt; b;)</c>, <c>while (k-- &gt; 0)</c>, <c>while ((k += 2) &lt; 2b)</c>,
    /// <c>while (e &gt; -0.5 &amp;&amp; k++ &lt; b)</c> (the increment only when the comparison holds), or a real local halved in the condition,
    /// <c>while ((d *= 0.5) &gt; 0.1 &amp;&amp; k++ &lt; 6)</c>; sometimes a <c>continue</c> on every third trip, and
    /// the counter's exit value added to a variable after the loop. The reference spells the real form as
    /// <c>while (true) { d *= 0.5; …; if (!(…)) break; … }</c> so that both copies halve in lockstep. Drawn from a
    /// stream of its own (<c>seed ^ 0x2424</c>), so every program without it keeps its text.
    /// </summary>
    private void LoopCondition()
    {
        // Locals only: a parameter the program keeps rewriting can reach a Round step with a slope in the thousands, where
        // no finite difference is a derivative (batch 20261126 P138 with this production writing x0: the Backward matched
        // the double program's differences at step 1e-6, -8528.69, while steps 1e-5 and 1e-3 crossed Round(x0) steps).
        var locals = _assignable.Where(v => !_parameters.Contains(v)).ToList();
        if (_loopConditions.NextDouble() >= 0.3 || locals.Count == 0 || !Allowed(Production.LoopCondition))
        {
            return;
        }

        Use(Production.LoopCondition);
        var target = locals[_loopConditions.Next(locals.Count)];
        var k = Fresh("lc");
        var b = (1 + _loopConditions.Next(4)).ToString(CultureInfo.InvariantCulture);
        var form = _loopConditions.Next(8);
        var skips = form != 7 && _loopConditions.Next(3) == 0;
        var exitValue = form != 3;
        if (form == 7)
        {
            RealLoopCondition(target, k);
            return;
        }

        if (form != 3)
        {
            _w.Both(form == 4 ? $"int {k} = {b};" : $"int {k} = 0;");
        }

        switch (form)
        {
            case 0:
                _w.Open($"while (++{k} < {b})");
                break;
            case 1:
                _w.Open($"while ({k}++ < {b})");
                break;
            case 2:
                _w.Open("do");
                break;
            case 3:
                _w.Open($"for (int {k} = 0; {k}++ < {b};)");
                break;
            case 4:
                _w.Open($"while ({k}-- > 0)");
                break;
            case 5:
                _w.Open($"while (({k} += 2) < 2 * {b})");
                break;
            default:
                // The left operand reads a real value; the reference's branches follow its normal copy, as Condition's do.
                var left = Expression(1);
                _w.Open($"while ({left.Src} > {Literal(-0.5)} && {k}++ < {b})", $"while ({left.Ref} > {Literal(-0.5)} && {k}++ < {b})");
                break;
        }

        if (skips)
        {
            _w.Both($"if ({k} % 3 == 0) continue;");
        }

        Assign(target, "+=", Fragment.Combine(M + ".Sin({0}) * " + Literal(0.25) + " * (" + T + ")(" + k + " + 1)", Expression(1)));
        if (form == 2)
        {
            _w.Close();
            _w.Both($"while (++{k} < {b});");
        }
        else
        {
            _w.Close();
        }

        if (exitValue)
        {
            Assign(target, "+=", Fragment.Inactive($"({T}){k} * {Literal(0.125)}"));
        }
    }

    /// <summary>A real local halved in the condition, bounded by a counter; the reference halves both copies before the test.</summary>
    private void RealLoopCondition(string target, string k)
    {
        var d = Fresh("ld");
        var init = Expression(1);
        _w.Both($"int {k} = 0;");
        _w.Src($"{T} {d} = {Literal(1.5)} + {M}.Abs({init.Src});");
        _w.Ref($"{T} {d} = {Literal(1.5)} + {M}.Abs({init.Ref});");
        _w.Ref($"{T} {d}_0 = {Literal(1.5)} + {M}.Abs({init.Shadow});");
        _w.Src($"while (({d} *= {Literal(0.5)}) > {Literal(0.1)} && {k}++ < 6)");
        _w.Ref("while (true)");
        _w.Both("{");
        _w.Indent();
        _w.Ref($"{d} *= {Literal(0.5)};");
        _w.Ref($"{d}_0 *= {Literal(0.5)};");
        _w.Ref($"if (!({d} > {Literal(0.1)} && {k}++ < 6)) break;");
        Assign(target, "+=", Fragment.Combine("{0} * {1}", Fragment.Variable(d), Expression(1)));
        _w.Outdent();
        _w.Both("}");
        Assign(target, "+=", Fragment.Combine("{0} + ({1}){2} * {3}", Fragment.Variable(d), Fragment.Inactive(T), Fragment.Inactive(k), Fragment.Inactive(Literal(0.125))));
    }
}
