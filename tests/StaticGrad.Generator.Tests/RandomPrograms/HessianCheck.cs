using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The second-order checks of one random program with <c>Hessian = true</c>, against its own generated Backward:
/// along <see cref="Directions"/> random directions v, H·v from <c>{Name}HessianVector</c> against central differences
/// of the gradient, (∇f(p + h·v) − ∇f(p − h·v)) / 2h, and the value it returns against ⟨∇f, v⟩; for programs with at
/// most <see cref="MaxDense"/> differentiable coordinates, the dense <c>{Name}Hessian</c> column by column (the same
/// differences along unit vectors) and its symmetry.
/// <para>
/// Each difference is taken with two steps and compared only where they agree, as <see cref="TwoStepCheck"/> does for
/// gradients: the gradient jumps where the program has a kink (a comparison, Min/Max, Abs, a branch), and a jump
/// within the steps makes them disagree; that comparison is skipped and counted. Where they agree but the product
/// does not, steps shrunk three times (<see cref="TwoStepCheck.RefinedCentralMatch"/>) may still settle it, and a
/// gradient jumping on both sides of the point itself (<see cref="TwoStepCheck.JumpsAtPoint"/>) is skipped too.
/// Tolerances (those of <see cref="Forward.HessianFiniteDifferences"/>): double steps 1e-5 and 1e-6 (× max(1, |p|) along
/// v), |a − b| ≤ 1e-6·max(1, |b|) plus the quotients' rounding bounds; float steps 1e-2 and 3e-3, 3e-2·max(1, |b|).
/// The returned ⟨∇f, v⟩ is the gradient's sum in another order: 1e-10 (float 1e-4) times (1 + Σ|terms|); the dense
/// Hessian is symmetric within the finite-difference tolerance (1e-6, float 3e-2, times max(1, |H[i, j]|)).
/// </para>
/// <para>
/// A program with Detach or NoGrad (<see cref="RandomProgram.NeedsReference"/>) differentiates its detached values as
/// constants at the point: the second derivative of that is not the difference of gradients taken at other points
/// (<c>x * Detach(x)</c> has gradient x, whose difference is 1, and Hessian 0, as in JAX). Such a program's H·v is
/// checked against second differences of its lockstep reference instead, whose detached values stay at the point:
/// (R(p + h·v + h·eⱼ) − R(p + h·v − h·eⱼ) − R(p − h·v + h·eⱼ) + R(p − h·v − h·eⱼ)) / 4h², steps 1e-3 and 3e-4,
/// 1e-4·max(1, |b|) plus rounding 4ε·max|R| / h²; and its dense Hessian against its H·v along unit vectors. A float
/// program's second differences have no digits left, so its H·v is checked against those of its reference's double
/// twin (<see cref="DoubleTwin"/>) at the point rounded to float, within <see cref="FloatAgainstTwin"/> (2e-3·max(1,
/// |b|), the float gradient check's own tolerance) plus the differences' rounding.
/// </para>
/// </summary>
public sealed class HessianCheck
{
    public const int Directions = 3;
    public const int MaxDense = 8;

    private static readonly FiniteDifferenceCheck.Tolerances DoubleTolerance = new(1e-5, 1e-6, Math.Pow(2, -52), 0, 0);
    private static readonly FiniteDifferenceCheck.Tolerances SingleTolerance = new(1e-2, 3e-2, Math.Pow(2, -23), 0, 0);
    private static readonly FiniteDifferenceCheck.Tolerances SecondDifferenceTolerance = new(1e-3, 1e-4, Math.Pow(2, -52), 0, 0);
    private static readonly FiniteDifferenceCheck.Tolerances FloatAgainstTwin = new(1e-3, 2e-3, Math.Pow(2, -52), 0, 0);

    /// <summary>Entries of H·v and of dense columns compared with finite differences.</summary>
    public int Compared { get; private set; }

    /// <summary>Entries skipped: the two steps disagree (a kink within them) or the gradient jumps at the point.</summary>
    public int Skipped { get; private set; }

