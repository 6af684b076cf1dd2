namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// The BA Jacobian derived and written by hand, the limit the generated code is measured against. Per observation,
/// with Xo = X − C, q = R(r)·Xo, p = (q_x, q_y)/q_z, ρ = ‖p‖², L = 1 + k₁ρ + k₂ρ², residual e = w(f·L·p + x0 − feature):
/// <list type="bullet">
/// <item>∂e/∂q = w·f·(L·I + 2(k₁ + 2k₂ρ)·p pᵀ)·(1/q_z)[I | −p], a 2×3 matrix whose row a is shared by every entry of
/// its residual row;</item>
/// <item>∂e/∂X = a·R = cos θ·a + sin θ·(a × u) + (1 − cos θ)(a·u)·u with u = r/θ, and ∂e/∂C = −∂e/∂X;</item>
/// <item>∂e/∂r = (a·∂q/∂θ)·u + (b − (b·u)·u)/θ, with ∂q/∂θ = −sin θ·Xo + cos θ·(u × Xo) + sin θ·(u·Xo)·u and
/// b = sin θ·(Xo × a) + (1 − cos θ)((a·u)·Xo + (u·Xo)·a) (chain rule through θ = ‖r‖ and u = r/θ, whose Jacobian
/// is (I − u uᵀ)/θ); for r = 0 (q = Xo + r × Xo) they are a + a × r and Xo × a;</item>
/// <item>∂e/∂f = w·L·p, ∂e/∂x0 = w, ∂e/∂k = w·f·p·(ρ, ρ²), ∂e/∂w = f·L·p + x0 − feature; the weight error's is −2w.</item>
/// </list>
/// One pass per observation computes the rotation once and both rows from it.
/// </summary>
public static class BaHandJacobian
{
    /// <summary>Writes every value of <paramref name="jacobian"/> and the residuals it was evaluated at.</summary>
    public static void Fill(BaInstance instance, BaJacobian jacobian)
    {
        var p = instance.P;
        var residuals = jacobian.Residuals;
        for (var i = 0; i < p; i++)
        {
            Observation(instance.Camera(i), instance.Point(i), instance.Weights[i], instance.Feature(i), jacobian.ReprojectionRow(i, 0), jacobian.ReprojectionRow(i, 1), residuals.AsSpan(2 * i, 2));
        }

        for (var i = 0; i < p; i++)
        {
            var weight = instance.Weights[i];
            residuals[(2 * p) + i] = 1.0 - (weight * weight);
            jacobian.WeightErrorEntry(i) = -2.0 * weight;
        }
    }

