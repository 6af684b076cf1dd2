using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// Every implementation of the BA Jacobian behind one signature: the values of <see cref="BaJacobian"/> and the
/// residuals they were evaluated at are written; the Jacobian's first value is returned (for BenchmarkDotNet).
/// </summary>
public static class BaJacobians
{
    /// <summary>Whether this build differentiates the residuals with the generator (see GeneratedWorkloads.props).</summary>
#if GENERATED_BA
    public const bool HasGenerated = true;
#else
    public const bool HasGenerated = false;
#endif

    public static double HandWritten(BaInstance instance, BaJacobian jacobian)
    {
        BaHandJacobian.Fill(instance, jacobian);
        return jacobian.Values[0];
    }

#if GENERATED_BA
    /// <summary>One generated <c>ReprojectionJacobian</c> call per observation (both rows from one projection), one backward per weight error.</summary>
    public static double Generated(BaInstance instance, BaJacobian jacobian) => WithJacobian(instance, jacobian, BaObjective.ReprojectionJacobian);

    /// <summary><see cref="Generated"/> over session 15's generated code (<see cref="BaSession15Jacobian"/>), to time the generator's changes against.</summary>
    public static double GeneratedSession15(BaInstance instance, BaJacobian jacobian) => WithJacobian(instance, jacobian, BaSession15Jacobian.ReprojectionJacobian);

    /// <summary><see cref="Generated"/> over session 16's generated code (<see cref="BaSession16Jacobian"/>: one reverse sweep per residual).</summary>
    public static double GeneratedSession16(BaInstance instance, BaJacobian jacobian) => WithJacobian(instance, jacobian, BaSession16Jacobian.ReprojectionJacobian);

    /// <summary>The signature of <c>ReprojectionJacobian</c>.</summary>
    public delegate (double X, double Y) ReprojectionJacobianMethod(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight, ReadOnlySpan<double> feature, Span<double> dXdCamera, Span<double> dXdPoint, ref double dXdWeight, Span<double> dYdCamera, Span<double> dYdPoint, ref double dYdWeight);

    private static double WithJacobian(BaInstance instance, BaJacobian jacobian, ReprojectionJacobianMethod reprojectionJacobian)
    {
        var p = instance.P;
        var residuals = jacobian.Residuals;
        for (var i = 0; i < p; i++)
        {
            // The Jacobian adds into the adjoints: the rows are cleared first.
            var rowX = jacobian.ReprojectionRow(i, 0);
            var rowY = jacobian.ReprojectionRow(i, 1);
            rowX.Clear();
            rowY.Clear();
            var (x, y) = reprojectionJacobian(
                instance.Camera(i), instance.Point(i), instance.Weights[i], instance.Feature(i),
                rowX[..BaInstance.CameraSize], rowX.Slice(BaInstance.CameraSize, 3), ref rowX[^1],
                rowY[..BaInstance.CameraSize], rowY.Slice(BaInstance.CameraSize, 3), ref rowY[^1]);
            residuals[2 * i] = x;
            residuals[(2 * i) + 1] = y;
        }

        WeightErrors(instance, jacobian);
        return jacobian.Values[0];
    }

    /// <summary>
    /// The generated Jacobian as session 14 computed it, kept to time against <see cref="Generated"/>: one backward call
    /// per residual (seed (1, 0), then (0, 1)), each with its own forward sweep.
    /// </summary>
    public static double GeneratedPerRow(BaInstance instance, BaJacobian jacobian)
    {
        var p = instance.P;
        var residuals = jacobian.Residuals;
        for (var i = 0; i < p; i++)
        {
            var camera = instance.Camera(i);
            var point = instance.Point(i);
            var feature = instance.Feature(i);
            var weight = instance.Weights[i];
            for (var coordinate = 0; coordinate < 2; coordinate++)
            {
                // The backward adds into the adjoints: the row is cleared first.
                var row = jacobian.ReprojectionRow(i, coordinate);
                row.Clear();
                var value = BaObjective.ReprojectionBackward(
                    camera, point, weight, feature, row[..BaInstance.CameraSize], row.Slice(BaInstance.CameraSize, 3), ref row[^1], coordinate == 0 ? (1.0, 0.0) : (0.0, 1.0));
                residuals[(2 * i) + coordinate] = coordinate == 0 ? value.X : value.Y;
            }
        }

        WeightErrors(instance, jacobian);
        return jacobian.Values[0];
    }

    private static void WeightErrors(BaInstance instance, BaJacobian jacobian)
    {
        var p = instance.P;
        for (var i = 0; i < p; i++)
        {
            ref var entry = ref jacobian.WeightErrorEntry(i);
            entry = 0.0;
            jacobian.Residuals[(2 * p) + i] = BaObjective.WeightErrorBackward(instance.Weights[i], ref entry);
        }
    }
#endif

    /// <summary>
    /// Central differences with the step of <see cref="Checking.FiniteDifferences"/>, exploiting the known sparsity
    /// the way any finite-difference BA Jacobian does: each observation's residuals depend on its own 15 parameters
    /// only, so each of them is perturbed in a copy of that observation's parameters (2 projections per entry,
    /// 30 per observation) instead of perturbing the 11n + 3m + p parameters one at a time over the whole objective.
    /// </summary>
    public static double FiniteDifferences(BaInstance instance, BaJacobian jacobian)
    {
        var p = instance.P;
        var residuals = jacobian.Residuals;
        Span<double> parameters = stackalloc double[BaJacobian.ReprojectionRowSize];
        Span<double> plus = stackalloc double[2];
        Span<double> minus = stackalloc double[2];
        for (var i = 0; i < p; i++)
        {
            instance.Camera(i).CopyTo(parameters);
            instance.Point(i).CopyTo(parameters[BaInstance.CameraSize..]);
            parameters[^1] = instance.Weights[i];
            var feature = instance.Feature(i);
            Residual(parameters, feature, residuals.AsSpan(2 * i, 2));
            var rowX = jacobian.ReprojectionRow(i, 0);
            var rowY = jacobian.ReprojectionRow(i, 1);
            for (var k = 0; k < parameters.Length; k++)
            {
                var saved = parameters[k];
                var h = Checking.FiniteDifferences.DefaultStep * Math.Max(1.0, Math.Abs(saved));
                parameters[k] = saved + h;
                Residual(parameters, feature, plus);
                parameters[k] = saved - h;
                Residual(parameters, feature, minus);
                parameters[k] = saved;
                rowX[k] = (plus[0] - minus[0]) / (2.0 * h);
                rowY[k] = (plus[1] - minus[1]) / (2.0 * h);
            }
        }

        for (var i = 0; i < p; i++)
        {
            var weight = instance.Weights[i];
            var h = Checking.FiniteDifferences.DefaultStep * Math.Max(1.0, Math.Abs(weight));
            residuals[(2 * p) + i] = 1.0 - (weight * weight);
            jacobian.WeightErrorEntry(i) = ((1.0 - ((weight + h) * (weight + h))) - (1.0 - ((weight - h) * (weight - h)))) / (2.0 * h);
        }

        return jacobian.Values[0];
    }

    /// <summary>The two reprojection residuals of one observation whose camera, point and weight are packed in <paramref name="parameters"/>.</summary>
    private static void Residual(ReadOnlySpan<double> parameters, ReadOnlySpan<double> feature, Span<double> residual)
    {
        BaObjective.Project(parameters[..BaInstance.CameraSize], parameters.Slice(BaInstance.CameraSize, 3), residual);
        var weight = parameters[^1];
        residual[0] = weight * (residual[0] - feature[0]);
        residual[1] = weight * (residual[1] - feature[1]);
    }
}
