namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Calls of multi-statement [Differentiable] callees that return a struct or a tuple (data types, issue 14), which
/// the compiler differentiates with one callee call per floating field of the result: a named double tuple, the
/// <c>Pair</c> struct, a float tuple and a <c>Vector3</c>. The callees are random helper bodies of their own (no
/// Detach or NoGrad, so that the reference calls them as they are), one set per batch; the callers deconstruct the
/// result or keep it in a local and read its fields, through <c>Atan</c>/<c>Tanh</c> (a helper's value can be large).
/// </summary>
public sealed partial class ProgramGenerator
{
    private const string ResultTuple = "ResultTuple";
    private const string ResultPair = "ResultPair";
    private const string ResultTupleF = "ResultTupleF";
    private const string ResultVector = "ResultVector";

    /// <summary>The result type written instead of <see cref="T"/>, for a result helper.</summary>
    private string? _resultType;

    /// <summary>How a result helper builds its value from two expressions ({0}, {1}).</summary>
    private string? _resultFormat;

    /// <summary>The names of the batch's result helpers: they return no scalar, so the harness checks them through their callers.</summary>
    public static readonly IReadOnlySet<string> ResultHelperNames = new HashSet<string>(StringComparer.Ordinal) { ResultTuple, ResultPair, ResultTupleF, ResultVector, ResultRotation };

    /// <summary>The batch's struct- and tuple-returning helpers, drawn from the batch seed.</summary>
    public static IReadOnlyList<RandomProgram> ResultHelpers(int batchSeed) => new[]
    {
        ResultHelper(ResultTuple, RandomBatch.ProgramSeed(batchSeed, -101), "(double First, double Second)", "({0}, {1})", single: false),
        ResultHelper(ResultPair, RandomBatch.ProgramSeed(batchSeed, -102), "Pair", "new Pair({0}, {1})", single: false),
        ResultHelper(ResultTupleF, RandomBatch.ProgramSeed(batchSeed, -103), "(float, float)", "({0}, {1})", single: true),
        ResultHelper(ResultVector, RandomBatch.ProgramSeed(batchSeed, -104), "System.Numerics.Vector3", "new System.Numerics.Vector3({0}, {1}, ({0}) * 0.5f - ({1}))", single: true),

        // Not called by the programs: JacobianCheck checks its Jacobian directly (ProgramGenerator.JacobianRotation.cs).
        RotationHelper(batchSeed),
    };

    private static RandomProgram ResultHelper(string name, int seed, string type, string format, bool single)
    {
        var g = new ProgramGenerator(seed, allowSingle: false, Array.Empty<RandomHelper>(), forceSingle: single)
        {
            _plain = true,
            _resultType = type,
            _resultFormat = format,
        };
        var helper = g.Generate(name, seed, isHelper: true, arity: 2);

        // At least two statements (locals are always declared), so the compiler calls it rather than reading it through.
        return helper with { Uses = Array.Empty<Production>() };
    }

    /// <summary>A call of a result helper whose fields are read into an assignable local.</summary>
    private void ResultCallStatement()
    {
        Use(Production.ResultCall);
        var target = Pick(_assignable);
        var (e1, e2) = (Expression(1), Expression(1));
        var m = M;
        string Call(string helper, string a, string b) => $"Helpers.{helper}({a}, {b})";
        Fragment read;
        if (Chance(0.5))
        {
            var (ra, rb) = (Fresh("ra"), Fresh("rb"));
            var helper = _single ? ResultTupleF : ResultTuple;
            _w.Src($"var ({ra}, {rb}) = {Call(helper, e1.Src, e2.Src)};");
            _w.Ref($"var ({ra}, {rb}) = {Call(helper, e1.Ref, e2.Ref)};");
            _w.Ref($"var ({ra}_0, {rb}_0) = {Call(helper, e1.Shadow, e2.Shadow)};");
            read = Fragment.Combine(m + ".Atan({0}) * " + Literal(0.5) + " + " + m + ".Tanh({1}) * {2}", Fragment.Variable(ra), Fragment.Variable(rb), Fragment.Variable(target));
        }
        else
        {
            var r = Fresh("rs");
            var helper = _single ? ResultVector : Pick(new[] { ResultTuple, ResultPair });
            var call = new Fragment(Call(helper, e1.Src, e2.Src), Call(helper, e1.Ref, e2.Ref), Call(helper, e1.Shadow, e2.Shadow));
            Declare(r, call);
            var v = Fragment.Variable(r);
            read = helper switch
            {
                ResultTuple => Fragment.Combine("Math.Atan({0}.First * {0}.Item2) + Math.Tanh({0}.Second) * " + Literal(0.5), v),
                ResultPair => Fragment.Combine("Math.Atan({0}.Sum) + Math.Tanh({0}.A) * Math.Atan({0}.B)", v),
                _ => Fragment.Combine("MathF.Atan({0}.X + {0}.Z) * 0.5f + MathF.Tanh({0}.Y) + MathF.Atan({0}.LengthSquared()) * 0.25f", v),
            };
        }

        Assign(target, "=", Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + {1}", Fragment.Variable(target), read)));
    }

    /// <summary>
    /// In a loop: a tuple helper's result stored into the element its first argument read, so the reverse can read the
    /// arguments again before the helper's one backward (the spring chain's <c>particles[i] = Kick(particles[i], …)</c>).
    /// </summary>
    private void ResultCallIntoArray(string array)
    {
        Use(Production.ResultCallIntoArray);
        var (index, other) = (Index(), Index());
        var (ra, rb) = (Fresh("ra"), Fresh("rb"));
        var helper = _single ? ResultTupleF : ResultTuple;
        var m = M;
        var half = Literal(0.5);
        _w.Src($"var ({ra}, {rb}) = Helpers.{helper}({array}[{index}], {array}[{other}]);");
        _w.Ref($"var ({ra}, {rb}) = Helpers.{helper}({array}[{index}], {array}[{other}]);");
        _w.Ref($"var ({ra}_0, {rb}_0) = Helpers.{helper}({array}_0[{index}], {array}_0[{other}]);");
        _w.Src($"{array}[{index}] = {m}.Atan({ra}) + {m}.Tanh({rb}) * {half};");
        _w.Ref($"{array}[{index}] = {m}.Atan({ra}) + {m}.Tanh({rb}) * {half};");
        _w.Ref($"{array}_0[{index}] = {m}.Atan({ra}_0) + {m}.Tanh({rb}_0) * {half};");
    }
}