    /// <summary>Dense Hessians checked (programs with at most <see cref="MaxDense"/> differentiable coordinates).</summary>
    public int DenseChecked { get; private set; }

    /// <summary>Programs with Detach or NoGrad, checked against second differences of their reference.</summary>
    public int ThroughReference { get; private set; }

    /// <summary>Float programs with Detach or NoGrad, whose H·v is checked against second differences of their reference's double twin.</summary>
    public int FloatThroughTwin { get; private set; }

    /// <summary>Float programs with Detach or NoGrad whose twin did not compile: checked only for ⟨∇f, v⟩ and the dense Hessian against H·v.</summary>
    public int FloatWithoutTwin { get; private set; }

    /// <summary>The problems found in one program (empty when right).</summary>
    public List<string> Run(LoadedMethod loaded, HessianRunner runner, bool needsReference, int seed, Func<DoubleTwin?>? twin = null)
    {
        var problems = new List<string>();
        var m = loaded.Method;
        var single = m.ReturnsFloat || m.Parameters.Any(p => p.IsSinglePrecision);
        var tolerance = single ? SingleTolerance : DoubleTolerance;
        var (large, small) = single ? (1e-2, 3e-3) : (1e-5, 1e-6);
        var random = new Random(seed ^ 0x5EC0);
        var point = FiniteDifferenceCheck.DrawPoint(m, random);
        for (var attempt = 0; attempt < 5 && !double.IsFinite(loaded.Primal(FiniteDifferenceCheck.Copy(point))); attempt++)
        {
            point = FiniteDifferenceCheck.DrawPoint(m, random);
        }

        // The float method sees its float parameters rounded; its double twin is evaluated at the same values.
        point = point.Select((values, i) => values.Select(x => Round(x, m.Parameters[i].IsSinglePrecision)).ToArray()).ToArray();

        var coordinates = m.Parameters.SelectMany((p, i) => p.IsDifferentiable ? Enumerable.Range(0, point[i].Length).Select(j => (i, j)) : Enumerable.Empty<(int i, int j)>()).ToList();
        if (coordinates.Count == 0)
        {
            return problems;
        }

        var gradient = Gradient(loaded, point, 0, null);
        var reference = !needsReference ? null : !single ? loaded.FdReference : twin?.Invoke()?.Reference;
        ThroughReference += needsReference && !single ? 1 : 0;
        FloatThroughTwin += needsReference && single && reference is not null ? 1 : 0;
        FloatWithoutTwin += needsReference && single && reference is null ? 1 : 0;
        for (var trial = 0; trial < Directions; trial++)
        {
            var v = point.Select((values, i) => values.Select(_ => m.Parameters[i].IsDifferentiable ? Round(random.NextDouble() * 2 - 1, m.Parameters[i].IsSinglePrecision) : 0.0).ToArray()).ToArray();
            var hv = point.Select(values => new double[values.Length]).ToArray();
            var returned = runner.Vector(FiniteDifferenceCheck.Copy(point), v, hv);
            var terms = coordinates.Select(c => gradient[c.i][c.j] * v[c.i][c.j]).ToList();
            var exact = single ? 1e-4 : 1e-10;
            if (!(Math.Abs(returned - terms.Sum()) <= exact * (1 + terms.Sum(Math.Abs))))
            {
                problems.Add(Text($"HessianVector returned {returned:R} but ⟨∇f, v⟩ = {terms.Sum():R} along {FiniteDifferenceCheck.Format(v)} at {FiniteDifferenceCheck.Format(point)}"));
            }

            var name = "(H·v) along " + FiniteDifferenceCheck.Format(v);
            if (!needsReference)
            {
                CompareWithGradients(loaded, point, v, coordinates, c => hv[c.i][c.j], name, tolerance, large, small, problems);
            }
            else if (reference is not null)
            {
                CompareWithReference(m, reference, point, v, coordinates, c => hv[c.i][c.j], name, single ? FloatAgainstTwin : SecondDifferenceTolerance, problems);
            }
        }

        if (coordinates.Count <= MaxDense)
        {
            CheckDense(loaded, runner, point, coordinates, needsReference, tolerance, large, small, problems);
        }

        return problems;
    }

