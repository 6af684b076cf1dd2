namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// The BA Jacobian through StaticGrad's runtime tape, batched over the p observations as a PyTorch user would write
/// it. Each observation's residuals depend only on its own camera, point and weight, so the leaves are per-observation
/// copies ([p, 11], [p, 3], [p]; the runtime has no index_select, so the copies are gathered in the timed call) and
/// the gradient of Σ_i e_x,i with respect to them is row x of every observation at once: one forward graph, one
/// backward pass per residual coordinate (the first retains the graph), one for the weight errors. The small-angle
/// branch is a <c>where</c>, with the angle taken on a safe value where it is 0 (PyTorch's idiom against NaN gradients).
/// </summary>
public sealed class BaTape
{
    private readonly BaInstance _instance;
    private readonly double[] _cameras;
    private readonly double[] _points;
    private readonly Tensor _featureX;
    private readonly Tensor _featureY;

    public BaTape(BaInstance instance)
    {
        _instance = instance;
        _cameras = new double[BaInstance.CameraSize * instance.P];
        _points = new double[3 * instance.P];
        var features = Tensor.FromArray(instance.Features, [instance.P, 2]);
        _featureX = features.Select(1, 0);
        _featureY = features.Select(1, 1);
    }

    /// <summary>Writes every value of <paramref name="jacobian"/> and its residuals; returns the first value.</summary>
    public double Jacobian(BaJacobian jacobian)
    {
        var instance = _instance;
        int p = instance.P, cameraSize = BaInstance.CameraSize;
        for (var i = 0; i < p; i++)
        {
            instance.Camera(i).CopyTo(_cameras.AsSpan(cameraSize * i, cameraSize));
            instance.Point(i).CopyTo(_points.AsSpan(3 * i, 3));
        }

        var cameras = Tensor.FromArray(_cameras, [p, cameraSize], requiresGrad: true);
        var points = Tensor.FromArray(_points, [p, 3], requiresGrad: true);
        var weights = Tensor.FromArray(instance.Weights, [p], requiresGrad: true);
        var (residualX, residualY) = Reprojection(cameras, points, weights);

        var rowsX = Autograd.Grad(residualX.Sum(), [cameras, points, weights], retainGraph: true);
        var rowsY = Autograd.Grad(residualY.Sum(), [cameras, points, weights]);
        var weightErrors = 1.0 - weights.Square();
        var weightRows = Autograd.Grad(weightErrors.Sum(), weights)!.ToArray();

        WriteRows(jacobian, 0, rowsX);
        WriteRows(jacobian, 1, rowsY);
        var residuals = jacobian.Residuals;
        double[] valuesX = residualX.ToArray(), valuesY = residualY.ToArray(), valuesW = weightErrors.ToArray();
        for (var i = 0; i < p; i++)
        {
            residuals[2 * i] = valuesX[i];
            residuals[(2 * i) + 1] = valuesY[i];
            residuals[(2 * p) + i] = valuesW[i];
            jacobian.WeightErrorEntry(i) = weightRows[i];
        }

        return jacobian.Values[0];
    }

    private (Tensor X, Tensor Y) Reprojection(Tensor cameras, Tensor points, Tensor weights)
    {
        Tensor Camera(int j) => cameras.Select(1, j);
        var x = points.Select(1, 0) - Camera(3);
        var y = points.Select(1, 1) - Camera(4);
        var z = points.Select(1, 2) - Camera(5);
        Tensor rx = Camera(0), ry = Camera(1), rz = Camera(2);
        var squaredAngle = (rx * rx) + (ry * ry) + (rz * rz);
        var zero = squaredAngle.Eq(0.0);
        var angle = Tensor.Where(zero, Tensor.Scalar(1.0), squaredAngle).Sqrt();
        Tensor cos = angle.Cos(), sin = angle.Sin();
        Tensor ux = rx / angle, uy = ry / angle, uz = rz / angle;
        var along = ((ux * x) + (uy * y) + (uz * z)) * (1.0 - cos);
        var qx = Tensor.Where(zero, x + ((ry * z) - (rz * y)), (x * cos) + (((uy * z) - (uz * y)) * sin) + (ux * along));
        var qy = Tensor.Where(zero, y + ((rz * x) - (rx * z)), (y * cos) + (((uz * x) - (ux * z)) * sin) + (uy * along));
        var qz = Tensor.Where(zero, z + ((rx * y) - (ry * x)), (z * cos) + (((ux * y) - (uy * x)) * sin) + (uz * along));

        Tensor px = qx / qz, py = qy / qz;
        var radius = (px * px) + (py * py);
        var distortion = 1.0 + (Camera(9) * radius) + (Camera(10) * radius * radius);
        var focal = Camera(6);
        var residualX = weights * ((focal * px * distortion) + Camera(7) - _featureX);
        var residualY = weights * ((focal * py * distortion) + Camera(8) - _featureY);
        return (residualX, residualY);
    }

    private static void WriteRows(BaJacobian jacobian, int coordinate, Tensor?[] gradients)
    {
        double[] cameras = gradients[0]!.ToArray(), points = gradients[1]!.ToArray(), weights = gradients[2]!.ToArray();
        for (var i = 0; i < jacobian.ObservationCount; i++)
        {
            var row = jacobian.ReprojectionRow(i, coordinate);
            cameras.AsSpan(BaInstance.CameraSize * i, BaInstance.CameraSize).CopyTo(row);
            points.AsSpan(3 * i, 3).CopyTo(row[BaInstance.CameraSize..]);
            row[^1] = weights[i];
        }
    }
}
