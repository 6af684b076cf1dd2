namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// ADBench's bundle-adjustment residuals. A camera is [rotation r (3, Rodrigues vector), center C (3), focal f,
/// principal point x0 (2), radial distortion k (2)]. A point X projects to f·L·(q_x, q_y)/q_z + x0 with
/// q = R(r)(X − C) and L = 1 + k₁ρ + k₂ρ², ρ = ‖(q_x, q_y)/q_z‖²; the reprojection error is w·(projection − feature)
/// (2 residuals per observation) and the weight error 1 − w² (1 per observation).
/// </summary>
public static partial class BaObjective
{
    /// <summary>
    /// The objective ADBench times: every reprojection error (entries 0..2p−1, x then y per observation), then every
    /// weight error (entries 2p..3p−1). One projection per observation.
    /// </summary>
    public static void Evaluate(BaInstance instance, Span<double> residuals)
    {
        var p = instance.P;
        if (residuals.Length != 3 * p)
        {
            throw new ArgumentException($"BA has {3 * p} residuals, got a buffer of {residuals.Length}.", nameof(residuals));
        }

        Span<double> projection = stackalloc double[2];
        for (var i = 0; i < p; i++)
        {
            Project(instance.Camera(i), instance.Point(i), projection);
            var weight = instance.Weights[i];
            var feature = instance.Feature(i);
            residuals[2 * i] = weight * (projection[0] - feature[0]);
            residuals[(2 * i) + 1] = weight * (projection[1] - feature[1]);
        }

        for (var i = 0; i < p; i++)
        {
            var weight = instance.Weights[i];
            residuals[(2 * p) + i] = 1.0 - (weight * weight);
        }
    }

    /// <summary>ADBench's <c>project</c>: Rodrigues rotation (with its small-angle fallback), perspective division, radial distortion, focal and principal point.</summary>
    public static void Project(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, Span<double> projection)
    {
        double x = point[0] - camera[3], y = point[1] - camera[4], z = point[2] - camera[5];
        double rx = camera[0], ry = camera[1], rz = camera[2];
        var squaredAngle = (rx * rx) + (ry * ry) + (rz * rz);
        double qx, qy, qz;
        if (squaredAngle != 0.0)
        {
            var angle = Math.Sqrt(squaredAngle);
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double ux = rx / angle, uy = ry / angle, uz = rz / angle;
            var along = ((ux * x) + (uy * y) + (uz * z)) * (1.0 - cos);
            qx = (x * cos) + (((uy * z) - (uz * y)) * sin) + (ux * along);
            qy = (y * cos) + (((uz * x) - (ux * z)) * sin) + (uy * along);
            qz = (z * cos) + (((ux * y) - (uy * x)) * sin) + (uz * along);
        }
        else
        {
            qx = x + ((ry * z) - (rz * y));
            qy = y + ((rz * x) - (rx * z));
            qz = z + ((rx * y) - (ry * x));
        }

        double px = qx / qz, py = qy / qz;
        var radius = (px * px) + (py * py);
        var distortion = 1.0 + (camera[9] * radius) + (camera[10] * radius * radius);
        projection[0] = (camera[6] * px * distortion) + camera[7];
        projection[1] = (camera[6] * py * distortion) + camera[8];
    }

    /// <summary>
    /// Both reprojection residuals of one observation, w·(projection − feature), written for the generator: its
    /// <c>ReprojectionJacobian</c> gives both Jacobian rows (11 camera, 3 point, 1 weight entries each) from one
    /// projection (one forward sweep, a reverse sweep per residual).
    /// </summary>
#if GENERATED_BA
    [Differentiable(Jacobian = true)]
#endif
    public static (double X, double Y) Reprojection(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight, [NoGrad] ReadOnlySpan<double> feature)
    {
        var x = point[0] - camera[3];
        var y = point[1] - camera[4];
        var z = point[2] - camera[5];
        var rx = camera[0];
        var ry = camera[1];
        var rz = camera[2];
        var squaredAngle = (rx * rx) + (ry * ry) + (rz * rz);
        var qx = 0.0;
        var qy = 0.0;
        var qz = 0.0;
        if (squaredAngle != 0.0)
        {
            var angle = Math.Sqrt(squaredAngle);
            var cos = Math.Cos(angle);
            var sin = Math.Sin(angle);
            var ux = rx / angle;
            var uy = ry / angle;
            var uz = rz / angle;
            var along = ((ux * x) + (uy * y) + (uz * z)) * (1.0 - cos);
            qx = (x * cos) + (((uy * z) - (uz * y)) * sin) + (ux * along);
            qy = (y * cos) + (((uz * x) - (ux * z)) * sin) + (uy * along);
            qz = (z * cos) + (((ux * y) - (uy * x)) * sin) + (uz * along);
        }
        else
        {
            qx = x + ((ry * z) - (rz * y));
            qy = y + ((rz * x) - (rx * z));
            qz = z + ((rx * y) - (ry * x));
        }

        var px = qx / qz;
        var py = qy / qz;
        var radius = (px * px) + (py * py);
        var distortion = 1.0 + (camera[9] * radius) + (camera[10] * radius * radius);
        return (weight * ((camera[6] * px * distortion) + camera[7] - feature[0]), weight * ((camera[6] * py * distortion) + camera[8] - feature[1]));
    }

    /// <summary>ADBench's weight error 1 − w², for the generator (one Jacobian entry, −2w).</summary>
#if GENERATED_BA
    [Differentiable]
#endif
    public static double WeightError(double weight) => 1.0 - (weight * weight);
}
