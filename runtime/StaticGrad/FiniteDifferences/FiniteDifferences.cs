using System.Globalization;
using System.Text;

namespace StaticGrad;

/// <summary>
/// Central finite differences, to check a generated gradient (or any gradient) numerically:
/// <c>∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ</c> with a step scaled to each coordinate.
/// </summary>
public static class FiniteDifferences
{
    /// <summary>The default relative step: near the cube root of double's epsilon, which balances truncation and rounding error.</summary>
    public const double DefaultStep = 6e-6;

    /// <summary>
    /// The central-difference gradient of <paramref name="f"/> at <paramref name="x"/>. Coordinate i uses the step
    /// <c>step·max(1, |xᵢ|)</c>. <paramref name="x"/> is restored before returning.
    /// </summary>
    /// <param name="f">The function; it may read but must not keep <paramref name="x"/>.</param>
    /// <param name="x">The point.</param>
    /// <param name="step">The relative step; <see cref="DefaultStep"/> when null.</param>
    public static double[] Gradient(Func<double[], double> f, double[] x, double? step = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        var relative = step ?? DefaultStep;
        if (!(relative > 0) || double.IsInfinity(relative))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive and finite.");
        }

        var gradient = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var original = x[i];
            var h = relative * Math.Max(1, Math.Abs(original));
            x[i] = original + h;
            var plus = f(x);
            x[i] = original - h;
            var minus = f(x);
            x[i] = original;
            gradient[i] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    /// <summary>
    /// Compares <paramref name="gradient"/> with the central-difference gradient of <paramref name="f"/> at
    /// <paramref name="x"/>: coordinate i passes when <c>|gᵢ − fdᵢ| ≤ absoluteTolerance + relativeTolerance·|fdᵢ|</c>.
    /// </summary>
    public static GradientCheck Check(
        Func<double[], double> f,
        double[] x,
        double[] gradient,
        double relativeTolerance = 1e-5,
        double absoluteTolerance = 1e-7,
        double? step = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != x.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} components but the point has {x.Length}.", nameof(gradient));
        }

        var numeric = Gradient(f, x, step);
        var errors = new double[x.Length];
        var passed = true;
        for (var i = 0; i < x.Length; i++)
        {
            errors[i] = Math.Abs(gradient[i] - numeric[i]);
            passed &= errors[i] <= absoluteTolerance + (relativeTolerance * Math.Abs(numeric[i])) || (gradient[i] == numeric[i]);
        }

        return new GradientCheck(passed, (double[])gradient.Clone(), numeric, errors, relativeTolerance, absoluteTolerance);
    }
}

/// <summary>The result of <see cref="FiniteDifferences.Check"/>: per coordinate, the gradient, the finite difference and their difference.</summary>
public sealed class GradientCheck
{
    internal GradientCheck(bool passed, double[] gradient, double[] finiteDifference, double[] absoluteErrors, double relativeTolerance, double absoluteTolerance)
    {
        Passed = passed;
        Gradient = gradient;
        FiniteDifference = finiteDifference;
        AbsoluteErrors = absoluteErrors;
        RelativeTolerance = relativeTolerance;
        AbsoluteTolerance = absoluteTolerance;
    }

    /// <summary>Whether every coordinate is within tolerance.</summary>
    public bool Passed { get; }

    /// <summary>The gradient that was checked.</summary>
    public IReadOnlyList<double> Gradient { get; }

    /// <summary>The central-difference gradient.</summary>
    public IReadOnlyList<double> FiniteDifference { get; }

    /// <summary>Per coordinate, |gradient − finite difference|.</summary>
    public IReadOnlyList<double> AbsoluteErrors { get; }

    /// <summary>The relative part of the tolerance (times |finite difference|).</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute part of the tolerance.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>The largest absolute difference between the gradient and the finite differences.</summary>
    public double MaxAbsoluteError => AbsoluteErrors.Count == 0 ? 0 : AbsoluteErrors.Max();

    /// <summary>A table, one line per coordinate, marking those out of tolerance.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Gradient check {(Passed ? "passed" : "FAILED")}: max |error| = {MaxAbsoluteError:G3} (tolerance {AbsoluteTolerance:G3} + {RelativeTolerance:G3}·|fd|)\n");
        for (var i = 0; i < Gradient.Count; i++)
        {
            var ok = AbsoluteErrors[i] <= AbsoluteTolerance + (RelativeTolerance * Math.Abs(FiniteDifference[i])) || Gradient[i] == FiniteDifference[i];
            text.Append(CultureInfo.InvariantCulture, $"  [{i}] gradient {Gradient[i],14:G8}  finite difference {FiniteDifference[i],14:G8}  |error| {AbsoluteErrors[i]:G3}{(ok ? string.Empty : "  <-- out of tolerance")}\n");
        }

        return text.ToString();
    }
}
