using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A recursive local function (issue 15), which the compiler lifts to a private member and differentiates as a callee:
/// a depth-bounded recursion <c>R(v, k) = k &lt;= 0 ? v : R(0.5 * v + 0.5 * Sin(g), k - 1)</c> with g drawn from the
/// expression production, which may read the method's scalars (captures, read only: writes to captures are refused
/// by design), or <c>static</c> with g over v and k alone; or two such functions calling each other (mutual
/// recursion). Arrays, spans and matrices are hidden while g is drawn (a span cannot be captured by a local function).
/// </summary>
public sealed partial class ProgramGenerator
{
    private void RecursiveLocalStatement()
    {
        Use(Production.RecursiveLocalFunction);
        var (f, v, k) = (Fresh("rf"), Fresh("rv"), Fresh("rk"));
        var isStatic = Chance(0.3);

        // Mutual recursion: F calls G, G calls F, each with a step of its own (everyday C#, issue 15).
        var mutual = Allowed(Production.MutualRecursion) && Chance(0.5);
        var (g, gv, gk) = (Fresh("rf"), Fresh("rv"), Fresh("rk"));
        var step = Step(v, k, isStatic);
        var otherStep = mutual ? Step(gv, gk, isStatic) : step;
        var callee = mutual ? g : f;

        // The reference carries the normal and the shadow copy through one recursion, so that Detach and the
        // shadow's branch decisions (which read the normal copy) see both.
        var modifier = isStatic ? "static " : "";
        var expressionBodied = Chance(0.5);
        void Write(string name, string value, string counter, Fragment next, string target)
        {
            if (expressionBodied)
            {
                _w.Src($"{modifier}{T} {name}({T} {value}, int {counter}) => {counter} <= 0 ? {value} : {target}({next.Src}, {counter} - 1);");
            }
            else
            {
                _w.Src($"{modifier}{T} {name}({T} {value}, int {counter})");
                _w.Src("{");
                _w.Src($"    if ({counter} <= 0) return {value};");
                _w.Src($"    return {target}({next.Src}, {counter} - 1);");
                _w.Src("}");
            }

            _w.Ref($"({T}, {T}) {name}({T} {value}, {T} {value}_0, int {counter}) => {counter} <= 0 ? ({value}, {value}_0) : {target}({next.Ref}, {next.Shadow}, {counter} - 1);");
        }

        Write(f, v, k, step, callee);
        if (mutual)
        {
            Use(Production.MutualRecursion);
            Write(g, gv, gk, otherStep, f);
        }

        var depths = new List<string> { (1 + _random.Next(4)).ToString(CultureInfo.InvariantCulture) };
        depths.AddRange(_ints.Where(i => i == "n"));
        depths.AddRange(_loopCounters.Select(i => $"{i} % 3"));
        var depth = Pick(depths);
        var arg = Expression(1);
        var entry = mutual && Chance(0.5) ? g : f;
        var call = new Fragment(
            $"{entry}({arg.Src}, {depth})",
            $"{entry}({arg.Ref}, {arg.Shadow}, {depth}).Item1",
            $"{entry}({arg.Ref}, {arg.Shadow}, {depth}).Item2");
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + {1}", Fragment.Variable(target), call)));
    }

    /// <summary>One level's step <c>0.5 * v + 0.5 * Sin(g)</c>, g drawn over the captures (none when static), v and k.</summary>
    private Fragment Step(string v, string k, bool isStatic) => HiddenArrays(() =>
    {
        var (readable, ints) = (_readable.ToList(), _ints.ToList());
        if (isStatic)
        {
            _readable.Clear();
            _ints.Clear();
        }

        _readable.Add(v);
        _ints.Add(k);
        // Without Detach: Detach(v) equals v at the point, so a kinked function of both (Min(v, Detach(v)), batch
        // 20261123 P126) has its kink exactly there at every level of the recursion, where neither central nor
        // one-sided differences of the whole recursion give a derivative to compare with.
        var g = Expression(2);
        for (var attempt = 0; attempt < 8 && g.Src.Contains("Autograd.Detach(", StringComparison.Ordinal); attempt++)
        {
            g = Expression(2);
        }

        if (g.Src.Contains("Autograd.Detach(", StringComparison.Ordinal))
        {
            g = Fragment.Variable(v).Wrap(M + ".Cos(", ")");
        }

        _readable.Clear();
        _readable.AddRange(readable);
        _ints.Clear();
        _ints.AddRange(ints);
        return Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Sin({1})", Fragment.Variable(v), g);
    });

    /// <summary>Runs <paramref name="draw"/> with no array, span or matrix in reach of the expression production.</summary>
    private TResult HiddenArrays<TResult>(Func<TResult> draw)
    {
        var (array, locals, constants, rows) = (_arrayParameter, _localArrays.ToList(), _constantArrays.ToList(), _rows);
        (_arrayParameter, _rows) = (null, 0);
        _localArrays.Clear();
        _constantArrays.Clear();
        try
        {
            return draw();
        }
        finally
        {
            (_arrayParameter, _rows) = (array, rows);
            _localArrays.AddRange(locals);
            _constantArrays.AddRange(constants);
        }
    }
}
