using System.Globalization;

namespace StaticGrad.Benchmarks.Checking;

/// <summary>Collects the outcome of every correctness check and prints one line per check.</summary>
public sealed class Verifier(TextWriter output)
{
    /// <summary>
    /// Tolerance between an exact gradient and central differences (ADBench's relative measure): 1e-6 plus twenty
    /// times the rounding error of a difference quotient, ε·|f|/h, which dominates for objectives of large magnitude.
    /// </summary>
    public static double FiniteDifferenceTolerance(double objective) =>
        1e-6 + (20.0 * MachineEpsilon * Math.Abs(objective) / FiniteDifferences.DefaultStep);

    /// <summary>The gap between 1 and the next double.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Checks two gradients under ADBench's criterion.</summary>
    public void Gradient(string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        var comparison = GradientComparison.Compare(expected, actual);
        Report(comparison.Error < tolerance, what, string.Create(CultureInfo.InvariantCulture, $"{comparison} (tolerance {tolerance:E1})"));
    }

    /// <summary>Checks a value against a reference to a relative tolerance.</summary>
    public void Value(string what, double expected, double actual, double relativeTolerance)
    {
        var error = Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), double.Epsilon);
        Report(error <= relativeTolerance, what, string.Create(CultureInfo.InvariantCulture, $"expected {expected:R}, got {actual:R}, relative error {error:E2} (tolerance {relativeTolerance:E0})"));
    }

    /// <summary>Checks a value against a reference to an absolute tolerance.</summary>
    public void Absolute(string what, double expected, double actual, double tolerance)
    {
        var error = Math.Abs(expected - actual);
        Report(error <= tolerance, what, string.Create(CultureInfo.InvariantCulture, $"expected {expected:R}, got {actual:R}, error {error:E2} (tolerance {tolerance:E1})"));
    }

    /// <summary>Records a check that could not run (e.g. no generated variant yet), without failing.</summary>
    public void Skip(string what, string reason) => output.WriteLine($"  skip  {what}: {reason}");

    /// <summary>Prints a measured fact that is not a pass/fail check.</summary>
    public void Note(string text) => output.WriteLine($"  info  {text}");

    public void Section(string title) => output.WriteLine(title);

    private void Report(bool ok, string what, string detail)
    {
        if (ok)
        {
            Passed++;
        }
        else
        {
            Failed++;
        }

        output.WriteLine($"  {(ok ? "ok  " : "FAIL")}  {what}: {detail}");
    }
}
