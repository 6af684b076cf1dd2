using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The productions for what the body language accepts since the data-types and everyday-C# issues (issue 13):
/// structs (a user struct in double programs, <c>Vector3</c> in float ones), tuples and deconstruction, inlined local
/// functions (expression- and statement-bodied, capturing), patterns (<c>is</c> with relational, <c>and</c>, <c>or</c>,
/// <c>not</c>, switch expressions with <c>when</c>, pattern switch statements), guards (<c>throw</c>, throw
/// expressions, <c>Debug.Assert</c>, <c>ArgumentOutOfRangeException.ThrowIf…</c>) and writes to elements of parameter
/// arrays and spans. Each is recorded in <see cref="RandomProgram.Uses"/> so that a test can count its share.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>A user struct for double programs: constructor, fields, an expression-bodied property and method.</summary>
    public const string PairStruct = """
        public struct Pair
        {
            public double A;
            public double B;
            public Pair(double a, double b) { A = a; B = b; }
            public double Sum => A + B;
            public double Dot(Pair other) => A * other.A + B * other.B;
        }
        """;

    private readonly HashSet<Production> _used = new();

    private void Use(Production production) => _used.Add(production);

    /// <summary>One statement of the newer constructs; false when none applies here (the caller writes another).</summary>
    private bool NewConstruct(int depth)
    {
        switch (_random.Next(18))
        {
            case 0 when Allowed(Production.Struct):
                StructStatement();
                return true;
            case 1 when Allowed(Production.Tuple):
                TupleStatement();
                return true;
            case 2 when Allowed(Production.LocalFunction):
                LocalFunctionStatement();
                return true;
            case 3 when Allowed(Production.PatternSwitch) && depth < 3:
                PatternSwitch(depth);
                return true;
            case 4 when Allowed(Production.Guard):
                Guard();
                return true;
            case 5 when Allowed(Production.ParameterArrayWrite) && _writableArrayParameter:
                ArrayWrite(_arrayParameter!);
                Use(Production.ParameterArrayWrite);
                return true;
            case 6 when Allowed(Production.ParameterWrite):
                var parameter = _assignable.FirstOrDefault(v => v.StartsWith('x') || v == "c");
                if (parameter is null)
                {
                    return false;
                }

                Assign(parameter, "+=", Expression(1).Wrap(Literal(0.25) + " * " + M + ".Sin(", ")"));
                Use(Production.ParameterWrite);
                return true;
            case 7 when Allowed(Production.Range):
                return RangeStatement();
            case 8 when Allowed(Production.RecursiveLocalFunction):
                RecursiveLocalStatement();
                return true;
            case 9 when Allowed(Production.ResultCall):
                ResultCallStatement();
                return true;
            case 10 when Allowed(Production.Spread):
                return SpreadStatement(depth);
            case 11 when Allowed(Production.GridLiteral):
                GridLiteralStatement();
                return true;
            case 12 when Allowed(Production.RaggedLiteral):
                RaggedLiteralStatement();
                return true;
            case 13 when Allowed(Production.SpreadArgument):
                return CollectionArgumentStatement();
            case 14 when Allowed(Production.WithExpression):
                return StructValueStatement();
            case 15 when Allowed(Production.ScratchArray):
                return ScratchArrayStatement();
            case 16 when Allowed(Production.UserOperator):
                return UserOperatorStatement();
            case 17 when Allowed(Production.RaggedRowLoop):
                RaggedRowsStatement();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Inside a loop every assigned value is a contraction, so that iterating it cannot overflow.</summary>
    private Fragment Bounded(Fragment value) => _loopDepth > 0 ? value.Wrap(M + ".Tanh(", ")") : value;

    private string Fresh(string stem) => stem + (_counter++).ToString(CultureInfo.InvariantCulture);

    /// <summary>Declares a local in both copies of the reference: <c>var name = src;</c>, <c>var name_0 = shadow;</c>.</summary>
    private void Declare(string name, Fragment value, string type = "var")
    {
        _w.Src($"{type} {name} = {value.Src};");
        _w.Ref($"{type} {name} = {value.Ref};");
        _w.Ref($"{type} {name}_0 = {value.Shadow};");
    }

    private void StructStatement()
    {
        Use(Production.Struct);
        var target = Pick(_assignable);
        if (_single)
        {
            // System.Numerics works in float: only float programs use it (a double program would lose its precision).
            var q = Fresh("q");
            Declare(q, Fragment.Combine("new System.Numerics.Vector3({0}, {1}, {2})", Expression(1), Expression(1), Leaf()));
            var v = Fragment.Variable(q);
            if (Chance(0.4))
            {
                Assign(q + ".Y", "+=", Expression(1).Wrap("MathF.Tanh(", ")"), q + "_0.Y");
            }

            var read = _random.Next(4) switch
            {
                0 => Fragment.Combine("System.Numerics.Vector3.Dot({0}, {0}) * 0.25f", v),
                1 => Fragment.Combine("MathF.Sqrt(1f + {0}.LengthSquared())", v),
                2 => Fragment.Combine("({0} * 0.5f + new System.Numerics.Vector3(1f, 2f, 3f)).Z", v),
                _ => Fragment.Combine("System.Numerics.Vector3.Cross({0}, new System.Numerics.Vector3(0.5f, -1f, 2f)).X", v),
            };
            Assign(target, "=", Bounded(Fragment.Combine("{0} * 0.5f + {1} * 0.5f", Fragment.Variable(target), read)));
            return;
        }

        var p = Fresh("p");
        Declare(p, Chance(0.5)
            ? Fragment.Combine("new Pair({0}, {1})", Expression(1), Expression(1))
            : Fragment.Combine("new Pair {{ A = {0}, B = {1} }}", Expression(1), Leaf()), "Pair");
        var pair = Fragment.Variable(p);
        if (Chance(0.4))
        {
            Assign(p + ".B", "*=", Expression(1).Wrap(Literal(0.5) + " + " + Literal(0.25) + " * Math.Cos(", ")"), p + "_0.B");
        }

        var value = _random.Next(3) switch
        {
            0 => Fragment.Combine("{0}.A * {1} + {0}.Sum", pair, Expression(1)),
            1 => Fragment.Combine("{0}.Dot(new Pair({1}, 0.5))", pair, Expression(1)),
            _ => Fragment.Combine("Math.Sin({0}.B) * {0}.A", pair),
        };
        Assign(target, "=", Bounded(value));
    }

    private void TupleStatement()
    {
        Use(Production.Tuple);
        var target = Pick(_assignable);
        switch (_random.Next(4))
        {
            case 0:
                {
                    // Deconstruction into new locals.
                    var (a, b) = (Fresh("ta"), Fresh("tb"));
                    var (ea, eb) = (Expression(1), Expression(1));
                    _w.Src($"var ({a}, {b}) = ({ea.Src}, {eb.Src});");
                    _w.Ref($"var ({a}, {b}) = ({ea.Ref}, {eb.Ref});");
                    _w.Ref($"var ({a}_0, {b}_0) = ({ea.Shadow}, {eb.Shadow});");
                    Assign(target, "=", Bounded(Fragment.Combine("{0} * {1} + {0}", Fragment.Variable(a), Fragment.Variable(b))));
                    break;
                }

            case 1 when _assignable.Count > 1:
                {
                    // Deconstruction assignment: both values are read before either variable is written (a rotation).
                    var first = Pick(_assignable);
                    var second = _assignable.First(v => v != first);
                    var (ea, eb) = (Bounded(Expression(1)), Bounded(Fragment.Combine("{0} * " + Literal(0.5), Fragment.Variable(first))));
                    var shadow = "shadow_" + (_shadows++).ToString(CultureInfo.InvariantCulture);
                    _w.Src($"({first}, {second}) = ({ea.Src}, {eb.Src});");
                    _w.Ref($"var {shadow} = ({ea.Shadow}, {eb.Shadow});");
                    _w.Ref($"({first}, {second}) = ({ea.Ref}, {eb.Ref});");
                    _w.Ref($"({first}_0, {second}_0) = {shadow};");
                    break;
                }

            case 2:
                {
                    var (s, c) = (Fresh("sn"), Fresh("cs"));
                    var e = Expression(1);
                    _w.Src($"var ({s}, {c}) = {M}.SinCos({e.Src});");
                    _w.Ref($"var ({s}, {c}) = {M}.SinCos({e.Ref});");
                    _w.Ref($"var ({s}_0, {c}_0) = {M}.SinCos({e.Shadow});");
                    Assign(target, "=", Bounded(Fragment.Combine("{0} * {1} + {1}", Fragment.Variable(s), Fragment.Variable(c))));
                    break;
                }

            default:
                {
                    // A named tuple local, read by name and by ItemN.
                    var t = Fresh("tp");
                    Declare(t, Fragment.Combine("(Left: {0}, Right: {1})", Expression(1), Expression(1)));
                    Assign(target, "=", Bounded(Fragment.Combine("{0}.Left * " + Literal(0.5) + " + {0}.Item2", Fragment.Variable(t))));
                    break;
                }
        }
    }

    private void LocalFunctionStatement()
    {
        Use(Production.LocalFunction);
        var target = Pick(_assignable);
        var f = Fresh("lf");
        var u = Fresh("u");
        if (Chance(0.35))
        {
            // Statement-bodied: called in a statement position, as the language requires; bounded for loops.
            var lines = new[]
            {
                $"{T} {f}({T} {u})",
                "{",
                $"    {T} r = {u} * {Literal(0.5)};",
                $"    if (r > {Literal(0.2)}) r = {M}.Sin(r);",
                $"    return {Literal(0.25)} * {M}.Tanh(r * {u});",
                "}",
            };
            foreach (var line in lines)
            {
                _w.Both(line);
            }

            Assign(target, "+=", Fragment.Combine(f + "({0})", Expression(1)));
            return;
        }

        var body = _random.Next(4) switch
        {
            0 => $"{M}.Sin({u}) * {u}",
            1 => $"{u} / ({Literal(1)} + {u} * {u})",
            2 => $"{M}.Tanh({u}) * {Literal(0.5)} + {u} * {Literal(0.25)}",
            _ => $"{M}.Exp(-{u} * {u})",
        };
        if (Chance(0.4))
        {
            // Capturing: the reference needs a second function over the shadow copy.
            var captured = Fragment.Variable(Pick(_readable));
            _w.Src($"{T} {f}({T} {u}) => {body} * {captured.Src};");
            _w.Ref($"{T} {f}({T} {u}) => {body} * {captured.Ref};");
            _w.Ref($"{T} {f}_0({T} {u}) => {body} * {captured.Shadow};");
            var arg = Expression(1);
            Assign(target, "=", Bounded(new Fragment($"{f}({arg.Src}) + {target}", $"{f}({arg.Ref}) + {target}", $"{f}_0({arg.Shadow}) + {target}_0")));
            return;
        }

        _w.Both($"static {T} {f}({T} {u}) => {body};");
        Assign(target, "=", Bounded(Fragment.Combine(f + "({0}) + " + f + "({1})", Expression(1), Fragment.Variable(target))));
    }

    /// <summary>A switch statement on a floating value with relational, logical and <c>when</c> labels.</summary>
    private void PatternSwitch(int depth)
    {
        Use(Production.PatternSwitch);
        var e = Expression(1);
        var high = Literal(Math.Round(0.2 + _random.NextDouble() * 0.8, 2));
        var low = Math.Round(-0.2 - _random.NextDouble() * 0.8, 2);
        _w.Open($"switch ({e.Src})", $"switch ({e.Ref})");
        _breakTargets.Add(false);
        var labels = new List<string> { $"case > {high}:", $"case < {Literal(low)} and > {Literal(low - 1)}:" };
        if (_ints.Count > 0)
        {
            labels.Add($"case < {Literal(0)} when {Pick(_ints)} > 1:");
        }

        labels.Add("default:");
        foreach (var label in labels)
        {
            _w.Both(label);
            using (new Indent(_w))
            {
                Block(depth + 1);
                _w.Both("break;");
            }
        }

        _breakTargets.RemoveAt(_breakTargets.Count - 1);
        _w.Close();
    }

    /// <summary>A switch expression on a floating value: relational, <c>and</c>, a <c>var</c> pattern with <c>when</c>, discard.</summary>
    private Fragment SwitchExpression(Fragment scrutinee, int depth)
    {
        Use(Production.SwitchExpression);
        var z = Fresh("z");
        var high = Literal(Math.Round(0.2 + _random.NextDouble() * 0.8, 2));
        var low = Math.Round(-0.2 - _random.NextDouble() * 0.8, 2);
        var arms = new[] { Expression(depth - 1), Expression(depth - 1), Expression(depth - 1), Expression(depth - 1) };
        string Text(string s, Func<Fragment, string> spelling) =>
            $"({s} switch {{ > {high} => {spelling(arms[0])}, < {Literal(low)} and > {Literal(low - 1)} => {spelling(arms[1])}, var {z} when {z} > {Literal(0)} => {spelling(arms[2])}, _ => {spelling(arms[3])} }})";

        // The shadow takes the branch the normal copy takes (the decision at the perturbed point), with shadow values.
        return new Fragment(Text(scrutinee.Src, a => a.Src), Text(scrutinee.Ref, a => a.Ref), Text(scrutinee.Ref, a => a.Shadow));
    }

    /// <summary>An <c>is</c> pattern as a condition: relational with <c>and</c>/<c>or</c>/<c>not</c>, on a value or an int.</summary>
    private (string Src, string Ref) IsPattern()
    {
        Use(Production.IsPattern);
        if (_ints.Count > 0 && Chance(0.3))
        {
            var text = $"{Pick(_ints)} is 1 or > 2";
            return (text, text);
        }

        var a = Expression(1);
        // c1 < c2, so that no pattern is empty or total (the compiler rejects both).
        var (c1, c2) = (Math.Round(_random.NextDouble() * 1.2 - 1.5, 2), Math.Round(_random.NextDouble() + 0.1, 2));
        var pattern = _random.Next(3) switch
        {
            0 => $"> {Literal(c1)} and < {Literal(c2)}",
            1 => $"not (< {Literal(c1)} or > {Literal(c2)})",
            _ => $"< {Literal(c1)} or > {Literal(c2)}",
        };
        return ($"{a.Src} is {pattern}", $"{a.Ref} is {pattern}");
    }

    /// <summary>Guard code that never fires on the generated domains: checks, assertions, a throw statement.</summary>
    private void Guard()
    {
        Use(Production.Guard);
        var checks = new List<string>();
        if (_ints.Count > 0)
        {
            var i = Pick(_ints);
            checks.Add($"ArgumentOutOfRangeException.ThrowIfNegative({i});");
            checks.Add($"ArgumentOutOfRangeException.ThrowIfGreaterThan({i}, 100);");
            checks.Add($"Debug.Assert({i} >= 0, $\"{i} was {{{i}}}\");");
        }

        if (_arrayParameter is not null)
        {
            checks.Add($"ArgumentOutOfRangeException.ThrowIfLessThan({_arrayParameter}.Length, 3);");
            checks.Add($"Debug.Assert({_arrayParameter}.Length > 2);");
        }

        if (Chance(0.25))
        {
            // A throw expression is accepted as the whole value of an assignment (not nested in another expression).
            var target = Pick(_assignable);
            Assign(target, "=", ThrowExpression(Bounded(Fragment.Combine("{0} * " + Literal(0.5) + " + {1}", Fragment.Variable(target), Expression(1)))));
            return;
        }

        var v = Pick(_readable);
        checks.Add($"if (double.IsNaN({v})) throw new ArgumentException(\"not a number\", nameof({v}));");
        checks.Add($"if ({M}.Abs({v}) > {Literal(1e30)}) throw new InvalidOperationException($\"{{{v}}} diverged\");");
        _w.Both(Pick(checks));
    }

    /// <summary>A throw expression that never fires (values stay far below 1e30): <c>v &lt; 1e30 ? v : throw …</c>.</summary>
    private Fragment ThrowExpression(Fragment value)
    {
        var bound = Literal(1e30);
        return new Fragment(
            $"{value.Src} < {bound} ? {value.Src} : throw new InvalidOperationException(\"diverged\")",
            $"{value.Ref} < {bound} ? {value.Ref} : throw new InvalidOperationException(\"diverged\")",
            value.Shadow);
    }
}