    private void CheckDense(LoadedMethod loaded, HessianRunner runner, double[][] point, List<(int i, int j)> coordinates, bool needsReference, FiniteDifferenceCheck.Tolerances tolerance, double large, double small, List<string> problems)
    {
        DenseChecked++;
        var n = coordinates.Count;
        var h = Enumerable.Repeat(double.NaN, n * n).ToArray();
        runner.Dense(FiniteDifferenceCheck.Copy(point), h);
        var exact = tolerance == SingleTolerance ? 1e-4 : 1e-10;
        for (var column = 0; column < n; column++)
        {
            var unit = point.Select(values => new double[values.Length]).ToArray();
            unit[coordinates[column].i][coordinates[column].j] = 1;
            var name = "H[·, " + column.ToString(CultureInfo.InvariantCulture) + "] (dense)";
            var entries = coordinates.Select((c, row) => (c, row)).ToDictionary(x => x.c, x => h[x.row * n + column]);
            if (!needsReference)
            {
                CompareWithGradients(loaded, point, unit, coordinates, c => entries[c], name, tolerance, large, small, problems);
                for (var row = 0; row < column; row++)
                {
                    var (a, b) = (h[row * n + column], h[column * n + row]);
                    if (!(Math.Abs(a - b) <= tolerance.Relative * Math.Max(1, Math.Abs(a))))
                    {
                        problems.Add(Text($"The dense Hessian is not symmetric: H[{row}, {column}] = {a:R} but H[{column}, {row}] = {b:R} at {FiniteDifferenceCheck.Format(point)}"));
                    }
                }

                continue;
            }

            // With Detach the Hessian need not be symmetric; its columns are its products with unit vectors.
            var hv = point.Select(values => new double[values.Length]).ToArray();
            runner.Vector(FiniteDifferenceCheck.Copy(point), unit, hv);
            foreach (var (c, row) in coordinates.Select((c, row) => (c, row)))
            {
                if (!(Math.Abs(hv[c.i][c.j] - entries[c]) <= exact * (1 + Math.Abs(hv[c.i][c.j]))))
                {
                    problems.Add(Text($"The dense Hessian's H[{row}, {column}] = {entries[c]:R} but HessianVector along e{column} gives {hv[c.i][c.j]:R} at {FiniteDifferenceCheck.Format(point)}"));
                }
            }
        }
    }

    /// <summary>Each entry of a product along <paramref name="direction"/> against central differences of the generated gradient.</summary>
    private void CompareWithGradients(LoadedMethod loaded, double[][] point, double[][] direction, List<(int i, int j)> coordinates, Func<(int i, int j), double> product, string name, FiniteDifferenceCheck.Tolerances tolerance, double large, double small, List<string> problems)
    {
        var scale = Math.Max(1, coordinates.Where(c => direction[c.i][c.j] != 0).Select(c => Math.Abs(point[c.i][c.j])).DefaultIfEmpty(0).Max());
        var gradients = new Dictionary<double, double[][]>();
        double[][] At(double t) => gradients.TryGetValue(t, out var g) ? g : gradients[t] = Gradient(loaded, point, t, direction);
        foreach (var c in coordinates)
        {
            (double Value, double Rounding) Central(double step)
            {
                var h = step * scale;
                var (up, down) = (At(h)[c.i][c.j], At(-h)[c.i][c.j]);
                return ((up - down) / (2 * h), 4 * tolerance.Epsilon * Math.Max(1, Math.Max(Math.Abs(up), Math.Abs(down))) / (2 * h));
            }

            var (fdA, roundA) = Central(large);
            var (fdB, roundB) = Central(small);
            var relative = tolerance.Relative * Math.Max(1, Math.Abs(fdB));
            if (!double.IsFinite(fdA) || !double.IsFinite(fdB) || Math.Abs(fdA - fdB) > relative + roundA + roundB)
            {
                Skipped++;
                continue;
            }

            var a = product(c);
            if (Math.Abs(a - fdB) <= relative + roundB || Math.Abs(a - fdA) <= relative + roundA || TwoStepCheck.RefinedCentralMatch(Central, a, tolerance, large, small))
            {
                Compared++;
                continue;
            }

            if (TwoStepCheck.JumpsAtPoint(t => At(t)[c.i][c.j], scale, tolerance, large, small))
            {
                Skipped++;
                continue;
            }

            Compared++;
            problems.Add(Text($"{name}: ∂²f entry {Entry(loaded.Method, c)} = {a:R} but finite differences of the gradient give {fdB:R} (step {small}) and {fdA:R} (step {large}) at {FiniteDifferenceCheck.Format(point)}"));
        }
    }