    private static void Observation(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight, ReadOnlySpan<double> feature, Span<double> rowX, Span<double> rowY, Span<double> residual)
    {
        double x = point[0] - camera[3], y = point[1] - camera[4], z = point[2] - camera[5];
        double rx = camera[0], ry = camera[1], rz = camera[2];
        var squaredAngle = (rx * rx) + (ry * ry) + (rz * rz);
        var smallAngle = squaredAngle == 0.0;

        // Rotation: q = cos·Xo + sin·(u × Xo) + (1 − cos)(u·Xo)·u, or Xo + r × Xo when r = 0.
        double angle = 0.0, cos = 1.0, sin = 0.0, ux = 0.0, uy = 0.0, uz = 0.0, dot = 0.0, crossX, crossY, crossZ, qx, qy, qz;
        if (!smallAngle)
        {
            angle = Math.Sqrt(squaredAngle);
            (sin, cos) = Math.SinCos(angle);
            var inverse = 1.0 / angle;
            ux = rx * inverse;
            uy = ry * inverse;
            uz = rz * inverse;
            dot = (ux * x) + (uy * y) + (uz * z);
            crossX = (uy * z) - (uz * y);
            crossY = (uz * x) - (ux * z);
            crossZ = (ux * y) - (uy * x);
            var along = dot * (1.0 - cos);
            qx = (x * cos) + (crossX * sin) + (ux * along);
            qy = (y * cos) + (crossY * sin) + (uy * along);
            qz = (z * cos) + (crossZ * sin) + (uz * along);
        }
        else
        {
            crossX = (ry * z) - (rz * y);
            crossY = (rz * x) - (rx * z);
            crossZ = (rx * y) - (ry * x);
            qx = x + crossX;
            qy = y + crossY;
            qz = z + crossZ;
        }

        // Projection, distortion and the residuals.
        var inverseDepth = 1.0 / qz;
        double px = qx * inverseDepth, py = qy * inverseDepth;
        var radius = (px * px) + (py * py);
        double k1 = camera[9], k2 = camera[10], focal = camera[6];
        var distortion = 1.0 + (k1 * radius) + (k2 * radius * radius);
        double ex = (focal * px * distortion) + camera[7] - feature[0], ey = (focal * py * distortion) + camera[8] - feature[1];
        residual[0] = weight * ex;
        residual[1] = weight * ey;

        // ∂(w·f·L·p)/∂p = s·(L·I + t·p pᵀ) with s = w·f, t = 2(k₁ + 2k₂ρ); times ∂p/∂q = (1/q_z)[I | −p] gives the
        // row a = ∂e/∂q of each residual, from which the rotation and point parts follow.
        var slope = 2.0 * (k1 + (2.0 * k2 * radius));
        var scale = weight * focal * inverseDepth;
        var mixed = scale * slope * px * py;
        for (var coordinate = 0; coordinate < 2; coordinate++)
        {
            var row = coordinate == 0 ? rowX : rowY;
            var own = coordinate == 0 ? px : py;
            var ax = coordinate == 0 ? scale * (distortion + (slope * px * px)) : mixed;
            var ay = coordinate == 0 ? mixed : scale * (distortion + (slope * py * py));
            var az = -((ax * px) + (ay * py));
            double dXx, dXy, dXz, drx, dry, drz;
            if (!smallAngle)
            {
                var aU = (ax * ux) + (ay * uy) + (az * uz);
                var aXo = (ax * x) + (ay * y) + (az * z);
                var aCross = (ax * crossX) + (ay * crossY) + (az * crossZ);
                var oneMinusCos = 1.0 - cos;

                // a·R.
                var alongU = oneMinusCos * aU;
                dXx = (cos * ax) + (sin * ((ay * uz) - (az * uy))) + (alongU * ux);
                dXy = (cos * ay) + (sin * ((az * ux) - (ax * uz))) + (alongU * uy);
                dXz = (cos * az) + (sin * ((ax * uy) - (ay * ux))) + (alongU * uz);

                // a·∂q/∂r through θ (along u) and through u (projected orthogonally to u, over θ).
                var dAngle = (-sin * aXo) + (cos * aCross) + (sin * dot * aU);
                var bx = (sin * ((y * az) - (z * ay))) + (oneMinusCos * ((aU * x) + (dot * ax)));
                var by = (sin * ((z * ax) - (x * az))) + (oneMinusCos * ((aU * y) + (dot * ay)));
                var bz = (sin * ((x * ay) - (y * ax))) + (oneMinusCos * ((aU * z) + (dot * az)));
                var bU = (sin * aCross) + (2.0 * oneMinusCos * dot * aU);
                var inverseAngle = 1.0 / angle;
                drx = (dAngle * ux) + ((bx - (bU * ux)) * inverseAngle);
                dry = (dAngle * uy) + ((by - (bU * uy)) * inverseAngle);
                drz = (dAngle * uz) + ((bz - (bU * uz)) * inverseAngle);
            }
            else
            {
                dXx = ax + ((ay * rz) - (az * ry));
                dXy = ay + ((az * rx) - (ax * rz));
                dXz = az + ((ax * ry) - (ay * rx));
                drx = (y * az) - (z * ay);
                dry = (z * ax) - (x * az);
                drz = (x * ay) - (y * ax);
            }

            row[0] = drx;
            row[1] = dry;
            row[2] = drz;
            row[3] = -dXx;
            row[4] = -dXy;
            row[5] = -dXz;
            row[6] = weight * distortion * own;
            row[7] = coordinate == 0 ? weight : 0.0;
            row[8] = coordinate == 0 ? 0.0 : weight;
            var distortionScale = weight * focal * own * radius;
            row[9] = distortionScale;
            row[10] = distortionScale * radius;
            row[11] = dXx;
            row[12] = dXy;
            row[13] = dXz;
            row[14] = coordinate == 0 ? ex : ey;
        }
    }
}
