namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// User operators with more than one statement, marked [Differentiable] on a partial struct (data types, session 8):
/// the compiler differentiates each as a method (<c>op_AdditionBackward</c>, …) and a use is a call of those members,
/// one call per floating field of a struct result. Double programs build two <c>Duo</c> values and combine them with
/// <c>a + b</c>, <c>a - b</c> (a one-expression operator, read through), unary <c>-a</c>, <c>s * a</c>, <c>a += b</c>
/// (also iterated in a loop) and <c>a * b</c> returning a double. Every operator is a contraction or bounded, so that a
/// loop cannot overflow.
/// </summary>
public sealed partial class ProgramGenerator
{
    public const string DuoStruct = """
        public partial struct Duo
        {
            public double A;
            public double B;
            public Duo(double a, double b) { A = a; B = b; }

            [Differentiable]
            public static Duo operator +(Duo p, Duo q)
            {
                var a = 0.5 * (p.A + q.A);
                var b = Math.Tanh(p.B + q.B);
                if (a > 0.75)
                {
                    a = 0.75 + 0.5 * Math.Tanh(a - 0.75);
                }

                return new Duo(a, b);
            }

            public static Duo operator -(Duo p, Duo q) => new Duo(0.5 * (p.A - q.A), 0.5 * (p.B - q.B));

            [Differentiable]
            public static Duo operator -(Duo p)
            {
                var s = Math.Sin(p.A);
                var c = p.B * Math.Cos(p.A);
                return new Duo(-c, s);
            }

            [Differentiable]
            public static Duo operator *(double s, Duo p)
            {
                var f = Math.Tanh(s);
                var r = new Duo(f * p.A, p.B);
                r.B *= f;
                return r;
            }

            [Differentiable]
            public static double operator *(Duo p, Duo q)
            {
                var d = p.A * q.A + p.B * q.B;
                for (var i = 0; i < 2; i++)
                {
                    d = d / (1.0 + d * d);
                }

                return d;
            }
        }
        """;

    private bool UserOperatorStatement()
    {
        if (_single)
        {
            return false;
        }

        Use(Production.UserOperator);
        var (o1, o2, o3) = (Fresh("od"), Fresh("od"), Fresh("od"));
        Declare(o1, Fragment.Combine("new Duo({0}, {1})", Expression(1), Expression(1)));
        Declare(o2, Chance(0.5)
            ? Fragment.Combine("new Duo({0}, {1})", Expression(1), Leaf())
            : Fragment.Combine("new Duo {{ A = {0}, B = {1} }}", Leaf(), Expression(1)));
        var (a, b) = (Fragment.Variable(o1), Fragment.Variable(o2));
        var s = Literal(Math.Round(0.3 + _random.NextDouble() * 0.6, 2));
        Declare(o3, _random.Next(5) switch
        {
            0 => Fragment.Combine("{0} + {1}", a, b),
            1 => Fragment.Combine("-{0}", a),
            2 => Fragment.Combine("-({0} + {1})", a, b),
            3 => Fragment.Combine(s + " * ({0} - {1})", a, b),
            _ => Fragment.Combine("{0} * {1}", Expression(1), a),
        });
        var c = Fragment.Variable(o3);
        if (_loopDepth < 2 && Chance(0.35))
        {
            // a += b iterated: the operator's result overwrites its own operand on every iteration.
            var k = Fresh("ko");
            _w.Open($"for (int {k} = 0; {k} < {Bound()}; {k}++)");
            EnterLoop(k);
            Assign(o3, Chance(0.7) ? "+=" : "=", Chance(0.7) ? b : Fragment.Combine("-{0}", c));
            ExitLoop();
            _w.Close();
        }
        else if (Chance(0.4))
        {
            Assign(o3, "+=", Fragment.Combine("new Duo({0}, " + Literal(0.5) + ")", Expression(1)));
        }

        var read = _random.Next(3) switch
        {
            0 => Fragment.Combine("{0} * {1}", c, a),
            1 => Fragment.Combine("({0} * {1}) * {2}.A + {2}.B", b, c, c),
            _ => Fragment.Combine("{0}.A * " + Literal(0.5) + " + (-{0}).B + {1} * {0}", c, a),
        };
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(target), read)));
        return true;
    }
}
