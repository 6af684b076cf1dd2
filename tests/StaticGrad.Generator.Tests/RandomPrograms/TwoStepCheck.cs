using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Finite differences for programs nobody looked at: each coordinate is differenced with two step sizes and compared
/// only where they agree (a kink, a branch flip or a jump between the two points makes them disagree: that point is
/// skipped and counted). Double: steps 1e-5 and 1e-6 (×max(1,|x|)), float: 1e-2 and 3e-3; agreement and comparison
/// both use <see cref="GradientCheck"/>'s relative tolerance plus the difference quotients' rounding bounds.
/// </summary>
public sealed class TwoStepCheck
{
    public int Compared { get; private set; }

    public int Skipped { get; private set; }

    public List<string> Problems { get; } = new();

    public void Check(LoadedMethod method, double[][] point)
    {
        var check = new GradientCheck(method);
        var single = check.Tolerance == GradientCheck.Single;
        var (large, small) = single ? (1e-2, 3e-3) : (1e-5, 1e-6);
        var gradient = check.Gradient(GradientCheck.Copy(point));
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

                Compared++;
                var g = gradient[i][j];
                if (!(Math.Abs(g - fdB) <= relative + roundB) && !(Math.Abs(g - fdA) <= relative + roundA))
                {
                    Problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"∂/∂{p.Name}{(p.IsSequence ? "[" + j + "]" : "")} = {g:R} but finite differences give {fdB:R} (step {small}) and {fdA:R} (step {large}) at {GradientCheck.Format(point)}"));
                }
            }
        }
    }

    public void CheckContract(LoadedMethod method, double[][] point, Random random)
    {
        var check = new GradientCheck(method);
        check.CheckAccumulationAndSeed(point, random, 1.5);
        Problems.AddRange(check.Problems);
    }
}
