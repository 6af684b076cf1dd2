namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Struct values beyond construction and field writes (double programs, the <c>Pair</c> struct): <c>with</c>
/// expressions, property patterns (<c>pw is { A: &gt; 0.2, B: &lt; 0.6 }</c>) and local arrays of structs whose
/// elements are stored and read; and per-iteration scratch arrays, <c>var sc = new T[2];</c> declared, written and
/// read inside a loop body.
/// </summary>
public sealed partial class ProgramGenerator
{
    private bool StructValueStatement()
    {
        if (_single)
        {
            return false;
        }

        Use(Production.WithExpression);
        var (p, w) = (Fresh("pv"), Fresh("pw"));
        Declare(p, Fragment.Combine("new Pair({0}, {1})", Expression(1), Expression(1)));
        Declare(w, Fragment.Combine("{0} with {{ B = " + M + ".Tanh({0}.A * {1}) }}", Fragment.Variable(p), Expression(1)));
        Fragment read;
        if (Chance(0.5))
        {
            Use(Production.PropertyPattern);
            var pattern = Pick(new[] { "{ A: > 0.2, B: < 0.6 }", "{ B: >= -0.3 }", "{ A: < 0.0 or > 0.5 }" });
            read = new Fragment($"({w} is {pattern} ? {w}.A * {w}.B : {w}.B)", $"({w} is {pattern} ? {w}.A * {w}.B : {w}.B)", $"({w} is {pattern} ? {w}_0.A * {w}_0.B : {w}_0.B)");
        }
        else
        {
            Use(Production.LocalStructArray);
            var ps = Fresh("ps");
            _w.Both($"var {ps} = new Pair[2];");
            _w.Ref($"var {ps}_0 = new Pair[2];");
            Fragment Element(int i) => new($"{ps}[{i}]", $"{ps}[{i}]", $"{ps}_0[{i}]");
            ElementWrite(Element(0), Fragment.Variable(w));
            ElementWrite(Element(1), Fragment.Combine("{0} with {{ A = {1} }}", Fragment.Variable(p), Expression(1)));
            read = Fragment.Combine("{0}.A * {1}.B + {1}.Sum", Element(1), Element(0));
        }

        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(target), read)));
        return true;
    }

    private bool ScratchArrayStatement()
    {
        if (_loopDepth == 0)
        {
            // Outside a loop: a counted loop of its own around the scratch array.
            var k = Fresh("ks");
            _w.Open($"for (int {k} = 0; {k} < {Bound()}; {k}++)");
            EnterLoop(k);
            ScratchArrayStatement();
            ExitLoop();
            _w.Close();
            return true;
        }

        Use(Production.ScratchArray);
        var sc = Fresh("sc");
        _w.Both($"var {sc} = new {T}[2];");
        _w.Ref($"var {sc}_0 = new {T}[2];");
        Fragment Element(int i) => new($"{sc}[{i}]", $"{sc}[{i}]", $"{sc}_0[{i}]");
        ElementWrite(Element(0), Expression(1).Wrap(M + ".Sin(", ")"));
        ElementWrite(Element(1), Fragment.Combine(M + ".Tanh({0} * {1})", Element(0), Expression(1)));
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * ({1} + {2} * {3})", Fragment.Variable(target), Element(1), Element(0), Expression(1))));
        return true;
    }
}
