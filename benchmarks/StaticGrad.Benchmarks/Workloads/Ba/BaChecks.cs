using System.Globalization;
using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>The BA correctness checks run by --verify.</summary>
public static class BaChecks
{
    /// <summary>
    /// Residuals computed by two different codes agree to a few roundings: the tolerance of the ADBench criterion
    /// between the objective and its independent evaluation, and between each Jacobian's residuals and the objective.
    /// </summary>
    public const double ResidualTolerance = 1e-12;

    public static void Run(Verifier verifier, string? dataDirectory)
    {
        verifier.Section(dataDirectory is null
            ? "BA (generated instances: ../shared/adbench not found)"
            : $"BA (ADBench files in {dataDirectory}, and a generated instance with distinct values)");

        // ADBench's files replicate one camera, point and weight, so an index mix-up would go unnoticed on them:
        // the generated instance has a value per camera, point, weight and feature, and one camera with r = 0.
        Check(verifier, BaInstance.Generate("generated-distinct_n7_m50_p300", 7, 50, 300, seed: 7, zeroRotationCamera: true));
        Check(verifier, BaCatalog.Get(BaCatalog.ShortModeInstance, dataDirectory));
    }

    public static void Check(Verifier verifier, BaInstance instance)
    {
        var name = instance.Name;
        var objective = new double[instance.ResidualCount];
        BaObjective.Evaluate(instance, objective);
        verifier.Gradient($"{name} objective vs rotation-matrix evaluation ({objective.Length} residuals)", IndependentResiduals(instance), objective, ResidualTolerance);
        var scale = objective.Max(Math.Abs);
        verifier.Note(string.Create(CultureInfo.InvariantCulture, $"{name}: max |residual| {scale:G6}, ‖residual‖² {objective.Sum(r => r * r):G10}"));

        var hand = new BaJacobian(instance);
        BaJacobians.HandWritten(instance, hand);
        verifier.Gradient($"{name} hand-written Jacobian's residuals vs objective", objective, hand.Residuals, ResidualTolerance);

        var fd = new BaJacobian(instance);
        BaJacobians.FiniteDifferences(instance, fd);
        verifier.Gradient($"{name} hand-written vs central differences ({hand.Values.Length} Jacobian entries)", fd.Values, hand.Values, Verifier.FiniteDifferenceTolerance(scale));

        var tape = new BaJacobian(instance);
        new BaTape(instance).Jacobian(tape);
        verifier.Gradient($"{name} tape's residuals vs objective", objective, tape.Residuals, ResidualTolerance);
        verifier.Gradient($"{name} tape vs hand-written", hand.Values, tape.Values, GradientComparison.ExactTolerance);

#if GENERATED_BA
        var generated = new BaJacobian(instance);
        BaJacobians.Generated(instance, generated);
        verifier.Gradient($"{name} generated backward's residuals vs objective", objective, generated.Residuals, ResidualTolerance);
        verifier.Gradient($"{name} generated vs hand-written", hand.Values, generated.Values, GradientComparison.ExactTolerance);
        var perRow = new BaJacobian(instance);
        BaJacobians.GeneratedPerRow(instance, perRow);
        verifier.Gradient($"{name} generated per row (two backwards) vs hand-written", hand.Values, perRow.Values, GradientComparison.ExactTolerance);
        var session15 = new BaJacobian(instance);
        BaJacobians.GeneratedSession15(instance, session15);
        verifier.Gradient($"{name} session 15's generated Jacobian vs hand-written", hand.Values, session15.Values, GradientComparison.ExactTolerance);
        var session16 = new BaJacobian(instance);
        BaJacobians.GeneratedSession16(instance, session16);
        verifier.Gradient($"{name} session 16's generated Jacobian vs hand-written", hand.Values, session16.Values, GradientComparison.ExactTolerance);
#else
        verifier.Skip($"{name} generated", "BA is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif
    }

    /// <summary>
    /// The residuals by a different route than <see cref="BaObjective.Project"/>: Rodrigues' formula as a matrix,
    /// R = cos θ·I + sin θ·[u]ₓ + (1 − cos θ)·u uᵀ (I + [r]ₓ when r = 0), applied to X − C.
    /// </summary>
    private static double[] IndependentResiduals(BaInstance instance)
    {
        var p = instance.P;
        var residuals = new double[3 * p];
        var rotation = new double[3, 3];
        for (var i = 0; i < p; i++)
        {
            var camera = instance.Camera(i);
            var point = instance.Point(i);
            var angle = Math.Sqrt((camera[0] * camera[0]) + (camera[1] * camera[1]) + (camera[2] * camera[2]));
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double[] u = angle == 0.0 ? [camera[0], camera[1], camera[2]] : [camera[0] / angle, camera[1] / angle, camera[2] / angle];
            double[,] skew = { { 0.0, -u[2], u[1] }, { u[2], 0.0, -u[0] }, { -u[1], u[0], 0.0 } };
            for (var row = 0; row < 3; row++)
            {
                for (var col = 0; col < 3; col++)
                {
                    var identity = row == col ? 1.0 : 0.0;
                    rotation[row, col] = angle == 0.0
                        ? identity + skew[row, col]
                        : (cos * identity) + (sin * skew[row, col]) + ((1.0 - cos) * u[row] * u[col]);
                }
            }

            var q = new double[3];
            for (var row = 0; row < 3; row++)
            {
                for (var col = 0; col < 3; col++)
                {
                    q[row] += rotation[row, col] * (point[col] - camera[3 + col]);
                }
            }

            var feature = instance.Feature(i);
            var radius = Math.Pow(q[0] / q[2], 2) + Math.Pow(q[1] / q[2], 2);
            var distortion = 1.0 + (camera[9] * radius) + (camera[10] * Math.Pow(radius, 2));
            for (var c = 0; c < 2; c++)
            {
                residuals[(2 * i) + c] = instance.Weights[i] * ((camera[6] * distortion * q[c] / q[2]) + camera[7 + c] - feature[c]);
            }

            residuals[(2 * p) + i] = 1.0 - Math.Pow(instance.Weights[i], 2);
        }

        return residuals;
    }
}
