using System.Globalization;
using System.Text;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>
/// Checks a generated backward against central finite differences and against the contract (primal value, seed,
/// accumulation, inputs untouched).
/// </summary>
/// <remarks>
/// Tolerances. Double: step h = 1e-6·max(1,|x|); |g − fd| ≤ 1e-6·max(1,|fd|) + R, where R = 4ε·max(|f₊|,|f₋|)/(2h) is
/// the rounding bound of the difference quotient (ε = 2⁻⁵²). Float: h = 1e-3·max(1,|x|) (a smaller step drowns in
/// float rounding), 2e-3·max(1,|fd|) + R with ε = 2⁻²³. The primal must equal the original's value to 1e-12
/// relative (float 1e-6); accumulation and seed scaling must hold to 1e-10 relative (float 1e-5), which only
/// allows for the rounding of a different multiplication order: seed 2 against twice the gradient, and the
/// accumulation against pre-filled + the same code's seeded result (a component that is the cancellation of partials
/// far larger than itself rounds differently at every seed: batch 20261126's P138, session 24).
/// </remarks>
public sealed class FiniteDifferenceCheck
{
    public sealed record Tolerances(double Step, double Relative, double Epsilon, double Primal, double Linear);

    public static readonly Tolerances Double = new(1e-6, 1e-6, Math.Pow(2, -52), 1e-12, 1e-10);

    public static readonly Tolerances Single = new(1e-3, 2e-3, Math.Pow(2, -23), 1e-6, 1e-5);

    /// <summary>
    /// The reverse sweep's rounding, in units of ε times the gradient's largest component, that a seeded run may differ
    /// from seed·gradient by (tests bound P138's deviation with it; the check itself compares the accumulation with
    /// the same code's seeded result instead). Batch 20261126's P138 (float): ∂/∂a[1] = −914.467 is the cancellation of partials of order 10⁵ (the gradient's
    /// largest component is 105 418); its double twin gives −914.540, so the float component is already 8·10⁻⁵ off at
    /// seed 1, and seed 1.5 rounds it to −914.444 (2.4 ε·1.5·10⁵ away, 2.5·10⁻⁵ relative): the same code, jammed or not.
    /// A component-wise 1e-5 cannot hold there. The allowance measures the accumulation only (pre-filled + the same
    /// code's result at that seed from zero adjoints); the seed is held to seed 2 exactly (review of session 24: an
    /// allowance sized by the steepest component excused a seed missing from, or a pre-filled value overwritten in, a
    /// unit component next to one of 10¹⁸; the allowance is now the component's own).
    /// </summary>
    public const double SweepRounding = 16;

    private readonly LoadedMethod _method;
    private readonly Tolerances _tol;

    public FiniteDifferenceCheck(LoadedMethod method)
    {
        _method = method;
        _tol = method.Method.ReturnsFloat || method.Method.Differentiable.Any(p => p.IsSinglePrecision) ? Single : Double;
    }

    public int Compared { get; private set; }

    public List<string> Problems { get; } = new();

