using System.Globalization;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A float program's text in double (<c>float</c> → <c>double</c>, <c>MathF</c> → <c>Math</c>, <c>1.5f</c> → <c>1.5</c>,
/// <c>System.Numerics.Vector3</c> → a double struct with the members the productions use), compiled without the
/// generator: the same function, evaluated where float rounding cannot swamp the finite-difference steps (batches
/// 20261173 P38 and 20261479 P152 of session 7: the float steps crossed a <c>Round</c> step, or 24 summed <c>Sin</c>
/// terms rounded away the step, and the double program's differences gave exactly Backward's value).
/// A float program's wrong-gradient report stands unless central differences of its twin, with the double steps
/// 1e-5 and 1e-6 agreeing, match the float Backward within <see cref="Relative"/>·max(1, |fd|) plus their rounding.
/// </summary>
public sealed class DoubleTwin
{
    /// <summary>
    /// The float Backward against the double twin's differences: ten times tighter than the float check's own 2e-3, as
    /// the artefacts it excuses agree to 3e-7 (P38: −1.1430021 against −1.1430024; P152: 0.62216 against 0.6221623).
    /// </summary>
    public const double Relative = 2e-4;

    private const string VectorName = "DoubleVector3";

    private const string Vector = """
        public struct DoubleVector3
        {
            public double X;
            public double Y;
            public double Z;
            public DoubleVector3(double x, double y, double z) { X = x; Y = y; Z = z; }
            public double LengthSquared() => X * X + Y * Y + Z * Z;
            public static double Dot(DoubleVector3 a, DoubleVector3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
            public static DoubleVector3 Cross(DoubleVector3 a, DoubleVector3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);
            public static DoubleVector3 operator +(DoubleVector3 a, DoubleVector3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
            public static DoubleVector3 operator -(DoubleVector3 a, DoubleVector3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
            public static DoubleVector3 operator *(DoubleVector3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);
            public static DoubleVector3 operator *(double s, DoubleVector3 a) => a * s;
        }
        """;

    private static readonly Regex s_floatLiteral = new(@"(?<![\w.])(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[fF]\b", RegexOptions.CultureInvariant);

    private static readonly Regex s_float = new(@"\bfloat\b", RegexOptions.CultureInvariant);

    private readonly Func<double[][], double> _primal;
    private readonly Func<double[][], double[][], double>? _reference;

    /// <summary>A twin from its delegates (<see cref="Compile"/> makes them from a program; the check's own tests plant them).</summary>
    internal DoubleTwin(Func<double[][], double> primal, Func<double[][], double[][], double>? reference) => (_primal, _reference) = (primal, reference);

    /// <summary>The twin's lockstep reference (detached values frozen at the second argument), when the program has one.</summary>
    public Func<double[][], double[][], double>? Reference => _reference;

    /// <summary>The text of a float program (or helper) in double.</summary>
    public static string ToDouble(string source) =>
        s_float.Replace(s_floatLiteral.Replace(source.Replace("System.Numerics.Vector3", VectorName, StringComparison.Ordinal).Replace("MathF.", "Math.", StringComparison.Ordinal), "$1"), "double");

    /// <summary>The program's twin with the helpers it may call, or null when the twin does not compile (then nothing is excused).</summary>
    public static DoubleTwin? Compile(IEnumerable<RandomProgram> helpers, RandomProgram program)
    {
        var source = ProgramGenerator.CompilationUnit("DoubleTwin", helpers.Select(h => h with { Source = ToDouble(h.Source) }), new[] { program with { Source = ToDouble(program.Source) } }) + Vector + "\n";
        if (ProgramCopy.Load(source, program.Name, "DoubleTwin") is not { } copy)
        {
            return null;
        }

        return new DoubleTwin(
            copy.Adapter.GetMethod("Primal")!.CreateDelegate<Func<double[][], double>>(),
            copy.Adapter.GetMethod("FdReference")?.CreateDelegate<Func<double[][], double[][], double>>());
    }

    /// <summary>
    /// The float <paramref name="method"/>'s Backward at <paramref name="point"/> against central differences of the
    /// twin in double, for every differentiable coordinate: the problems (empty when each matches).
    /// </summary>
    public List<string> Check(LoadedMethod method, double[][] point)
    {
        var parameters = method.Method.Parameters;
        var at = point.Select((v, i) => v.Select(x => parameters[i].IsSinglePrecision ? (double)(float)x : x).ToArray()).ToArray();
        var gradient = new FiniteDifferenceCheck(method).Gradient(FiniteDifferenceCheck.Copy(at));
        var frozen = FiniteDifferenceCheck.Copy(at);
        Func<double[][], double> f = _reference is { } reference ? p => reference(p, frozen) : _primal;
        var problems = new List<string>();
        for (var i = 0; i < at.Length; i++)
        {
            for (var j = 0; j < at[i].Length && parameters[i].IsDifferentiable; j++)
            {
                var (large, roundLarge) = Central(f, at, i, j, 1e-5);
                var (small, roundSmall) = Central(f, at, i, j, 1e-6);
                var tolerance = Relative * Math.Max(1, Math.Abs(small));
                var agree = double.IsFinite(large) && double.IsFinite(small) && Math.Abs(large - small) <= tolerance + roundLarge + roundSmall;
                if (!agree || !(Math.Abs(gradient[i][j] - small) <= tolerance + roundSmall))
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"  in double: ∂/∂{parameters[i].Name}{(parameters[i].IsSequence ? "[" + j + "]" : "")} = {gradient[i][j]:R} but the double program's finite differences give {small:R} (step 1e-6) and {large:R} (step 1e-5)"));
                }
            }
        }

        return problems;
    }

    private static (double Value, double Rounding) Central(Func<double[][], double> f, double[][] point, int i, int j, double step)
    {
        var x = point[i][j];
        var h = step * Math.Max(1, Math.Abs(x));
        point[i][j] = x + h;
        var up = f(point);
        point[i][j] = x - h;
        var down = f(point);
        point[i][j] = x;
        return ((up - down) / (2 * h), 4 * Math.Pow(2, -52) * Math.Max(Math.Abs(up), Math.Abs(down)) / (2 * h));
    }
}
