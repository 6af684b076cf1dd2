using System.Globalization;

namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>
/// One ADBench Gaussian mixture problem: the parameters differentiated (alphas, means, icf) and the data (points,
/// Wishart prior). Arrays are flat and row-major: means is K×D, icf is K×(D + D(D−1)/2), x is N×D.
/// </summary>
public sealed class GmmInstance
{
    public GmmInstance(string name, int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double wishartGamma, int wishartM)
    {
        if (d <= 0 || k <= 0 || n <= 0)
        {
            throw new ArgumentException($"GMM sizes must be positive, got D={d}, K={k}, N={n}.");
        }

        CheckLength(nameof(alphas), alphas, k);
        CheckLength(nameof(means), means, k * d);
        CheckLength(nameof(icf), icf, k * (d * (d + 1) / 2));
        CheckLength(nameof(x), x, n * d);
        (Name, D, K, N, Alphas, Means, Icf, X, WishartGamma, WishartM) = (name, d, k, n, alphas, means, icf, x, wishartGamma, wishartM);
    }

    /// <summary>The file name without extension (e.g. <c>gmm_d2_K5</c>), prefixed by the set (<c>1k/</c>), or "generated…".</summary>
    public string Name { get; }

    public int D { get; }

    public int K { get; }

    public int N { get; }

    public double[] Alphas { get; }

    public double[] Means { get; }

    public double[] Icf { get; }

    public double[] X { get; }

    public double WishartGamma { get; }

    public int WishartM { get; }

    /// <summary>Entries per component in <see cref="Icf"/>: D log-diagonal entries, then the strict lower triangle.</summary>
    public int IcfSize => D * (D + 1) / 2;

    /// <summary>Number of differentiated parameters: K + K·D + K·D(D+1)/2 (30 for D=2, K=5).</summary>
    public int ParameterCount => K + (K * D) + (K * IcfSize);

    /// <summary>Reads the ADBench text format described in ../shared/adbench/README.md.</summary>
    public static GmmInstance Load(string path)
    {
        var tokens = new TokenReader(File.ReadAllText(path), path);
        var d = tokens.NextInt();
        var k = tokens.NextInt();
        var n = tokens.NextInt();
        var alphas = tokens.NextDoubles(k);
        var means = tokens.NextDoubles(k * d);
        var icf = tokens.NextDoubles(k * (d * (d + 1) / 2));
        var x = tokens.NextDoubles(n * d);
        var gamma = tokens.NextDouble();
        var m = tokens.NextInt();
        tokens.ExpectEnd();
        var set = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)));
        return new GmmInstance(set + "/" + Path.GetFileNameWithoutExtension(path), d, k, n, alphas, means, icf, x, gamma, m);
    }

    /// <summary>
    /// A reproducible instance with ADBench's shapes and distributions (alphas, icf and points standard normal,
    /// means uniform in [0, 1), γ = 1, m = 0), for clones without the ADBench files.
    /// </summary>
    public static GmmInstance Generate(int d, int k, int n, int seed)
    {
        var random = new Random(seed);
        var alphas = Normals(random, k);
        var means = new double[k * d];
        for (var i = 0; i < means.Length; i++)
        {
            means[i] = random.NextDouble();
        }

        var icf = Normals(random, k * (d * (d + 1) / 2));
        var x = Normals(random, n * d);
        var set = n % 1000 == 0 ? (n / 1000).ToString(CultureInfo.InvariantCulture) + "k" : n.ToString(CultureInfo.InvariantCulture);
        return new GmmInstance($"generated-{set}/gmm_d{d}_K{k}", d, k, n, alphas, means, icf, x, 1.0, 0);
    }

    /// <summary>Writes the instance in the ADBench text format (what <see cref="Load"/> reads).</summary>
    public void Save(TextWriter writer)
    {
        writer.WriteLine(FormattableString.Invariant($"{D} {K} {N}"));
        foreach (var alpha in Alphas)
        {
            writer.WriteLine(alpha.ToString("R", CultureInfo.InvariantCulture));
        }

        WriteRows(writer, Means, D);
        WriteRows(writer, Icf, IcfSize);
        WriteRows(writer, X, D);
        writer.WriteLine(FormattableString.Invariant($"{WishartGamma:R} {WishartM}"));
    }

    /// <summary>Standard normal samples by Box–Muller, so that the stream depends only on the seed.</summary>
    public static double[] Normals(Random random, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i += 2)
        {
            var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var angle = 2.0 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < count)
            {
                values[i + 1] = radius * Math.Sin(angle);
            }
        }

        return values;
    }

    private static void WriteRows(TextWriter writer, double[] values, int width)
    {
        for (var row = 0; row < values.Length / width; row++)
        {
            writer.WriteLine(string.Join(" ", values.Skip(row * width).Take(width).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
    }

    private static void CheckLength(string name, double[] values, int expected)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException($"GMM {name} must have {expected} entries, got {values.Length}.", name);
        }
    }

    /// <summary>Whitespace-separated numbers with a located error for malformed files.</summary>
    private sealed class TokenReader(string text, string path)
    {
        private int _position;

        public int NextInt()
        {
            var token = Next("an integer");
            return int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"{path}: expected an integer at offset {_position}, found '{token}'.");
        }

        public double NextDouble()
        {
            var token = Next("a number");
            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"{path}: expected a number at offset {_position}, found '{token}'.");
        }

        public double[] NextDoubles(int count)
        {
            var values = new double[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = NextDouble();
            }

            return values;
        }

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (_position != text.Length)
            {
                throw new FormatException($"{path}: unexpected data after the Wishart prior at offset {_position}.");
            }
        }

        private string Next(string what)
        {
            SkipWhitespace();
            if (_position == text.Length)
            {
                throw new FormatException($"{path}: the file ends where {what} was expected.");
            }

            var start = _position;
            while (_position < text.Length && !char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }

            return text[start.._position];
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