    /// <summary>Draws a point from the parameters' domains (float parameters rounded to float).</summary>
    public static double[][] DrawPoint(MethodUnderTest m, Random random) =>
        m.Parameters.Select(p =>
        {
            var values = new double[p.IsSequence ? p.Length : 1];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = p.Kind switch
                {
                    ParameterKind.Int => random.Next((int)p.Min, (int)p.Max + 1),
                    ParameterKind.Bool => random.Next(2),
                    _ => p.Min + (p.Max - p.Min) * random.NextDouble(),
                };
                if (p.IsSinglePrecision)
                {
                    values[i] = (float)values[i];
                }
            }

            return values;
        }).ToArray();

    public static double[][] Zeros(MethodUnderTest m, double[][] point) =>
        point.Select(v => new double[v.Length]).ToArray();

    public static double[][] Copy(double[][] point) => point.Select(v => (double[])v.Clone()).ToArray();

    /// <summary>The gradient at <paramref name="point"/> with zeroed adjoints and seed 1; checks the returned primal.</summary>
    public double[][] Gradient(double[][] point)
    {
        var primal = _method.Primal(Copy(point));
        var before = Copy(point);
        var adjoints = Zeros(_method.Method, point);
        var tape = StaticGrad.CompilerServices.AdTape.Current.Count;
        var value = _method.Backward(point, adjoints, 1.0);
        if (StaticGrad.CompilerServices.AdTape.Current.Count != tape)
        {
            Problems.Add($"the backward left {StaticGrad.CompilerServices.AdTape.Current.Count - tape} values on the tape (pushes and pops do not match) at {Format(point)}");
        }

        // NaN against NaN is the same value (batch 20264400 P161: a float program reached at a point where both return
        // NaN; the gradient there is the finite-difference check's question, as for session 23's P242).
        if (!Close(value, primal, _tol.Primal) && !(double.IsNaN(value) && double.IsNaN(primal)))
        {
            Problems.Add(F($"returned {value:R} but the original returns {primal:R} at {Format(point)}"));
        }

        for (var i = 0; i < point.Length; i++)
        {
            if (!point[i].SequenceEqual(before[i]))
            {
                Problems.Add($"the backward modified its input {_method.Method.Parameters[i].Name}: {Format(before)} became {Format(point)}");
                Array.Copy(before[i], point[i], before[i].Length);
            }
        }

        return adjoints;
    }

    /// <summary>Compares every differentiable coordinate of the gradient with a central difference.</summary>
    public void CheckAgainstFiniteDifferences(double[][] point)
    {
        var gradient = Gradient(point);
        var f = Function(point);
        for (var i = 0; i < point.Length; i++)
        {
            var p = _method.Method.Parameters[i];
            for (var j = 0; j < point[i].Length; j++)
            {
                if (!p.IsDifferentiable)
                {
                    continue;
                }

                var (fd, rounding) = CentralDifference(f, point, i, j, _tol.Step, p.IsSinglePrecision);
                var g = gradient[i][j];
                Compared++;
                var bound = _tol.Relative * Math.Max(1, Math.Abs(fd)) + rounding;
                if (!(Math.Abs(g - fd) <= bound))
                {
                    Problems.Add(F($"∂/∂{p.Name}{(p.IsSequence ? "[" + j + "]" : "")} = {g:R} but finite differences give {fd:R} (allowed {bound:G3}) at {Format(point)}"));
                }
            }
        }
    }

    /// <summary>
    /// Adjoints pre-filled with values must receive value + seed·gradient; from zero adjoints, seed 2 must give twice
    /// the gradient component by component (a power of two scales every rounding of the sweep exactly, so this holds
    /// to the last bit and needs no allowance: it is what catches a seed applied to some adjoints and not others, which
    /// <see cref="SweepRounding"/>'s allowance, sized by the largest component, could hide next to a steep one —
    /// review of session 24).
    /// </summary>
    public void CheckAccumulationAndSeed(double[][] point, Random random, double seed)
    {
        var gradient = Gradient(Copy(point));
        CheckSeedTwo(point, gradient);
        // |pre-filled| in [0.5, 2): an adjoint overwritten, or its pre-filled value added twice, is off by at least 0.5.
        // One draw per value, as before: the points a program is checked at after this check come from the same stream.
        double Draw()
        {
            var u = (random.NextDouble() * 4) - 2;
            return Math.Sign(u) * (0.5 + (0.75 * Math.Abs(u)));
        }
        var prefilled = gradient.Select((g, i) => g.Select(_ => _method.Method.Parameters[i].IsSinglePrecision ? (float)Draw() : Draw()).ToArray()).ToArray();
        var adjoints = Copy(prefilled);
        _method.Backward(Copy(point), adjoints, seed);
        var fromZero = gradient.Select(g => new double[g.Length]).ToArray();
        _method.Backward(Copy(point), fromZero, seed);
        for (var i = 0; i < point.Length; i++)
        {
            var p = _method.Method.Parameters[i];
            for (var j = 0; j < point[i].Length; j++)
            {
                // A NaN expected (pre-filled + seed·NaN) is met by a NaN: the contract is the accumulation and the seed's
                // linearity, and it holds. Whether the gradient may be NaN there is the finite-difference check's
                // question, which skips a point whose two step sizes disagree (batch 20262881's P242: a primal of
                // -2.4e251 that changes sign within steps of 1e-6, session 23); NaN ≠ NaN made this check report
                // every such point as broken accumulation.
                var expected = p.IsDifferentiable ? prefilled[i][j] + seed * gradient[i][j] : prefilled[i][j];
                // Or the accumulation alone: against pre-filled + the same code's result at this seed from zero
                // adjoints (which carries the sweep's own rounding at this seed: a float component that is the
                // cancellation of much larger partials rounds differently at seed 1.5 than 1.5 times its seed-1 value,
                // batch 20261126 P138), within the linear tolerance of |pre-filled| + |that result| (a pre-filled array
                // adjoint receives a loop's terms one by one, in float each rounded at the running sum's magnitude:
                // batch 20264201 P145). The seed itself is held to seed 2 exactly above.
                var accumulated = p.IsDifferentiable ? prefilled[i][j] + fromZero[i][j] : prefilled[i][j];
                var allowance = _tol.Linear * Math.Max(1, Math.Abs(prefilled[i][j]) + Math.Abs(fromZero[i][j]));
                if (!Close(adjoints[i][j], expected, _tol.Linear) && !(Math.Abs(adjoints[i][j] - accumulated) <= allowance) && !(double.IsNaN(expected) && double.IsNaN(adjoints[i][j])))
                {
                    Problems.Add(F($"with {p.AdjointName} pre-filled with {prefilled[i][j]:R} and seed {seed:R}, got {adjoints[i][j]:R}, expected {prefilled[i][j]:R} + {seed:R}·{gradient[i][j]:R} = {expected:R} at {Format(point)}"));
                }
            }
        }
    }

    /// <summary>From zero adjoints, seed 2 gives twice the gradient, component by component (see <see cref="CheckAccumulationAndSeed"/>).</summary>
    private void CheckSeedTwo(double[][] point, double[][] gradient)
    {
        var adjoints = gradient.Select(g => new double[g.Length]).ToArray();
        _method.Backward(Copy(point), adjoints, 2.0);
        for (var i = 0; i < point.Length; i++)
        {
            var p = _method.Method.Parameters[i];
            for (var j = 0; j < point[i].Length; j++)
            {
                var expected = p.IsDifferentiable ? 2.0 * gradient[i][j] : 0.0;
                if (!(adjoints[i][j] == expected) && !Close(adjoints[i][j], expected, _tol.Linear) && !(double.IsNaN(expected) && double.IsNaN(adjoints[i][j])))
                {
                    Problems.Add(F($"with {p.AdjointName} zero and seed 2, got {adjoints[i][j]:R}, expected 2·{gradient[i][j]:R} = {expected:R} at {Format(point)}"));
                }
            }
        }
    }

    /// <summary>The function finite differences are taken of: the original, or its reference when Detach/NoGrad freeze values.</summary>
    public Func<double[][], double> Function(double[][] basePoint)
    {
        if (_method.FdReference is { } reference)
        {
            var frozen = Copy(basePoint);
            return p => reference(p, frozen);
        }

        return _method.Primal;
    }

    /// <summary>A central difference in coordinate (i, j) with step <paramref name="relativeStep"/>·max(1,|x|) and its rounding bound.</summary>
    public (double Value, double Rounding) CentralDifference(Func<double[][], double> f, double[][] point, int i, int j, double relativeStep, bool single)
    {
        var x = point[i][j];
        var h = relativeStep * Math.Max(1, Math.Abs(x));
        var up = single ? (float)(x + h) : x + h;
        var down = single ? (float)(x - h) : x - h;
        point[i][j] = up;
        var fUp = f(point);
        point[i][j] = down;
        var fDown = f(point);
        point[i][j] = x;
        var width = up - down;
        return ((fUp - fDown) / width, 4 * _tol.Epsilon * Math.Max(Math.Abs(fUp), Math.Abs(fDown)) / width);
    }

    public Tolerances Tolerance => _tol;

    private static bool Close(double actual, double expected, double relative) =>
        actual == expected || Math.Abs(actual - expected) <= relative * Math.Max(1, Math.Abs(expected));

    public static string Format(double[][] point) =>
        "(" + string.Join(", ", point.Select(v => v.Length == 1 ? v[0].ToString("R", CultureInfo.InvariantCulture) : "[" + string.Join(", ", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]")) + ")";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public string Report()
    {
        var text = new StringBuilder();
        foreach (var problem in Problems.Take(10))
        {
            text.AppendLine("  " + problem);
        }

        if (Problems.Count > 10)
        {
            text.AppendLine($"  … and {Problems.Count - 10} more");
        }

        return text.ToString();
    }
}