    /// <summary>Each entry of H·v against second differences of the lockstep reference, whose detached values stay at the point.</summary>
    private void CompareWithReference(MethodUnderTest method, Func<double[][], double[][], double>? reference, double[][] point, double[][] v, List<(int i, int j)> coordinates, Func<(int i, int j), double> product, string name, FiniteDifferenceCheck.Tolerances tolerance, List<string> problems)
    {
        if (reference is null)
        {
            throw new InvalidOperationException(method.Key + " uses Detach or NoGrad but has no reference.");
        }

        foreach (var c in coordinates)
        {
            var scale = Math.Max(1, Math.Max(Math.Abs(point[c.i][c.j]), coordinates.Where(d => v[d.i][d.j] != 0).Select(d => Math.Abs(point[d.i][d.j])).DefaultIfEmpty(0).Max()));
            (double Value, double Rounding) Second(double step)
            {
                var h = step * scale;
                double R(double alongV, double alongE)
                {
                    var p = FiniteDifferenceCheck.Copy(point);
                    for (var i = 0; i < p.Length; i++)
                    {
                        for (var j = 0; j < p[i].Length; j++)
                        {
                            p[i][j] += alongV * v[i][j];
                        }
                    }

                    p[c.i][c.j] += alongE;
                    return reference(p, FiniteDifferenceCheck.Copy(point));
                }

                var values = new[] { R(h, h), R(h, -h), R(-h, h), R(-h, -h) };
                return ((values[0] - values[1] - values[2] + values[3]) / (4 * h * h), 16 * tolerance.Epsilon * Math.Max(1, values.Max(Math.Abs)) / (4 * h * h));
            }

            var (fdA, roundA) = Second(1e-3);
            var (fdB, roundB) = Second(3e-4);
            var relative = tolerance.Relative * Math.Max(1, Math.Abs(fdB));
            if (!double.IsFinite(fdA) || !double.IsFinite(fdB) || Math.Abs(fdA - fdB) > relative + roundA + roundB)
            {
                Skipped++;
                continue;
            }

            var a = product(c);
            Compared++;
            if (!(Math.Abs(a - fdB) <= relative + roundB) && !(Math.Abs(a - fdA) <= relative + roundA))
            {
                problems.Add(Text($"{name}: ∂²f entry {Entry(method, c)} = {a:R} but second differences of the reference give {fdB:R} (step 3e-4) and {fdA:R} (step 1e-3) at {FiniteDifferenceCheck.Format(point)}"));
            }
        }
    }

    private static double[][] Gradient(LoadedMethod loaded, double[][] point, double t, double[][]? direction)
    {
        var at = point.Select((values, i) => values.Select((x, j) => direction is null ? x : x + t * direction[i][j]).ToArray()).ToArray();
        var adjoints = at.Select(values => new double[values.Length]).ToArray();
        loaded.Backward(at, adjoints, 1.0);
        return adjoints;
    }

    private static double Round(double value, bool single) => single ? (float)value : value;

    private static string Entry(MethodUnderTest m, (int i, int j) c) =>
        m.Parameters[c.i].Name + (m.Parameters[c.i].IsSequence ? "[" + c.j.ToString(CultureInfo.InvariantCulture) + "]" : "");

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
