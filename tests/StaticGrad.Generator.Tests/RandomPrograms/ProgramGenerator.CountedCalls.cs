using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>The counting helpers (<see cref="Production.CountedCall"/>): values pure in their argument, every call counted.</summary>
    public const string CountedHelpers = """
        public static class RpCounted
        {
            public static int Calls;

            public static double Next(int k)
            {
                Calls++;
                return 0.5 + (0.25 * (k % 4));
            }

            public static int Index(int k)
            {
                Calls++;
                return (k * 7) % 3;
            }

            public static void Log(int k)
            {
                Calls++;
                _ = k;
            }
        }
        """;

    /// <summary>
    /// Session 25: inside a for loop, a call of a method that is not [Differentiable] (<see cref="Production.CountedCall"/>):
    /// its double value a factor of an active term (<c>v += (T)RpCounted.Next(i) * e</c>, whose partial for e the
    /// reverse sweep needs), its int value in a local scaling a term, or a void logger in statement position. The
    /// helpers count their calls, and the harness checks that the Backward and the Tangent call them as often as the
    /// method (ProgramCheck). Drawn from a stream of its own (<c>seed ^ 0x2525</c>), so every program without it keeps its text.
    /// </summary>
    private void CountedCall(string i)
    {
        var locals = _assignable.Where(v => !_parameters.Contains(v)).ToList();
        // Programs only: a [Differentiable] helper that calls one is refused in its callers (it would run twice there).
        if (_countedCalls.NextDouble() >= 0.3 || _isHelper || locals.Count == 0 || !Allowed(Production.CountedCall))
        {
            return;
        }

        Use(Production.CountedCall);
        var target = locals[_countedCalls.Next(locals.Count)];
        switch (_countedCalls.Next(3))
        {
            case 0:
                Assign(target, "+=", Fragment.Combine("(" + T + ")RpCounted.Next(" + i + ") * {0}", Expression(1)));
                break;
            case 1:
                var k = Fresh("kc");
                _w.Both($"int {k} = RpCounted.Index({i});");
                Assign(target, "+=", Fragment.Combine("{0} * (" + T + ")(" + k + " + 1) * " + Literal(0.25), Expression(1)));
                break;
            default:
                _w.Both($"RpCounted.Log({i} + {_countedCalls.Next(5).ToString(CultureInfo.InvariantCulture)});");
                break;
        }
    }
}
