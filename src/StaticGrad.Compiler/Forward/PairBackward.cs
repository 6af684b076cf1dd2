using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// <c>{Name}BackwardPair</c>: two calls of a one-input method's backward with seed 1, for a caller that saves the
/// partials of two calls of the method in one statement (Black–Scholes' <c>Φ(d1)</c> and <c>Φ(d2)</c>,
/// <see cref="ReverseModeTransformer"/>'s saved calls). Where the backward is the forward-mode unit pass
/// (<see cref="TangentBackward"/>) and its body is straight arithmetic and branches, the pair runs that pass once over
/// the two lanes of a <c>Vector128</c>: every operation is the scalar pass's, in its order, on each lane (IEEE addition,
/// subtraction, multiplication, division, square root and absolute value are exact per lane; other <c>Math</c> functions
/// are called per lane), so the values and partials are the two calls' bit for bit, for half the arithmetic
/// instructions (session 25: the option's gradient 1.33 → 1.07 of the hand-written one in the delegate harness).
/// The two calls run instead where a branch's condition differs between the lanes, where a partial would take the
/// backward's seeded pass, and on hardware without vectors. Otherwise the pair is the two calls, inlined.
/// </summary>
/// <remarks>
/// The callee is pure (its body is only arithmetic on its own locals), so running the second call where the first
/// was, before whatever the caller's statement evaluates between them, changes nothing the caller can observe.
/// </remarks>
internal static class PairBackward
{
    public const string Suffix = "BackwardPair";

    private const string Vector = "global::System.Runtime.Intrinsics.Vector128";

    public static void Write(IndentedWriter w, DifferentiableMethodSpec spec, BackwardVariant variant)
    {
        var method = variant.Method;
        var parameter = method.Parameters.Single();
        var type = parameter.Type;
        var keyword = type.ScalarKeyword;
        var reverse = new ReverseModeTransformer(variant.Normalized, variant.Activity, variant.Recording, variant.Normalized.Result);
        var adjoint = reverse.SignatureAdjoint(parameter.Name);
        var pass = TangentBackward.Applies(variant) ? TangentBackward.UnitPassOf(variant, reverse) : null;
        var names = NameScope.Of(pass?.Tangent ?? method);
        names.Reserve(adjoint);
        names.Reserve(reverse.Seed);
        var second = names.Fresh(NameScope.Unescaped(parameter.Name) + "2");
        var secondAdjoint = names.Fresh(NameScope.Unescaped(adjoint) + "2");
        var secondValue = names.Fresh("value2");
        var backward = spec.Member(method.Name + "Backward");
        var one = type.Scalar == ScalarKind.Float ? "1f" : "1.0";
        string Call(string x, string dx) => backward + "(" + x + ", ref " + dx + ", " + one + ")";

        var lanes = pass is null ? null : Lanes.TryPrint(pass, parameter, second, w.Level + 1, names, Call(parameter.Name, adjoint), Call(second, secondAdjoint), adjoint, secondAdjoint, secondValue);
        w.WriteLine("/// <summary>");
        w.WriteLine("/// The two calls <c>" + method.Name + "Backward(" + parameter.Name + ", ref " + adjoint + ", " + one + ")</c> and <c>" + method.Name + "Backward(" + second + ", ref " + secondAdjoint + ", " + one + ")</c>:");
        w.WriteLine("/// returns the first value and sets " + secondValue + " to the second. For generated callers that save the partials of two calls in one statement" + (lanes is null ? "." : ";"));
        if (lanes is not null)
        {
            w.WriteLine("/// both run in one pass over two vector lanes, the same operations in the same order on each (values and partials");
            w.WriteLine("/// bit for bit the calls'); lanes that branch apart, a partial that needs the backward's seeded pass, or no vector");
            w.WriteLine("/// hardware run the calls.");
        }

        w.WriteLine("/// </summary>");
        w.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"StaticGrad.Generator\", \"" + typeof(PairBackward).Assembly.GetName().Version!.ToString(3) + "\")]");
        if (lanes is null)
        {
            w.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        }

        w.WriteLine("internal static " + keyword + " " + method.Name + Suffix + "(" + keyword + " " + parameter.Name + ", " + keyword + " " + second + ", ref " + keyword + " " + adjoint + ", ref " + keyword + " " + secondAdjoint + ", out " + keyword + " " + secondValue + ")");
        w.OpenBrace();
        var first = names.Fresh("_first");
        if (lanes is null)
        {
            w.WriteLine(keyword + " " + first + " = " + Call(parameter.Name, adjoint) + ";");
        }
        else
        {
            // Declared ahead: a label cannot stand before a declaration.
            w.WriteLine(keyword + " " + first + ";");
            ReverseValueCache.AppendIndented(w, lanes.Text);
            if (lanes.Jumps)
            {
                w.WriteLine(lanes.Label + ":");
            }

            w.WriteLine(first + " = " + Call(parameter.Name, adjoint) + ";");
        }

