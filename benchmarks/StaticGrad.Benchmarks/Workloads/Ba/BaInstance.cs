using System.Globalization;

namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// One ADBench bundle-adjustment problem: n cameras of 11 parameters (rotation 3, center 3, focal 1, principal point 2,
/// radial distortion 2), m 3-D points, and p observations, each with its weight and 2-D feature. Observation i sees
/// camera <see cref="Observations"/>[2i] and point <see cref="Observations"/>[2i + 1]. Arrays are flat and row-major.
/// </summary>
public sealed class BaInstance
{
    /// <summary>Parameters per camera.</summary>
    public const int CameraSize = 11;

    public BaInstance(string name, int n, int m, int p, double[] cameras, double[] points, double[] weights, int[] observations, double[] features)
    {
        if (n <= 0 || m <= 0 || p <= 0)
        {
            throw new ArgumentException($"BA sizes must be positive, got n={n}, m={m}, p={p}.");
        }

        CheckLength(nameof(cameras), cameras.Length, CameraSize * n);
        CheckLength(nameof(points), points.Length, 3 * m);
        CheckLength(nameof(weights), weights.Length, p);
        CheckLength(nameof(observations), observations.Length, 2 * p);
        CheckLength(nameof(features), features.Length, 2 * p);
        for (var i = 0; i < p; i++)
        {
            if ((uint)observations[2 * i] >= (uint)n || (uint)observations[(2 * i) + 1] >= (uint)m)
            {
                throw new ArgumentException($"Observation {i} refers to camera {observations[2 * i]} or point {observations[(2 * i) + 1]}, outside n={n}, m={m}.", nameof(observations));
            }
        }

        (Name, N, M, P, Cameras, Points, Weights, Observations, Features) = (name, n, m, p, cameras, points, weights, observations, features);
    }

    /// <summary>The ADBench file name without extension (<c>ba1_n49_m7776_p31843</c>), or "generated-…".</summary>
    public string Name { get; }

    /// <summary>Number of cameras.</summary>
    public int N { get; }

    /// <summary>Number of points.</summary>
    public int M { get; }

    /// <summary>Number of observations.</summary>
    public int P { get; }

    public double[] Cameras { get; }

    public double[] Points { get; }

    public double[] Weights { get; }

    public int[] Observations { get; }

    public double[] Features { get; }

    /// <summary>Columns of the Jacobian: 11n camera parameters, 3m point coordinates, p weights (ADBench's order).</summary>
    public int ParameterCount => (CameraSize * N) + (3 * M) + P;

    /// <summary>Rows of the Jacobian: 2p reprojection errors, then p weight errors.</summary>
    public int ResidualCount => 3 * P;

    public ReadOnlySpan<double> Camera(int observation) => Cameras.AsSpan(CameraSize * Observations[2 * observation], CameraSize);

    public ReadOnlySpan<double> Point(int observation) => Points.AsSpan(3 * Observations[(2 * observation) + 1], 3);

    public ReadOnlySpan<double> Feature(int observation) => Features.AsSpan(2 * observation, 2);

    /// <summary>
    /// Reads the ADBench format (../shared/adbench/README.md): <c>n m p</c>, then one camera, one point, one weight and
    /// one feature, replicated as ADBench's reader does (observation i uses camera i mod n and point i mod m).
    /// </summary>
    public static BaInstance Load(string path)
    {
        var tokens = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var position = 0;
        string Next(string what) => position < tokens.Length
            ? tokens[position++]
            : throw new FormatException($"{path}: the file ends where {what} was expected.");
        int NextInt() => int.TryParse(Next("an integer"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"{path}: token {position} is not an integer.");
        double NextDouble() => double.TryParse(Next("a number"), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException($"{path}: token {position} is not a number.");

        int n = NextInt(), m = NextInt(), p = NextInt();
        var camera = new double[CameraSize];
        for (var j = 0; j < CameraSize; j++)
        {
            camera[j] = NextDouble();
        }

        double[] point = [NextDouble(), NextDouble(), NextDouble()];
        var weight = NextDouble();
        double[] feature = [NextDouble(), NextDouble()];
        if (position != tokens.Length)
        {
            throw new FormatException($"{path}: unexpected data after the feature (token {position}).");
        }

        var cameras = new double[CameraSize * n];
        for (var i = 0; i < n; i++)
        {
            camera.CopyTo(cameras, CameraSize * i);
        }

        var points = new double[3 * m];
        for (var i = 0; i < m; i++)
        {
            point.CopyTo(points, 3 * i);
        }

        var features = new double[2 * p];
        for (var i = 0; i < p; i++)
        {
            feature.CopyTo(features, 2 * i);
        }

        var weights = new double[p];
        Array.Fill(weights, weight);
        return new BaInstance(Path.GetFileNameWithoutExtension(path), n, m, p, cameras, points, weights, CyclicObservations(n, m, p), features);
    }

    /// <summary>
    /// A reproducible instance of ADBench's shape with a different value per camera, point, weight and feature (so
    /// that an index mix-up cannot hide behind replicated values): small rotations, centers behind the points along
    /// z, focal lengths of a few hundred pixels, mild distortion, features within a few pixels of the projections.
    /// With <paramref name="zeroRotationCamera"/>, camera 0 has rotation exactly 0 (Rodrigues' small-angle branch).
    /// </summary>
    public static BaInstance Generate(string name, int n, int m, int p, int seed, bool zeroRotationCamera = false)
    {
        var random = new Random(seed);
        double Uniform(double low, double high) => low + ((high - low) * random.NextDouble());
        var cameras = new double[CameraSize * n];
        for (var c = 0; c < n; c++)
        {
            var camera = cameras.AsSpan(CameraSize * c, CameraSize);
            for (var j = 0; j < 3; j++)
            {
                camera[j] = zeroRotationCamera && c == 0 ? 0.0 : Uniform(-0.3, 0.3);
            }

            camera[3] = Uniform(-5.0, 5.0);
            camera[4] = Uniform(-5.0, 5.0);
            camera[5] = Uniform(-40.0, -20.0);
            camera[6] = Uniform(300.0, 600.0);
            camera[7] = Uniform(-10.0, 10.0);
            camera[8] = Uniform(-10.0, 10.0);
            camera[9] = Uniform(-0.1, 0.1);
            camera[10] = Uniform(-0.01, 0.01);
        }

        var points = new double[3 * m];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = Uniform(-5.0, 5.0);
        }

        var weights = new double[p];
        for (var i = 0; i < p; i++)
        {
            weights[i] = Uniform(0.2, 1.0);
        }

        var observations = CyclicObservations(n, m, p);
        var features = new double[2 * p];
        Span<double> projection = stackalloc double[2];
        for (var i = 0; i < p; i++)
        {
            BaObjective.Project(cameras.AsSpan(CameraSize * observations[2 * i], CameraSize), points.AsSpan(3 * observations[(2 * i) + 1], 3), projection);
            features[2 * i] = projection[0] + Uniform(-3.0, 3.0);
            features[(2 * i) + 1] = projection[1] + Uniform(-3.0, 3.0);
        }

        return new BaInstance(name, n, m, p, cameras, points, weights, observations, features);
    }

    private static int[] CyclicObservations(int n, int m, int p)
    {
        var observations = new int[2 * p];
        for (var i = 0; i < p; i++)
        {
            observations[2 * i] = i % n;
            observations[(2 * i) + 1] = i % m;
        }

        return observations;
    }

    private static void CheckLength(string name, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"BA {name} must have {expected} entries, got {actual}.", name);
        }
    }
}
