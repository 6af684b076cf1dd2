using System.Globalization;
using System.Text;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Generates random [Differentiable] methods from the supported body language. Values stay finite by construction:
/// every Math function is applied inside its safe domain (<c>Log(1 + e*e)</c>, <c>Pow(Abs(e) + 1, Sin(e))</c>,
/// <c>Asin(0.5 * Sin(e))</c>, …) and assignments inside loops are contractions (<c>Tanh</c>, averaging, bounded
/// factors), so that a loop cannot overflow.
/// </summary>
public sealed partial class ProgramGenerator
{
    private readonly Random _random;
    private readonly Random _loopShapes;
    private readonly Random _resultWrites;

    /// <summary>A stream of its own for <see cref="Production.LogisticCall"/>, so every other program's text is unchanged.</summary>
    private readonly Random _logisticCalls;

    /// <summary>A stream of its own for <see cref="Production.SingleInputCall"/>, so every other program's text is unchanged.</summary>
    private readonly Random _singleInputCalls;

    /// <summary>A stream of its own for <see cref="Production.PairedCall"/>, drawn only where a helper call takes the one-input helper.</summary>
    private readonly Random _pairedCalls;

    /// <summary>A stream of its own for <see cref="Production.LogQuotient"/>, so every other program's text is unchanged.</summary>
    private readonly Random _logQuotients;
    private readonly Random _steppedRows;
    private readonly Random _innerReductions;
    private readonly Random _slottedRows;
    private readonly Random _interchangedRows;
    private readonly Random _neighbourReads;
    private readonly Random _carriedNeighbours;
    private readonly Random _keptFactors;
    private readonly Random _slottedCells;
    private readonly Random _powerProducts;
    private readonly Random _deadTails;
    private readonly Random _overflowReturns;
    private readonly Random _lastTrips;
    private readonly Random _mlpRows;
    private readonly Random _everydayForms;
    private readonly Random _linqReductions;
    private readonly Random _mlpRowTails;
    private readonly Random _triangleRows;
    private readonly Random _iterationStacks;
    private readonly Random _jammedTriangleRows;
    private readonly Random _loopConditions;
    private readonly Random _countedCalls;
    private readonly bool _single;
    private readonly IReadOnlyList<RandomHelper> _helpers;
    private readonly ProgramWriter _w = new();
    private readonly List<string> _readable = new();
    private readonly HashSet<string> _parameters = new();
    private readonly List<string> _assignable = new();
    private readonly List<string> _localArrays = new();
    private readonly List<string> _constantArrays = new();
    private readonly List<string> _ints = new();
    private readonly List<string> _loopCounters = new();
    private readonly List<bool> _breakTargets = new();
    private string? _arrayParameter;
    private bool _writableArrayParameter;
    private bool _arrayParameterIsArray;
    private int _length;
    private int _counter;
    private int _loopDepth;
    private int _statementBudget;
    private bool _needsReference;
    private bool _isHelper;

    /// <summary>Whether the reduction has a <see cref="Production.CarriedNeighbours"/> shape.</summary>
    private bool _carriedReduction;

    /// <summary>Without Detach and NoGrad, so that the method needs no lockstep reference (a result helper's).</summary>
    private bool _plain;

    /// <summary>The share of statements drawn from <see cref="NewConstruct"/> (structs, tuples, local functions, …).</summary>
    private const int NewConstructPercent = 32;

    private ProgramGenerator(int seed, bool allowSingle, IReadOnlyList<RandomHelper> helpers, bool forceSingle = false)
    {
        _random = new Random(seed);
        _loopShapes = new Random(seed ^ 0x100B);
        _resultWrites = new Random(seed ^ 0x1016);
        _logisticCalls = new Random(seed ^ 0x5161);
        _inArguments = new Random(seed ^ 0x2525);
        _singleInputCalls = new Random(seed ^ 0x1A9C);
        _pairedCalls = new Random(seed ^ 0x2525);
        _logQuotients = new Random(seed ^ 0x109A);
        _steppedRows = new Random(seed ^ 0x5E6D);
        _innerReductions = new Random(seed ^ 0x1A17);
        _slottedRows = new Random(seed ^ 0x5107);
        _neighbourReads = new Random(seed ^ 0x1E18);
        _carriedNeighbours = new Random(seed ^ 0xCA20);
        _keptFactors = new Random(seed ^ 0x4E97);
        _slottedCells = new Random(seed ^ 0x5C19);
        _powerProducts = new Random(seed ^ 0x5019);
        _deadTails = new Random(seed ^ 0x0DEA);
        _overflowReturns = new Random(seed ^ 0x0F51);
        _lastTrips = new Random(seed ^ 0x1A57);
        _mlpRows = new Random(seed ^ 0x3B19);
        _interchangedRows = new Random(seed ^ 0x1C20);
        _everydayForms = new Random(seed ^ 0x2020);
        _linqReductions = new Random(seed ^ 0x2121);
        _mlpRowTails = new Random(seed ^ 0x2014);
        _triangleRows = new Random(seed ^ 0x2021);
        _iterationStacks = new Random(seed ^ 0x2023);
        // Its own constant: sharing _iterationStacks' would draw the two productions from one stream.
        _jammedTriangleRows = new Random(seed ^ 0x2323);
        _loopConditions = new Random(seed ^ 0x2424);
        _countedCalls = new Random(seed ^ 0x2525);
        _single = forceSingle || (allowSingle && Allowed(Production.SinglePrecision) && _random.NextDouble() < 0.15);
        _helpers = helpers;
    }