        w.WriteLine(secondValue + " = " + Call(second, secondAdjoint) + ";");
        w.WriteLine("return " + first + ";");
        w.CloseBrace();
    }

    /// <summary>The vector pass of a unit pass, or null where its body is not straight arithmetic and branches.</summary>
    private sealed class Lanes
    {
        private readonly IndentedWriter _w = new();
        private readonly NameScope _names;
        private readonly IrType _type;
        private readonly string _keyword;
        private readonly string _second;
        private readonly Dictionary<string, string> _renamed = new(System.StringComparer.Ordinal);
        private readonly HashSet<string> _vectors = new(System.StringComparer.Ordinal);
        private readonly List<string> _hoisted = new();

        /// <summary>Per-lane calls already in a local visible here, by the call's vector text.</summary>
        private Dictionary<string, string> _calls = new(System.StringComparer.Ordinal);

        private Lanes(NameScope names, IrType type, string second, int level)
        {
            _names = names;
            _second = second;
            _w.Indent(level);
            _type = type;
            _keyword = type.ScalarKeyword;
            Label = names.Fresh("_calls");
        }

        /// <summary>The label of the two calls, jumped to from a branch the lanes take apart.</summary>
        public string Label { get; }

        /// <summary>Whether the pass jumps to <see cref="Label"/>.</summary>
        public bool Jumps { get; private set; }

        private string VectorType => Vector + "<" + _keyword + ">";

        /// <summary>Both lanes of a vector from two scalars (a float vector's two upper lanes are zero).</summary>
        private string Create(string lane0, string lane1) =>
            Vector + ".Create(" + lane0 + ", " + lane1 + (_type.Scalar == ScalarKind.Float ? ", 0f, 0f" : string.Empty) + ")";

        private static string Lane(string vector, int lane) => Vector + ".GetElement(" + vector + ", " + lane.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";

        /// <summary>The pass, indented for the pair's body.</summary>
        public string Text => _w.ToString();

        public static Lanes? TryPrint(UnitPass pass, ParamIR parameter, string second, int level, NameScope names, string firstCall, string secondCall, string adjoint, string secondAdjoint, string secondValue)
        {
            var type = parameter.Type;
            if (type.Shape != ShapeKind.Scalar || pass.Tangent.Parameters.Count != 2 || pass.Tangent.Locals.Any(l => l.Type != type)
                || pass.Body.Count == 0 || pass.Body[pass.Body.Count - 1] is not ReturnPairStmt result)
            {
                return null;
            }

            var lanes = new Lanes(names, type, second, level);
            try
            {
                lanes.WritePass(pass, parameter, names, pass.Body.Take(pass.Body.Count - 1), result, firstCall, secondCall, adjoint, secondAdjoint, secondValue);
            }
            catch (NotVectorisable)
            {
                return null;
            }

            return lanes;
        }

        private void WritePass(UnitPass pass, ParamIR parameter, NameScope names, IEnumerable<Stmt> body, ReturnPairStmt result, string firstCall, string secondCall, string adjoint, string secondAdjoint, string secondValue)
        {
            var w = _w;
            w.WriteLine("if (" + Vector + ".IsHardwareAccelerated)");
            w.OpenBrace();
            var input = names.Fresh("_lanes");
            _renamed[parameter.Name] = input;
            _vectors.Add(parameter.Name);
            w.WriteLine(VectorType + " " + input + " = " + Create(parameter.Name, _second) + ";");
            if (!pass.InputFolded)
            {
                // The input's tangent: 1 (the unit, or the seed the scale stands for, which is 1 here).
                _vectors.Add(pass.Input);
                w.WriteLine(VectorType + " " + pass.Input + " = " + Broadcast(_type.Scalar == ScalarKind.Float ? "1f" : "1.0") + ";");
            }

            foreach (var local in pass.Tangent.Locals)
            {
                _vectors.Add(local.Name);
                w.WriteLine(VectorType + " " + local.Name + " = " + VectorType + ".Zero;");
            }

            w.WriteLine();
            Block(body, w);
            var value = names.Fresh("_value");
            var tangent = names.Fresh("_tangent");
            var partial = names.Fresh("_partial");
            var valueText = V(result.Value);
            var tangentText = V(result.Tangent);
            FlushHoisted(w);
            w.WriteLine(VectorType + " " + value + " = " + valueText + ";");
            w.WriteLine(VectorType + " " + tangent + " = " + tangentText + ";");

            // Each lane as the backward's return: scale · tangent added while finite and the scale normal, else the
            // backward itself (its seeded pass).
            var unitScale = pass.Unit == pass.Input;
            for (var lane = 0; lane < 2; lane++)
            {
                var scale = unitScale ? null : Lane(pass.Unit, lane);
                w.WriteLine((lane == 0 ? _keyword + " " : string.Empty) + partial + " = " + (scale is null ? string.Empty : scale + " * ") + Lane(tangent, lane) + ";");
                w.WriteLine("if (" + _keyword + ".IsFinite(" + partial + ")" + (scale is null ? string.Empty : " && " + _keyword + ".IsNormal(" + scale + ")") + ")");
                w.OpenBrace();
                w.WriteLine((lane == 0 ? adjoint : secondAdjoint) + " += " + partial + ";");
                w.CloseBrace();
                w.WriteLine("else");
                w.OpenBrace();
                w.WriteLine((lane == 0 ? firstCall : secondCall) + ";");
                w.CloseBrace();
            }

            w.WriteLine(secondValue + " = " + Lane(value, 1) + ";");
            w.WriteLine("return " + Lane(value, 0) + ";");
            w.CloseBrace();
        }

        private void Block(IEnumerable<Stmt> block, IndentedWriter w)
        {
            foreach (var statement in block)
            {
                switch (statement)
                {
                    case AssignStmt a when a.Type == _type && _vectors.Contains(a.Target):
                        {
                            var value = V(a.Value);
                            FlushHoisted(w);
                            w.WriteLine(Name(a.Target) + " = " + value + ";");
                            Invalidate(new[] { a.Target });
                            break;
                        }

                    case IfStmt branch:
                        {
                            var mask = M(branch.Condition);
                            FlushHoisted(w);
                            var bits = _names.Fresh("_taken");
                            w.WriteLine("uint " + bits + " = " + Vector + ".ExtractMostSignificantBits(" + mask + ")" + (_type.Scalar == ScalarKind.Float ? " & 3u" : string.Empty) + ";");
                            // A local declared in a branch is not visible after it; what a branch assigns is stale after it.
                            var outside = new Dictionary<string, string>(_calls, System.StringComparer.Ordinal);
                            w.WriteLine("if (" + bits + " == 3u)");
                            w.OpenBrace();
                            Block(branch.Then, w);
                            w.CloseBrace();
                            _calls = new Dictionary<string, string>(outside, System.StringComparer.Ordinal);
                            w.WriteLine("else if (" + bits + " != 0u)");
                            w.OpenBrace();
                            w.WriteLine("goto " + Label + ";");
                            w.CloseBrace();
                            Jumps = true;
                            if (branch.Else.Count > 0)
                            {
                                w.WriteLine("else");
                                w.OpenBrace();
                                Block(branch.Else, w);
                                w.CloseBrace();
                            }

                            _calls = outside;
                            Invalidate(IrWalker.Statements(branch.Then).Concat(IrWalker.Statements(branch.Else)).OfType<AssignStmt>().Select(a => a.Target));
                            break;
                        }

                    default:
                        throw new NotVectorisable();
                }
            }
        }

        private string Name(string variable) => _renamed.TryGetValue(variable, out var renamed) ? renamed : variable;

        /// <summary>
        /// A scalar in both lanes. A literal of the type as it is; anything else (an integer literal such as the 2 of
        /// <c>x * 2</c>, a constant's name) converted first, or <c>Create</c> would build a vector of its own type.
        /// </summary>
        private string Broadcast(string scalar) =>
            Vector + ".Create(" + (s_floatingLiteral[_type.Scalar == ScalarKind.Float ? 1 : 0].IsMatch(scalar) ? scalar : "(" + _keyword + ")(" + scalar + ")") + ")";

        private static readonly System.Text.RegularExpressions.Regex[] s_floatingLiteral =
        {
            new(@"^-?([0-9]+\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)[dD]?$"),
            new(@"^-?([0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)[fF]$"),
        };

        private void FlushHoisted(IndentedWriter w)
        {
            foreach (var line in _hoisted)
            {
                w.WriteLine(line);
            }

            _hoisted.Clear();
        }

        /// <summary>A floating expression of the method's type over both lanes.</summary>
        private string V(Expr expression)
        {
            if (expression.Type != _type && expression is not DetachExpr)
            {
                throw new NotVectorisable();
            }

            switch (expression)
            {
                case ConstExpr c:
                    return Broadcast(c.Text);
                case VarExpr v when _vectors.Contains(v.Name):
                    return Name(v.Name);
                case DetachExpr d:
                    return V(d.Operand);
                case UnaryExpr { Op: UnaryOp.Negate } u:
                    return "-" + Wrapped(V(u.Operand));
                case UnaryExpr { Op: UnaryOp.Plus } u:
                    return V(u.Operand);
                case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } b:
                    return "(" + V(b.Left) + " " + ExpressionPrinter.Symbol(b.Op) + " " + V(b.Right) + ")";
                case ConditionalExpr c:
                    return Vector + ".ConditionalSelect(" + M(c.Condition) + ", " + V(c.WhenTrue) + ", " + V(c.WhenFalse) + ")";
                case BuiltinCallExpr { Function: "Abs" or "Sqrt", Args.Count: 1 } call:
                    return Vector + "." + call.Function + "(" + V(call.Args[0]) + ")";
                case BuiltinCallExpr { Function: not ("Clamp" or "ClampNative") } call when call.Args.All(a => a.Type == _type):
                    {
                        // Other functions per lane, as the scalar pass calls them, into a local before the statement;
                        // a call repeated with the same arguments reads that local (the scalar pass's exp(−z²/2), three
                        // times in the quotient's tangent, is one call per lane there too: the JIT evaluates the
                        // repeated pure intrinsic once).
                        var texts = call.Args.Select(V).ToList();
                        var key = call.Container + "." + call.Function + "(" + string.Join(", ", texts) + ")";
                        if (_calls.TryGetValue(key, out var known))
                        {
                            return known;
                        }

                        var arguments = new List<string>();
                        foreach (var text in texts)
                        {
                            if (IsName(text))
                            {
                                arguments.Add(text);
                                continue;
                            }

                            var local = _names.Fresh("_argument");
                            _hoisted.Add(VectorType + " " + local + " = " + text + ";");
                            arguments.Add(local);
                        }

                        string OnLane(int lane) => ExpressionPrinter.Print(call with { Args = arguments.Select(a => (Expr)new VarExpr(_type, Lane(a, lane))).ToEquatableArray() });
                        var result = _names.Fresh("_" + call.Function.ToLowerInvariant());
                        _hoisted.Add(VectorType + " " + result + " = " + Create(OnLane(0), OnLane(1)) + ";");
                        _calls[key] = result;
                        return result;
                    }

                default:
                    throw new NotVectorisable();
            }
        }

        /// <summary>A condition over both lanes: a mask whose lanes are all ones where it holds.</summary>
        private string M(Expr condition)
        {
            switch (condition)
            {
                case BinaryExpr { Op: BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.Equal or BinaryOp.NotEqual } b
                    when b.Left.Type == _type && b.Right.Type == _type:
                    {
                        var left = V(b.Left);
                        var right = V(b.Right);
                        return b.Op switch
                        {
                            BinaryOp.Less => Vector + ".LessThan(" + left + ", " + right + ")",
                            BinaryOp.LessOrEqual => Vector + ".LessThanOrEqual(" + left + ", " + right + ")",
                            BinaryOp.Greater => Vector + ".GreaterThan(" + left + ", " + right + ")",
                            BinaryOp.GreaterOrEqual => Vector + ".GreaterThanOrEqual(" + left + ", " + right + ")",
                            BinaryOp.Equal => Vector + ".Equals(" + left + ", " + right + ")",
                            _ => "~" + Vector + ".Equals(" + left + ", " + right + ")",
                        };
                    }

                case BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.And } b when b.Type.Scalar == ScalarKind.Bool:
                    return "(" + M(b.Left) + " & " + M(b.Right) + ")";
                case BinaryExpr { Op: BinaryOp.ConditionalOr or BinaryOp.Or } b when b.Type.Scalar == ScalarKind.Bool:
                    return "(" + M(b.Left) + " | " + M(b.Right) + ")";
                case UnaryExpr { Op: UnaryOp.Not } u:
                    return "~" + Wrapped(M(u.Operand));
                default:
                    throw new NotVectorisable();
            }
        }

        /// <summary>An operand of a unary operator: a name as it is, anything else in parentheses.</summary>
        private static string Wrapped(string text) => IsName(text) ? text : "(" + text + ")";

        private static bool IsName(string text) => text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '@');

        /// <summary>Forgets the per-lane calls that read a variable assigned since.</summary>
        private void Invalidate(IEnumerable<string> assigned)
        {
            foreach (var variable in assigned)
            {
                var pattern = new System.Text.RegularExpressions.Regex(@"(?<![\w@])" + System.Text.RegularExpressions.Regex.Escape(Name(variable)) + @"(?![\w])");
                foreach (var key in _calls.Keys.Where(k => pattern.IsMatch(k)).ToList())
                {
                    _calls.Remove(key);
                }
            }
        }

        /// <summary>A construct the vector pass does not print: the pair is then the two calls.</summary>
        private sealed class NotVectorisable : System.Exception
        {
        }
    }
}
