using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A copy of a program (and of the helpers it calls) whose <c>Math.Sin</c>, <c>Cos</c>, <c>Tan</c> and <c>SinCos</c>
/// (and <c>MathF</c>'s) record the largest argument they are given, compiled without the generator: it tells whether a
/// point makes the program take a periodic function of an argument whose rounding step is at least 1 — past
/// <see cref="DoubleLimit"/> (2^53) in double, <see cref="SingleLimit"/> (2^24) in float. There the function's value is
/// rounding noise (neighbouring representable arguments are a radian or more apart) while the chain rule still gives
/// its derivative, <c>cos(q)·q′</c>, as large as <c>q′</c>: central differences, whose steps move <c>q</c> by many
/// periods, see only the bounded noise and cannot measure it. Batch 20261126's P101 (session 22): <c>v1 += Math.Sin(q33)
/// * 0.5</c> with q33 ≈ 1.6e15, 8.1e58 and 9.8e233 on the last trips; Backward's −4.0974e235 is the chain rule's exact
/// value (a dual-number evaluation of the double program gives −4.09744e235; the same with the derivative of every
/// <c>Sin</c> past 2^53 dropped gives −4.29956e118, central differences' value to six digits). A wrong gradient at such
/// a point is excused and counted ("points excused for a periodic function past its rounding"); the Tangent is still
/// checked against Backward there, so a wrong chain rule is still caught.
/// </summary>
public sealed class UnresolvedPhase
{
    /// <summary>2^53: from here on consecutive doubles are 2 apart, a third of sin's period.</summary>
    public const double DoubleLimit = 9007199254740992.0;

    /// <summary>2^24: the same for floats.</summary>
    public const double SingleLimit = 16777216.0;

    private const string ProbeClass = "PhaseProbe";

    /// <summary>The recorder the copy calls instead of Math's periodic functions; per thread, as batches run in parallel.</summary>
    private const string Probe = """
        public static class PhaseProbe
        {
            [System.ThreadStatic] public static bool Past;
            private static double Seen(double x)
            {
                Past |= System.Math.Abs(x) >= 9007199254740992.0;
                return x;
            }
            private static float Seen(float x)
            {
                Past |= System.MathF.Abs(x) >= 16777216f;
                return x;
            }
            public static double Sin(double x) => System.Math.Sin(Seen(x));
            public static double Cos(double x) => System.Math.Cos(Seen(x));
            public static double Tan(double x) => System.Math.Tan(Seen(x));
            public static (double Sin, double Cos) SinCos(double x) => System.Math.SinCos(Seen(x));
            public static float Sin(float x) => System.MathF.Sin(Seen(x));
            public static float Cos(float x) => System.MathF.Cos(Seen(x));
            public static float Tan(float x) => System.MathF.Tan(Seen(x));
            public static (float Sin, float Cos) SinCos(float x) => System.MathF.SinCos(Seen(x));
        }
        """;

    private static readonly Regex s_periodic = new(@"\bMathF?\.(Sin|Cos|Tan|SinCos)\(", RegexOptions.CultureInvariant);

    private readonly Func<double[][], double> _primal;
    private readonly Func<bool> _past;
    private readonly Action _reset;

    /// <summary>A probe from its delegates (<see cref="Compile"/> makes them from a program; the tests plant them).</summary>
    internal UnresolvedPhase(Func<double[][], double> primal, Func<bool> past, Action reset) => (_primal, _past, _reset) = (primal, past, reset);

    /// <summary>The text with every call of a periodic function of Math or MathF going through the recorder.</summary>
    public static string Probed(string source) => s_periodic.Replace(source, ProbeClass + ".$1(");

    /// <summary>The program's probed copy with the helpers it may call, or null when it does not compile (then nothing is excused).</summary>
    public static UnresolvedPhase? Compile(IEnumerable<RandomProgram> helpers, RandomProgram program)
    {
        var source = ProgramGenerator.CompilationUnit("PhaseProbeCopy", helpers.Select(h => h with { Source = Probed(h.Source) }), new[] { program with { Source = Probed(program.Source) } }) + Probe + "\n";
        if (ProgramCopy.Load(source, program.Name, "PhaseProbe") is not { } copy)
        {
            return null;
        }

        var past = copy.Assembly.GetType("PhaseProbeCopy." + ProbeClass)!.GetField("Past")!;
        return new UnresolvedPhase(
            copy.Adapter.GetMethod("Primal")!.CreateDelegate<Func<double[][], double>>(),
            () => (bool)past.GetValue(null)!,
            () => past.SetValue(null, false));
    }

    /// <summary>Whether the program, run at <paramref name="point"/>, takes a periodic function of an argument past its rounding limit.</summary>
    public bool At(double[][] point)
    {
        _reset();
        try
        {
            _primal(FiniteDifferenceCheck.Copy(point));
        }
        catch (ArithmeticException)
        {
            // A point where the program throws has no gradient to excuse; what it evaluated before still counts.
        }

        return _past();
    }
}