    private string T => _single ? "float" : "double";

    private string M => _single ? "MathF" : "Math";

    public static bool Allowed(Production production) => !UnsupportedProductions.All.ContainsKey(production);

    /// <summary>A helper: double parameters u0, u1 (by arity), a short body, no calls.</summary>
    public static RandomProgram Helper(string name, int seed, int arity)
    {
        var g = new ProgramGenerator(seed, allowSingle: false, Array.Empty<RandomHelper>());
        return g.Generate(name, seed, isHelper: true, arity);
    }

    public static RandomProgram Program(string name, int seed, IReadOnlyList<RandomHelper> helpers)
    {
        var g = new ProgramGenerator(seed, allowSingle: true, helpers);
        return g.Generate(name, seed, isHelper: false, arity: 0);
    }

    private RandomProgram Generate(string name, int seed, bool isHelper, int arity)
    {
        var parameters = new List<(string Type, string Name, string Attribute)>();
        var scalarCount = isHelper ? arity : 1 + _random.Next(3);
        for (var i = 0; i < scalarCount; i++)
        {
            var p = (isHelper ? "u" : "x") + i;
            parameters.Add((T, p, ""));
            _readable.Add(p);
        }

        _isHelper = isHelper;
        var domain = new List<string>();
        if (!isHelper)
        {
            if (Chance(0.2) && Allowed(Production.NoGradParameter))
            {
                parameters.Add((T, "c", "[NoGrad] "));
                _readable.Add("c");
            }

            if (Chance(0.5) && Allowed(Production.IntParameter))
            {
                parameters.Add(("int", "n", ""));
                _ints.Add("n");
            }

            if (Chance(0.4) && (Allowed(Production.ArrayParameter) || Allowed(Production.SpanParameter)))
            {
                _length = 3 + _random.Next(3);
                var span = Allowed(Production.SpanParameter) && (!Allowed(Production.ArrayParameter) || Chance(0.4));
                _writableArrayParameter = Allowed(Production.ParameterArrayWrite) && Chance(0.5);
                parameters.Add((span ? (_writableArrayParameter ? $"Span<{T}>" : $"ReadOnlySpan<{T}>") : T + "[]", "a", ""));
                _arrayParameter = "a";
                _arrayParameterIsArray = !span;
                _writableArrayParameter |= !span;
                domain.Add($"a[{_length}]=-1..1");
            }

            RowsParameter(seed, parameters, domain);
        }

        if (_ints.Contains("n"))
        {
            domain.Add("n=1..4");
        }

        WritableParameters(parameters.Where(p => p.Type == T).Select(p => p.Name));
        _parameters.UnionWith(parameters.Select(p => p.Name));
        _statementBudget = isHelper ? 1 + _random.Next(3) : 3 + _random.Next(9);
        var signature = string.Join(", ", parameters.Select(p => p.Attribute + p.Type + " " + p.Name));
        var referenceSignature = signature.Replace("[NoGrad] ", "", StringComparison.Ordinal) + ", " + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name + "_0"));

        _w.Both("");
        if (domain.Count > 0)
        {
            _w.Src("// domain: " + string.Join(" ", domain));
        }

        // A result helper also asks for its Jacobian (issue 18), which JacobianCheck compares with central differences.
        _w.Src(_resultType is null ? "[Differentiable]" : "[Differentiable(Jacobian = true)]");
        _w.Open($"public static {_resultType ?? T} {name}({signature})", $"public static {T} {name}_FdReference({referenceSignature})");

        if (_length == 0 && !isHelper && Chance(0.3))
        {
            _length = 3 + _random.Next(3);
        }

        DeclareLocals(isHelper);
        Block(depth: 0);
        var reduction = !isHelper && Allowed(Production.Reduction) && Chance(0.3) ? Reduction() : (Fragment?)null;
        var result = Expression(2);
        if (reduction is { } accumulator)
        {
            // Mostly linear in the accumulator (the fusable shape), sometimes not (fusion must then be refused).
            // A carried shape's result is linear in its accumulator (the fusable shape) from a stream of its own.
            result = (_carriedReduction ? _carriedNeighbours.Next(3) : _random.Next(5)) switch
            {
                0 => Fragment.Combine("({0} - {1})", result, accumulator),
                1 => Fragment.Combine("({0} + {1} * " + Literal(0.75) + ")", result, accumulator),
                2 => Fragment.Combine("(-{1} / " + Literal(3) + " + {0})", result, accumulator),
                3 => Fragment.Combine("({0} + " + M + ".Sin({1}))", result, accumulator),
                _ => Fragment.Combine("({0} + {1} * {2})", result, accumulator, Expression(1)),
            };
        }

        var overflowed = OverflowBeforeReturn();
        foreach (var local in _assignable.Where(_ => Chance(0.5)))
        {
            result = Fragment.Combine("({0} + " + Literal(0.5) + " * {1})", result, Fragment.Variable(local));
        }

        if (overflowed is not null)
        {
            result = Fragment.Combine("({0} + " + Literal(0.5) + " * {1})", result, Fragment.Variable(overflowed));
        }

        if (_resultFormat is not null)
        {
            result = Fragment.Combine(_resultFormat, result, Expression(2));
        }

        // Before DeadTail: after it, the tail's local is ∞ and the loop's first read would be sin(∞).
        result = LastTripOverflow(result);
        result = DeadTail(result);
        _w.Src("return " + result.Src + ";");
        _w.Ref("return " + result.Ref + ";");
        _w.Close();

        var source = _needsReference ? _w.SrcText + _w.RefText : _w.SrcText;
        return new RandomProgram(name, seed, HostileIdentifiers.Apply(source, seed), isHelper, _needsReference, _used.ToList());
    }

    private void DeclareLocals(bool isHelper)
    {
        // First, so that every later expression may read it.
        if (_localGrid && !isHelper)
        {
            DeclareLocalGrid();
        }

        var count = 1 + _random.Next(isHelper ? 2 : 3);
        for (var i = 0; i < count; i++)
        {
            var name = "v" + i;
            var init = Expression(2);
            _w.Src($"{T} {name} = {init.Src};");
            _w.Ref($"{T} {name} = {init.Ref};");
            _w.Ref($"{T} {name}_0 = {init.Shadow};");
            _readable.Add(name);
            _assignable.Add(name);
        }

        if (_localGrid && !isHelper && Chance(0.3))
        {
            // The filled grid handed whole to a helper.
            GridArgumentStatement();
        }

        if (_length > 0 && !isHelper && Allowed(Production.LocalArray) && Chance(0.5))
        {
            _w.Src($"var t = new {T}[{_length}];");
            _w.Ref($"var t = new {T}[{_length}];");
            _w.Ref($"var t_0 = new {T}[{_length}];");
            _localArrays.Add("t");
        }

        if (_length > 0 && !isHelper && Allowed(Production.Stackalloc) && Chance(0.3))
        {
            _w.Both($"Span<{T}> s = stackalloc {T}[{_length}];");
            _w.Ref($"Span<{T}> s_0 = stackalloc {T}[{_length}];");
            _localArrays.Add("s");
        }

        DeclareConstantArray(isHelper);
        DeclareInterchangeTable(isHelper);
    }

    private void Block(int depth)
    {
        var count = 1 + _random.Next(depth == 0 ? 4 : 3);
        for (var i = 0; i < count && _statementBudget > 0; i++)
        {
            Statement(depth);
        }
    }

    private void Statement(int depth)
    {
        _statementBudget--;
        if (HasRows && _loopDepth < 2 && _random.Next(100) < 12)
        {
            RowLoop(depth);
            return;
        }

        if (!_isHelper && _random.Next(100) < NewConstructPercent && NewConstruct(depth))
        {
            return;
        }

        var choice = _random.Next(100);
        if (choice < 30 || depth >= 3)
        {
            Assignment();
        }
        else if (choice < 40 && Allowed(Production.IfElse))
        {
            IfElse(depth);
        }
        else if (choice < 52 && Allowed(Production.ForLoop) && (_loopDepth == 0 || Allowed(Production.NestedLoop)) && _loopDepth < 2)
        {
            ForLoop(depth);
        }
        else if (choice < 56 && Allowed(Production.WhileLoop) && _loopDepth < 2)
        {
            WhileLoop(depth, doWhile: false);
        }
        else if (choice < 59 && Allowed(Production.DoWhileLoop) && _loopDepth < 2)
        {
            WhileLoop(depth, doWhile: true);
        }
        else if (choice < 63 && Allowed(Production.Foreach) && _arrayParameter is not null && _loopDepth < 2)
        {
            Foreach(depth);
        }
        else if (choice < 71 && _localArrays.Count > 0)
        {
            ArrayWrite();
        }
        else if (choice < 74 && _constantArrays.Count > 0 && _loopDepth < 2)
        {
            RestoreLoop();
        }
        else if (choice < 76 && _loopDepth > 0 && Allowed(Production.Break) && (_breakTargets[^1] || Allowed(Production.BreakInsideSwitchSection)))
        {
            Jump("break");
        }
        // 'continue' from inside a switch section is refused by the compiler (SG1002) when the switch also breaks
        // early, a documented limitation with its own diagnostic test; the grammar keeps 'continue' to loop bodies.
        else if (choice < 80 && _loopDepth > 0 && _breakTargets[^1] && Allowed(Production.Continue))
        {
            Jump("continue");
        }
        else if (choice < 84 && Allowed(Production.EarlyReturn))
        {
            EarlyReturn();
        }
        else if (choice < 88 && Allowed(Production.NoGradBlock) && !_plain)
        {
            NoGradBlock();
        }
        else if (choice < 92 && Allowed(Production.Switch) && _ints.Contains("n"))
        {
            Switch(depth);
        }
        else if (choice < 96 && Allowed(Production.IncrementDecrement))
        {
            var v = Pick(_assignable);
            var op = Chance(0.5) ? "++" : "--";
            var text = Chance(0.5) ? v + op + ";" : op + v + ";";
            _w.Src(text);
            _w.Ref(text);
            _w.Ref(text.Replace(v, v + "_0", StringComparison.Ordinal));
        }
        else
        {
            Assignment();
        }
    }

    private void Assignment()
    {
        var v = Pick(_assignable);
        var target = Fragment.Variable(v);
        var e = Expression(1 + _random.Next(3));
        string op;
        Fragment value;
        var compound = Allowed(Production.CompoundAssignment);
        switch (_random.Next(_loopDepth > 0 ? 6 : 8))
        {
            case 0:
                (op, value) = ("=", e.Wrap(M + ".Tanh(", ")"));
                break;
            case 1:
                (op, value) = ("=", Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Sin({1})", target, e));
                break;
            case 2 when compound:
                (op, value) = ("+=", e.Wrap(Literal(0.25) + " * " + M + ".Sin(", ")"));
                break;
            case 3 when compound:
                (op, value) = ("*=", e.Wrap(Literal(0.5) + " + " + Literal(0.25) + " * " + M + ".Cos(", ")"));
                break;
            case 4 when compound:
                (op, value) = ("/=", e.Wrap(Literal(2) + " + " + M + ".Sin(", ")"));
                break;
            case 5 when compound:
                (op, value) = ("-=", e.Wrap(Literal(0.1) + " * " + M + ".Atan(", ")"));
                break;
            case 6:
                (op, value) = ("=", e);
                break;
            default:
                (op, value) = ("=", Fragment.Combine("{0} * {1}", target, e.Wrap(M + ".Cos(", ")")));
                break;
        }

        Assign(v, op, value);
    }

    /// <summary>Numbers the reference's temporaries that hold a shadow value before the copies are assigned.</summary>
    private int _shadows;

    /// <param name="shadowTarget">The shadow copy's spelling of the target, when it is not <c>{v}_0</c> (a field: <c>p_0.B</c>).</param>
    private void Assign(string v, string op, Fragment value, string? shadowTarget = null)
    {
        if (_parameters.Contains(v))
        {
            Use(Production.ParameterWrite);
        }

        _w.Src($"{v} {op} {value.Src};");

        // Both copies' right-hand sides are read before either copy is written: the shadow's branch conditions read
        // the normal copy, which the first assignment would otherwise have changed already.
        var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
        _w.Ref($"var {shadow} = {value.Shadow};");
        _w.Ref($"{v} {op} {value.Ref};");
        _w.Ref($"{shadowTarget ?? v + "_0"} {op} {shadow};");
    }

    /// <summary>
    /// A reduction loop at the end of the body: an accumulator updated with <c>+=</c>/<c>-=</c> from values private
    /// to the iteration (the shape the compiler fuses), sometimes with random statements mixed in (which may make
    /// iterations depend on each other, so that fusion must be refused). Returns the accumulator.
    /// </summary>
    private Fragment Reduction()
    {
        var accumulator = "r" + _counter++;
        var init = Expression(1);
        _w.Src($"{T} {accumulator} = {init.Src};");
        _w.Ref($"{T} {accumulator} = {init.Ref};");
        _w.Ref($"{T} {accumulator}_0 = {init.Shadow};");
        var i = "i" + _counter++;
        var bound = Bound();
        var neighbours = NeighbourBound();
        var carried = neighbours is null ? null : CarriedShape();
        _carriedReduction = carried is not null;
        _w.Open($"for (int {i} = {(carried == CarriedStencil ? 1 : 0)}; {i} < {neighbours ?? bound}; {i}++)");
        EnterLoop(i);

        // The carried shapes read the array parameter only in their own term: a read at another index, a store or a
        // call passing it whole would make the adjoint of a[i + 1] reachable before the next iteration adds to it.
        var (hiddenArray, hiddenWritable) = (_arrayParameter, _writableArrayParameter);
        if (carried is { } shape)
        {
            CarriedTerm(accumulator, i, shape);
            (_arrayParameter, _writableArrayParameter) = (null, false);
        }
        else if (neighbours is not null)
        {
            NeighbourTerm(accumulator, i);
        }

        var term = "p" + _counter++;
        var value = Expression(2);
        _w.Src($"{T} {term} = {value.Src};");
        _w.Ref($"{T} {term} = {value.Ref};");
        _w.Ref($"{T} {term}_0 = {value.Shadow};");
        _readable.Add(term);
        if (Chance(0.3))
        {
            Assign(term, "=", Fragment.Combine("{0} * " + M + ".Cos({1})", Fragment.Variable(term), Expression(1)));
        }

        SlottedRow(term);
        IterationStack(term);

        // No random statements in a carried shape's body: they may make its iterations depend on each other.
        if (carried is null && Chance(0.25))
        {
            _statementBudget = Math.Max(_statementBudget, 2);
            Block(depth: 2);
        }

        var update = Fragment.Combine("{0} * {1}", Fragment.Variable(term), Expression(1));
        if (Chance(0.3))
        {
            var (src, reference) = Condition();
            _w.Open($"if ({src})", $"if ({reference})");
            Assign(accumulator, Chance(0.5) ? "+=" : "-=", update);
            _w.Close();
        }
        else
        {
            Assign(accumulator, Chance(0.7) ? "+=" : "-=", update);
        }

        InnerReduction(accumulator, i);
        (_arrayParameter, _writableArrayParameter) = (hiddenArray, hiddenWritable);
        _readable.Remove(term);
        ExitLoop();
        _w.Close();
        return Fragment.Variable(accumulator);
    }

    private void IfElse(int depth)
    {
        var (src, reference) = Condition();
        _w.Open($"if ({src})", $"if ({reference})");
        Block(depth + 1);
        _w.Close();
        if (Chance(0.5))
        {
            _w.Open("else");
            Block(depth + 1);
            _w.Close();
        }
    }

    private void ForLoop(int depth)
    {
        var i = "i" + _counter++;
        var bound = Bound();

        // Drawn from a stream of their own, so the programs that keep the plain form are the same as before.
        var outer = _loopCounters.Count > 0 && _loopCounters[^1].StartsWith('i') ? _loopCounters[^1] : null;
        var shape = _loopShapes.NextDouble();
        if (shape < 0.12 && Allowed(Production.OffsetLoop))
        {
            Use(Production.OffsetLoop);
            _w.Open($"for (int {i} = 0; {i} + 1 < {bound}; {i}++)");
        }
        else if (shape < 0.5 && outer is not null && Allowed(Production.NextStartLoop))
        {
            Use(Production.NextStartLoop);
            _w.Open($"for (int {i} = {outer} + 1; {i} < {bound}; {i}++)");
        }
        else
        {
            _w.Open($"for (int {i} = 0; {i} < {bound}; {i}++)");
        }

        EnterLoop(i);
        Block(depth + 1);
        KeptFactor();
        SlottedCell();
        PowerProduct();
        EverydayForm(i);
        LoopCondition();
        CountedCall(i);
        LinqReduction();
        SteppedRow();
        MlpRow();
        InterchangedRows();
        MlpRowTail(i);
        TriangleRows();
        JammedTriangleRows();
        ExitLoop();
        _w.Close();
    }

    private void WhileLoop(int depth, bool doWhile)
    {
        var k = "k" + _counter++;
        var bound = Bound();
        _w.Both($"int {k} = 0;");
        // The counter moves first, so that a 'continue' in the body cannot loop forever.
        _w.Open(doWhile ? "do" : $"while ({k} < {bound})");
        _w.Both($"{k}++;");
        EnterLoop(k);
        Block(depth + 1);
        ExitLoop();
        _w.Close();
        if (doWhile)
        {
            _w.Both($"while ({k} < {bound});");
        }
    }

    private void Foreach(int depth)
    {
        var e = "e" + _counter++;
        var q = "q" + _counter++;
        _w.Src($"foreach (var {e} in {_arrayParameter})");
        _w.Ref($"for (int {q} = 0; {q} < {_arrayParameter}.Length; {q}++)");
        _w.Both("{");
        _w.Ref($"    var {e} = {_arrayParameter}[{q}];");
        _w.Ref($"    var {e}_0 = {_arrayParameter}_0[{q}];");
        using (new Indent(_w))
        {
            _readable.Add(e);
            _loopDepth++;
            _breakTargets.Add(true);
            Block(depth + 1);
            _breakTargets.RemoveAt(_breakTargets.Count - 1);
            _loopDepth--;
            _readable.Remove(e);
        }

        _w.Both("}");
    }

    private void ArrayWrite() => ArrayWrite(Pick(_localArrays));

    private void ArrayWrite(string array)
    {
        // Drawn from a stream of its own, so the programs that keep the plain store are the same as before.
        if (_loopDepth > 0 && _resultWrites.NextDouble() < 0.3 && Allowed(Production.ResultCallIntoArray) && Allowed(Production.ResultCall))
        {
            ResultCallIntoArray(array);
            return;
        }

        var index = Index();
        var e = Expression(1 + _random.Next(2));
        var op = Chance(0.3) && Allowed(Production.CompoundAssignment) ? "+=" : "=";
        var value = _loopDepth > 0 ? e.Wrap(M + ".Sin(", ")") : e;
        _w.Src($"{array}[{index}] {op} {value.Src};");

        // As in Assign: the shadow's right-hand side (whose branch conditions read the normal copy, e.g. the element
        // itself in 't[i] += Sin(t[i] >= 0.5 ? x : y)') is read before the normal copy's element is written.
        var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
        _w.Ref($"var {shadow} = {value.Shadow};");
        _w.Ref($"{array}[{index}] {op} {value.Ref};");
        _w.Ref($"{array}_0[{index}] {op} {shadow};");
    }

    private void Jump(string keyword)
    {
        var (src, reference) = Condition();
        _w.Src($"if ({src}) {keyword};");
        _w.Ref($"if ({reference}) {keyword};");
    }

    private void EarlyReturn()
    {
        var (src, reference) = Condition();
        var e = Expression(2);
        if (_resultFormat is not null)
        {
            e = Fragment.Combine(_resultFormat, e, Expression(2));
        }

        _w.Src($"if ({src}) return {e.Src};");
        _w.Ref($"if ({reference}) return {e.Ref};");
    }

    private void NoGradBlock()
    {
        var v = Pick(_assignable);

        // Inside a loop a contraction, like every other assignment there: a product iterated four times grows to
        // 1e17, where a perturbation of 1e-6 is below the rounding and finite differences see no derivative at all.
        var e = _loopDepth > 0 ? Expression(2).Wrap(M + ".Tanh(", ")") : Expression(2);
        _w.Src("using (Autograd.NoGrad())");
        _w.Src("{");
        _w.Src($"    {v} = {e.Src};");
        _w.Src("}");
        var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
        _w.Ref($"var {shadow} = {e.Shadow};");
        _w.Ref($"{v} = {shadow};");
        _w.Ref($"{v}_0 = {shadow};");
        _needsReference = true;
    }

    private void Switch(int depth)
    {
        _w.Open("switch (n)");
        _breakTargets.Add(false);
        var cases = new[] { 1, 2, 3 }.Where(_ => Chance(0.6)).ToList();
        foreach (var c in cases)
        {
            _w.Both($"case {c}:");
            using (new Indent(_w))
            {
                Block(depth + 1);
                _w.Both("break;");
            }
        }

        _w.Both("default:");
        using (new Indent(_w))
        {
            Block(depth + 1);
            _w.Both("break;");
        }

        _breakTargets.RemoveAt(_breakTargets.Count - 1);
        _w.Close();
    }

    private void EnterLoop(string counter)
    {
        _loopDepth++;
        _breakTargets.Add(true);
        _loopCounters.Add(counter);
        _ints.Add(counter);
    }

    private void ExitLoop()
    {
        _loopDepth--;
        _breakTargets.RemoveAt(_breakTargets.Count - 1);
        _ints.Remove(_loopCounters[^1]);
        _loopCounters.RemoveAt(_loopCounters.Count - 1);
    }

    private string Bound()
    {
        var choices = new List<string> { "2", "3", "4" };
        if (_ints.Contains("n"))
        {
            choices.Add("n");
        }

        if (_arrayParameter is not null)
        {
            choices.Add(_arrayParameter + ".Length");
        }

        if (_localArrays.Count > 0)
        {
            choices.Add(Pick(_localArrays) + ".Length");
        }

        return Pick(choices);
    }

    private string Index()
    {
        if (_loopCounters.Count == 0)
        {
            return _random.Next(_length).ToString(CultureInfo.InvariantCulture);
        }

        var i = Pick(_loopCounters);
        var l = _length.ToString(CultureInfo.InvariantCulture);
        return _random.Next(4) switch
        {
            0 => $"{i} % {l}",
            1 => $"({i} + 1) % {l}",
            2 => $"{l} - 1 - {i} % {l}",
            _ => _loopCounters.Count > 1 ? $"({_loopCounters[0]} * 2 + {_loopCounters[^1]}) % {l}" : $"({i} * 2) % {l}",
        };
    }

    private (string Src, string Ref) Condition()
    {
        if (!_isHelper && Allowed(Production.IsPattern) && Chance(0.1))
        {
            return IsPattern();
        }

        if (_ints.Count > 0 && Chance(0.35))
        {
            var i = Pick(_ints);
            var text = _random.Next(3) switch
            {
                0 => $"{i} % 2 == 0",
                1 => $"{i} > {1 + _random.Next(3)}",
                _ => $"{i} != 1",
            };
            return (text, text);
        }

        var a = Expression(1);
        var b = Chance(0.5) ? Fragment.Constant(Literal(Math.Round(_random.NextDouble() * 2 - 1, 2))) : Expression(1);
        var comparison = Pick(new[] { ">", "<", ">=", "<=" });
        var src = $"{a.Src} {comparison} {b.Src}";
        var reference = $"{a.Ref} {comparison} {b.Ref}";
        if (Chance(0.2) && _ints.Count > 0)
        {
            var i = Pick(_ints);
            var join = Chance(0.5) ? "&&" : "||";
            src = $"({src}) {join} {i} > 1";
            reference = $"({reference}) {join} {i} > 1";
        }

        return (src, reference);
    }

    /// <summary>An expression of depth at most <paramref name="depth"/>; its value is finite wherever its leaves are.</summary>
    private Fragment Expression(int depth)
    {
        if (depth <= 0 || Chance(0.25))
        {
            return Leaf();
        }

        var a = Expression(depth - 1);
        var m = M;
        while (true)
        {
            switch (_random.Next(_isHelper ? 14 : 17))
            {
                case 0 or 1 or 2 when Allowed(Production.Arithmetic):
                    var b = Expression(depth - 1);
                    return Fragment.Combine("({0} " + Pick(new[] { "+", "-", "*", "*" }) + " {1})", a, b);
                case 3 when Allowed(Production.Arithmetic):
                    return a.Wrap("(-(", "))");
                case 4 or 5 or 6 when Allowed(Production.SmoothMath):
                    return SmoothMath(a, depth);
                case 7 when Allowed(Production.KinkedMath):
                    var k = Expression(depth - 1);
                    return _random.Next(6) switch
                    {
                        0 => TieReference.Abs(m, a),
                        1 => TieReference.Extremum(m, "Min", a, k),
                        2 => TieReference.Extremum(m, "Max", a, k),
                        3 => TieReference.Clamp(a, Fragment.Constant(Literal(-1)), Fragment.Constant(Literal(1))),
                        4 => TieReference.CopySign(m, a, k),
                        _ => Fragment.Combine("(" + m + ".Sign({0}) * {1})", a, k),
                    };
                case 8 when Allowed(Production.ZeroDerivativeMath):
                    var f = Pick(new[] { "Floor", "Ceiling", "Round", "Truncate" });
                    return Fragment.Combine("(" + m + "." + f + "({0}) + {1})", a, Expression(depth - 1));
                case 9 when Allowed(Production.Conditional):
                    var (src, reference) = Condition();
                    var other = Expression(depth - 1);
                    return new Fragment($"({src} ? {a.Src} : {other.Src})", $"({reference} ? {a.Ref} : {other.Ref})", $"({reference} ? {a.Shadow} : {other.Shadow})");
                case 10 when Allowed(Production.Detach) && !_plain && Chance(0.5):
                    _needsReference = true;
                    return a.Detached("Autograd.Detach");
                case 11 when Allowed(Production.HelperCall) && _helpers.Count > 0:
                    return Call(a, depth);
                case 12 when Allowed(Production.Arithmetic):
                    return Fragment.Combine("(" + Literal(1) + " / (" + Literal(2) + " + " + m + ".Cos({0})))", a);
                case 13 when Allowed(Production.SmoothMath):
                    return Fragment.Combine(m + ".FusedMultiplyAdd({0}, {1}, {2})", a, Expression(depth - 1), Leaf());
                case 14 when Allowed(Production.SwitchExpression) && Chance(0.5):
                    return SwitchExpression(a, depth);
                case 16 when Allowed(Production.IsPattern):
                    var (patternSrc, patternRef) = IsPattern();
                    var otherwise = Expression(depth - 1);
                    return new Fragment($"({patternSrc} ? {a.Src} : {otherwise.Src})", $"({patternRef} ? {a.Ref} : {otherwise.Ref})", $"({patternRef} ? {a.Shadow} : {otherwise.Shadow})");
            }
        }
    }

    private Fragment SmoothMath(Fragment a, int depth)
    {
        var m = M;
        return _random.Next(21) switch
        {
            0 => a.Wrap(m + ".Sin(", ")"),
            1 => a.Wrap(m + ".Cos(", ")"),
            2 => a.Wrap(m + ".Tanh(", ")"),
            3 => a.Wrap(m + ".Atan(", ")"),
            4 => a.Wrap(m + ".Exp(" + m + ".Sin(", "))"),
            5 => Fragment.Combine(m + ".Exp(-({0}) * ({0}))", a),
            6 => LogOf(a),
            7 => Fragment.Combine(m + ".Sqrt(" + Literal(1) + " + ({0}) * ({0}))", a),
            8 => a.Wrap(m + ".Log10(" + Literal(2) + " + " + m + ".Sin(", "))"),
            9 => a.Wrap(m + ".Log2(" + Literal(1.5) + " + " + m + ".Cos(", "))"),
            10 => Fragment.Combine(m + ".Pow({0} + " + Literal(1) + ", " + m + ".Sin({1}))", TieReference.Abs(m, a), Expression(depth - 1)),
            11 => a.Wrap(m + ".Pow(", ", 2)"),
            12 => a.Wrap(m + ".Pow(" + Literal(1.5) + " + " + m + ".Sin(", "), 3)"),
            13 => a.Wrap(m + ".Asin(" + Literal(0.5) + " * " + m + ".Sin(", "))"),
            14 => a.Wrap(m + ".Acos(" + Literal(0.5) + " * " + m + ".Tanh(", "))"),
            15 => a.Wrap(m + ".Sinh(" + m + ".Sin(", "))"),
            16 => a.Wrap(m + ".Cosh(" + m + ".Cos(", "))"),
            17 => a.Wrap(m + ".Tan(" + Literal(0.5) + " * " + m + ".Sin(", "))"),
            18 => Fragment.Combine(m + ".Atan2({0}, " + Literal(2) + " + " + m + ".Cos({1}))", a, Expression(depth - 1)),
            19 => Fragment.Combine(m + ".Cbrt(" + Literal(1) + " + ({0}) * ({0}))", a),
            _ => Fragment.Combine("({0} / (" + Literal(1) + " + ({0}) * ({0})))", a),
        };
    }

    /// <summary>
    /// log(1 + a²), or (<see cref="Production.LogQuotient"/>, session 21's rule ∂log(u/v) = du/u − dv/v) the log of a
    /// quotient of two active values, both positive: log((1 + a²) / (1.5 + cos a)).
    /// </summary>
    private Fragment LogOf(Fragment a)
    {
        var m = M;
        if (Allowed(Production.LogQuotient) && _logQuotients.NextDouble() < 0.6)
        {
            Use(Production.LogQuotient);
            return Fragment.Combine(m + ".Log((" + Literal(1) + " + ({0}) * ({0})) / (" + Literal(1.5) + " + " + m + ".Cos({0})))", a);
        }

        return Fragment.Combine(m + ".Log(" + Literal(1) + " + ({0}) * ({0}))", a);
    }

    private Fragment Call(Fragment first, int depth)
    {
        var helper = Pick(_helpers);
        var args = new List<Fragment> { first };
        while (args.Count < helper.Arity)
        {
            args.Add(Expression(depth - 1));
        }

        var src = helper.Name + "(" + string.Join(", ", args.Select(a => a.Src)) + ")";
        var shadow = helper.Name + "(" + string.Join(", ", args.Select(a => a.Shadow)) + ")";
        var reference = helper.NeedsReference
            ? helper.Name + "_FdReference(" + string.Join(", ", args.Select(a => a.Ref).Concat(args.Select(a => a.Shadow))) + ")"
            : helper.Name + "(" + string.Join(", ", args.Select(a => a.Ref)) + ")";
        _needsReference |= helper.NeedsReference;
        if (Allowed(Production.LogisticCall) && _logisticCalls.NextDouble() < 0.2)
        {
            // The logistic of the value (an LSTM gate's shape): its reverse reads the call's value instead of calling its backward.
            Use(Production.LogisticCall);
            src = "Helpers.Logistic(" + src + ")";
            shadow = "Helpers.Logistic(" + shadow + ")";
            reference = "Helpers.Logistic(" + reference + ")";
        }

        if (Allowed(Production.SingleInputCall) && _singleInputCalls.NextDouble() < 0.15)
        {
            // A one-input callee with overwritten steps (Black–Scholes' NormalCdf): its backward runs in forward mode.
            Use(Production.SingleInputCall);
            if (Allowed(Production.PairedCall) && _pairedCalls.NextDouble() < 0.5)
            {
                // Called twice in one expression: the two saved calls become one call of the pair (session 25). The
                // second argument is a variable, which cannot throw, so the pair may evaluate it where the first call is.
                Use(Production.PairedCall);
                var second = Fragment.Variable(_readable[_pairedCalls.Next(_readable.Count)]);
                static string Twice(string a, string b) => "(" + HornerHelperName + "(" + a + ") - 0.5 * " + HornerHelperName + "(0.25 - " + b + "))";
                src = Twice(src, second.Src);
                shadow = Twice(shadow, second.Shadow);
                reference = Twice(reference, second.Ref);
            }
            else
            {
                src = HornerHelperName + "(" + src + ")";
                shadow = HornerHelperName + "(" + shadow + ")";
                reference = HornerHelperName + "(" + reference + ")";
            }
        }

        (src, shadow, reference) = InArgumentCall(first, src, shadow, reference);

        // A double helper's value can reach 1e4 and more ((v*v)*(v*v) of a Pow(…, 3)); in a float program such a value
        // loses every contribution below its float spacing (batch 20261368: P36's o vanished from a Vector3's
        // LengthSquared of 1e9, P187 took the Cos of 3e4), so finite differences of the float program no longer see
        // the derivative it has. Float programs take the helper's value through Atan, in double, before the cast.
        return _single
            ? new Fragment("(float)Math.Atan(" + src + ")", "(float)Math.Atan(" + reference + ")", "(float)Math.Atan(" + shadow + ")")
            : new Fragment(src, reference, shadow);
    }

    private Fragment Leaf()
    {
        var roll = _random.Next(20);
        if (roll < 2)
        {
            return Fragment.Constant(Literal(Math.Round(_random.NextDouble() * 4 - 2, 2)));
        }

        if (roll < 5 && (_arrayParameter is not null || _localArrays.Count > 0 || _constantArrays.Count > 0))
        {
            var arrays = _localArrays.Concat(_constantArrays).ToList();
            if (_arrayParameter is not null)
            {
                arrays.Add(_arrayParameter);
            }

            var array = Pick(arrays);
            var index = Index();
            return new Fragment($"{array}[{index}]", $"{array}[{index}]", $"{array}_0[{index}]");
        }

        if (roll >= 18 && HasRows)
        {
            return RowsLeaf();
        }

        if (roll < 6 && _ints.Count > 0)
        {
            return Fragment.Inactive($"(({T}){Pick(_ints)})");
        }

        return Fragment.Variable(Pick(_readable));
    }

    private string Literal(double value)
    {
        var text = value.ToString("0.0##", CultureInfo.InvariantCulture);
        return _single ? text + "f" : text;
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private TItem Pick<TItem>(IReadOnlyList<TItem> items) => items[_random.Next(items.Count)];

    /// <summary>Indents the lines written while it is alive.</summary>
    private readonly struct Indent : IDisposable
    {
        private readonly ProgramWriter _writer;

        public Indent(ProgramWriter writer)
        {
            _writer = writer;
            _writer.Indent();
        }

        public void Dispose() => _writer.Outdent();
    }

    /// <summary>The whole batch as one compilation unit: helpers first, then the programs.</summary>
    public static string CompilationUnit(string ns, IEnumerable<RandomProgram> helpers, IEnumerable<RandomProgram> programs)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine("using System.Diagnostics;");
        text.AppendLine("using System.Linq;");
        text.AppendLine("using StaticGrad;");
        text.AppendLine("namespace " + ns + ";");
        text.AppendLine(PairStruct);
        text.AppendLine(DuoStruct);
        text.AppendLine(ModeEnum);
        text.AppendLine(TieReference.Source);
        text.AppendLine(CountedHelpers);
        text.AppendLine("public static partial class Helpers");
        text.AppendLine("{");
        foreach (var h in helpers)
        {
            text.Append(Indented(h.Source));
        }

        text.AppendLine("}");
        text.AppendLine("public static partial class Programs");
        text.AppendLine("{");
        text.AppendLine(SpreadTables);
        foreach (var p in programs)
        {
            text.Append(Indented(p.Source));
        }

        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>The logistic function as users write it (<see cref="Production.LogisticCall"/>), checked like every helper.</summary>
    public static RandomProgram LogisticHelper() => new(
        "Logistic",
        17,
        "\n// domain: z=-3..3\n[Differentiable]\npublic static double Logistic(double z) => 1.0 / (1.0 + Math.Exp(-z));\n",
        IsHelper: true,
        NeedsReference: false,
        Array.Empty<Production>());

    private static string Indented(string source) =>
        string.Concat(source.Split('\n').Select(line => line.TrimEnd('\r').Length == 0 ? "\n" : "    " + line.TrimEnd('\r') + "\n"));
}
