using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Finite differences for programs nobody looked at: each coordinate is differenced with two step sizes and compared
/// only where they agree (a kink, a branch flip or a jump between the two points makes them disagree: that point is
/// skipped and counted). Double: steps 1e-5 and 1e-6 (×max(1,|x|)), float: 1e-2 and 3e-3; agreement and comparison
/// both use <see cref="FiniteDifferenceCheck"/>'s relative tolerance plus the difference quotients' rounding bounds.
/// </summary>
public sealed class TwoStepCheck
{
    public int Compared { get; private set; }

    public int Skipped { get; private set; }

    public List<string> Problems { get; } = new();

    /// <summary>Points of float programs whose wrong gradients the double twin showed to be artefacts (<see cref="DoubleTwin"/>).</summary>
    public int FloatArtefacts { get; set; }

    /// <summary>Points whose wrong gradients came with a periodic function of an argument past its rounding (<see cref="UnresolvedPhase"/>).</summary>
    public int UnresolvedPhases { get; set; }

    public void Check(LoadedMethod method, double[][] point)
    {
        var check = new FiniteDifferenceCheck(method);
        var single = check.Tolerance == FiniteDifferenceCheck.Single;
        var (large, small) = single ? (1e-2, 3e-3) : (1e-5, 1e-6);
        var gradient = check.Gradient(FiniteDifferenceCheck.Copy(point));
        Problems.AddRange(check.Problems);
        var f = check.Function(point);
        for (var i = 0; i < point.Length; i++)
        {
            var p = method.Method.Parameters[i];
            if (!p.IsDifferentiable)
            {
                continue;
            }

            for (var j = 0; j < point[i].Length; j++)
            {
                var (fdA, roundA) = check.CentralDifference(f, point, i, j, large, p.IsSinglePrecision);
                var (fdB, roundB) = check.CentralDifference(f, point, i, j, small, p.IsSinglePrecision);
                var relative = check.Tolerance.Relative * Math.Max(1, Math.Abs(fdB));
                if (!double.IsFinite(fdA) || !double.IsFinite(fdB) || Math.Abs(fdA - fdB) > relative + roundA + roundB)
                {
                    Skipped++;
                    continue;
                }

                var g = gradient[i][j];
                if (!(Math.Abs(g - fdB) <= relative + roundB) && !(Math.Abs(g - fdA) <= relative + roundA)
                    && !RefinedCentralMatch(step => check.CentralDifference(f, point, i, j, step, p.IsSinglePrecision), g, check.Tolerance, large, small)
                    && !OneSidedMatch(t => Along(f, point, i, j, t), point[i][j], g, check.Tolerance, large, small))
                {
                    if (JumpsAtPoint(t => Along(f, point, i, j, t), point[i][j], check.Tolerance, large, small))
                    {
                        Skipped++;
                        continue;
                    }

                    Compared++;
                    Problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"∂/∂{p.Name}{(p.IsSequence ? "[" + j + "]" : "")} = {g:R} but finite differences give {fdB:R} (step {small}) and {fdA:R} (step {large}) at {FiniteDifferenceCheck.Format(point)}"));
                    continue;
                }

                Compared++;
            }
        }
    }

    /// <summary>
    /// The Tangent against finite differences along a random direction v (double programs: a float program's
    /// perturbed point rounds each coordinate differently, so its Tangent is checked through the Backward instead):
    /// (f(p + h·v) − f(p − h·v)) / 2h with the two step sizes, compared only where they agree.
    /// </summary>
    public void CheckDirection(LoadedMethod method, Func<double[][], double[][], double[]> tangent, double[][] point, Random random)
    {
        var m = method.Method;
        if (m.ReturnsFloat || m.Parameters.Any(p => p.IsSinglePrecision) || !m.Parameters.Any(p => p.IsDifferentiable))
        {
            return;
        }

        var check = new FiniteDifferenceCheck(method);
        var direction = point.Select((v, i) => v.Select(_ => m.Parameters[i].IsDifferentiable ? random.NextDouble() * 2 - 1 : 0.0).ToArray()).ToArray();
        var directional = tangent(FiniteDifferenceCheck.Copy(point), direction)[1];
        var f = check.Function(point);
        var scale = Math.Max(1, point.Zip(direction).SelectMany(pair => pair.First.Where((_, j) => pair.Second[j] != 0)).Select(Math.Abs).DefaultIfEmpty(0).Max());
        (double Value, double Rounding) Difference(double step)
        {
            var h = step * scale;
            double At(double t) => f(point.Select((v, i) => v.Select((x, j) => x + t * direction[i][j]).ToArray()).ToArray());
            var (up, down) = (At(h), At(-h));
            return ((up - down) / (2 * h), 4 * check.Tolerance.Epsilon * Math.Max(Math.Abs(up), Math.Abs(down)) / (2 * h));
        }

        var (fdA, roundA) = Difference(1e-5);
        var (fdB, roundB) = Difference(1e-6);
        var relative = check.Tolerance.Relative * Math.Max(1, Math.Abs(fdB));
        if (!double.IsFinite(fdA) || !double.IsFinite(fdB) || Math.Abs(fdA - fdB) > relative + roundA + roundB)
        {
            Skipped++;
            return;
        }

        double AlongDirection(double t) => f(point.Select((v, i) => v.Select((x, j) => x + t * direction[i][j]).ToArray()).ToArray());
        if (!(Math.Abs(directional - fdB) <= relative + roundB) && !(Math.Abs(directional - fdA) <= relative + roundA)
            && !OneSidedMatch(AlongDirection, scale, directional, check.Tolerance))
        {
            if (JumpsAtPoint(AlongDirection, scale, check.Tolerance))
            {
                Skipped++;
                return;
            }

            Compared++;
            Problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"Tangent along {FiniteDifferenceCheck.Format(direction)} = {directional:R} but finite differences give {fdB:R} (step 1e-6) and {fdA:R} (step 1e-5) at {FiniteDifferenceCheck.Format(point)}"));
            return;
        }

        Compared++;
    }

    /// <summary>
    /// Central differences of both step sizes can agree and still be wrong when several kinks lie within the steps
    /// (batch 20261510, P174, float: <c>Min(|v1|, x)</c> ties at the point, where the rule splits the derivative
    /// evenly, and crosses twice more within 0.0017 to the left; steps of 0.01 and 0.003 both see slope 1, steps
    /// under 0.0012 see the tie's 1.5). The steps shrink by the same ratio, at most three times, to the first pair
    /// that agrees with rounding under the tolerance (so a noisy pair cannot agree with anything), and the derivative
    /// is compared with that.
    /// </summary>
    public static bool RefinedCentralMatch(Func<double, (double Value, double Rounding)> central, double derivative, FiniteDifferenceCheck.Tolerances tolerance, double large, double small)
    {
        var (step, next) = (small, small * small / large);
        for (var k = 0; k < Refinements; k++, (step, next) = (next, next * small / large))
        {
            var (a, roundA) = central(step);
            var (b, roundB) = central(next);
            var relative = tolerance.Relative * Math.Max(1, Math.Abs(b));
            if (double.IsFinite(a) && double.IsFinite(b) && roundA + roundB <= relative && Math.Abs(a - b) <= relative + roundA + roundB)
            {
                return Math.Abs(derivative - b) <= relative + roundB;
            }
        }

        return false;
    }

    /// <summary>How many times <see cref="OneSidedMatch"/> may shrink a side's steps when another kink lies within them.</summary>
    private const int Refinements = 3;

    /// <summary>Kinks at the point itself that were taken as one-sided derivatives (<see cref="OneSidedMatch"/>).</summary>
    public int OneSided { get; private set; }

    /// <summary>
    /// A kink exactly at the point, where central differences of both step sizes agree on the mean of the two
    /// one-sided derivatives (a comparison of a value with its own detached copy, <c>x &gt;= Detach(x)</c>, or
    /// <c>Max(x, x)</c>): the derivative the program takes is one of the one-sided ones. Accepted when the left and
    /// right derivatives (second-order one-sided differences, each agreeing between the two step sizes) differ and
    /// <paramref name="derivative"/> matches one of them. When one side jumps instead (batch 20261486, P121:
    /// <c>v &lt; Detach(u) ? 1.68 : v</c> with v = u takes the constant only to the left), the value at the point
    /// belongs to the other side's branch, and only that side's derivative is accepted. Anything else is still a
    /// wrong derivative.
    /// </summary>
    public bool OneSidedMatch(Func<double, double> along, double x, double derivative, FiniteDifferenceCheck.Tolerances tolerance, double large = 1e-5, double small = 1e-6)
    {
        var f0 = along(0);
        (double Value, double Rounding) Side(double step, int sign)
        {
            var h = sign * step * Math.Max(1, Math.Abs(x));
            var (f1, f2) = (along(h), along(2 * h));
            return ((-3 * f0 + 4 * f1 - f2) / (2 * h), 16 * tolerance.Epsilon * Math.Max(Math.Abs(f0), Math.Max(Math.Abs(f1), Math.Abs(f2))) / Math.Abs(2 * h));
        }

        bool Agree((double Value, double Rounding) a, (double Value, double Rounding) b, double scale) =>
            double.IsFinite(a.Value) && double.IsFinite(b.Value) && Math.Abs(a.Value - b.Value) <= tolerance.Relative * Math.Max(1, scale) + a.Rounding + b.Rounding;

        (double Value, double Rounding)? Slope(int sign, int refinements)
        {
            var (step, next) = (large, small);
            for (var k = 0; k <= refinements; k++, (step, next) = (next, next * small / large))
            {
                var (a, b) = (Side(step, sign), Side(next, sign));
                if (Agree(a, b, Math.Abs(b.Value)))
                {
                    return b;
                }
            }

            return null;
        }

        var (rightJumps, leftJumps) = (Jumps(along, f0, x, 1, tolerance, large, small), Jumps(along, f0, x, -1, tolerance, large, small));
        var taken = (derivative, 0.0);
        bool Matches((double Value, double Rounding)? side) => side is { } s && Agree(taken, s, Math.Abs(s.Value));
        var (right, left) = (rightJumps ? null : Slope(1, 0), leftJumps ? null : Slope(-1, 0));
        if (!rightJumps && !leftJumps && (right is null || left is null))
        {
            // Another kink within 2 × the large step of this one (batch 20261510, P174: Min(|v1|, x) with |v1| = x at
            // the point and v1 = 0 at half of it, closer than the float steps): a one-sided derivative is a limit, so
            // the steps shrink (by the same ratio, at most three times) until the two agree on each side. Such a side
            // counts only when its rounding cannot blur the two sides: under a quarter of their difference.
            var (r, l) = (Slope(1, Refinements), Slope(-1, Refinements));
            if (r is { } rr && l is { } ll && Math.Max(rr.Rounding, ll.Rounding) < Math.Abs(rr.Value - ll.Value) / 4)
            {
                (right, left) = (r, l);
            }
        }

        var match = (right, left) switch
        {
            ({ } r, { } l) => !Agree(r, l, Math.Max(Math.Abs(r.Value), Math.Abs(l.Value))) && (Matches(r) || Matches(l)),
            ({ }, null) => leftJumps && Matches(right),
            (null, { }) => rightJumps && Matches(left),
            _ => false,
        };
        OneSided += match ? 1 : 0;
        return match;
    }

    /// <summary>
    /// The function jumps on both sides of the point: its value there is on another branch than every neighbour's
    /// (batch 20261214, P167: <c>Round(v)</c> with v = 0.5 exactly, from <c>Detach(x) - x</c> = 0; batch 20261355, H2:
    /// a comparison of two expressions equal on an interval, which rounding decides differently at the point and
    /// around it). No derivative exists there, so no value the program returns can be checked: the comparison is
    /// skipped (and counted with the ill-conditioned ones, at most 5 %).
    /// </summary>
    public static bool JumpsAtPoint(Func<double, double> along, double x, FiniteDifferenceCheck.Tolerances tolerance, double large = 1e-5, double small = 1e-6)
    {
        var f0 = along(0);
        return Jumps(along, f0, x, 1, tolerance, large, small) && Jumps(along, f0, x, -1, tolerance, large, small);
    }

    /// <summary>
    /// One side does not tend to the value at the point: the change over the small step is significant (beyond
    /// the tolerance at the value and rounding) and at least half the change over the large one (continuous sides
    /// change in proportion to the step: a tenth for double steps, under a third for float ones).
    /// </summary>
    private static bool Jumps(Func<double, double> along, double f0, double x, int sign, FiniteDifferenceCheck.Tolerances tolerance, double large, double small)
    {
        var scale = Math.Max(1, Math.Abs(x));
        var (fA, fB) = (along(sign * large * scale), along(sign * small * scale));
        var (dA, dB) = (fA - f0, fB - f0);
        var rounding = 4 * tolerance.Epsilon * Math.Max(Math.Abs(f0), Math.Max(Math.Abs(fA), Math.Abs(fB)));
        return double.IsFinite(dA) && double.IsFinite(dB) && Math.Abs(dB) > tolerance.Relative * Math.Max(1, Math.Abs(f0)) + rounding && Math.Abs(dB) >= 0.5 * Math.Abs(dA);
    }

    private static double Along(Func<double[][], double> f, double[][] point, int i, int j, double t)
    {
        var x = point[i][j];
        point[i][j] = x + t;
        var value = f(point);
        point[i][j] = x;
        return value;
    }

    public void CheckContract(LoadedMethod method, double[][] point, Random random)
    {
        var check = new FiniteDifferenceCheck(method);
        check.CheckAccumulationAndSeed(point, random, 1.5);
        Problems.AddRange(check.Problems);
    }
}
