using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>The GMM instances by ADBench name (<c>1k/gmm_d2_K5</c>): read from the data folder, or generated with the same shape.</summary>
public static partial class GmmCatalog
{
    /// <summary>The instances timed, smallest first: the four with reference values in the README.</summary>
    public static readonly string[] Benchmarked = ["1k/gmm_d2_K5", "1k/gmm_d10_K25", "1k/gmm_d64_K10", "10k/gmm_d10_K25"];

    /// <summary>Reference objectives from ../shared/adbench/README.md (JAX and PyTorch agree to 1e-15).</summary>
    public static readonly IReadOnlyDictionary<string, double> ReferenceObjectives = new Dictionary<string, double>
    {
        ["1k/gmm_d2_K5"] = -5240.590562549577,
        ["1k/gmm_d10_K25"] = -25649.6526211973,
        ["1k/gmm_d64_K10"] = -1171496.2872845693,
        ["10k/gmm_d10_K25"] = -290193.38797503925,
    };

    /// <summary>Loads <paramref name="name"/> from <paramref name="dataDirectory"/>, or generates it when the folder is null.</summary>
    public static GmmInstance Get(string name, string? dataDirectory)
    {
        if (dataDirectory is not null)
        {
            var path = Path.Combine(dataDirectory, "gmm", name + ".txt");
            return File.Exists(path)
                ? GmmInstance.Load(path)
                : throw new FileNotFoundException($"The ADBench GMM file '{path}' does not exist.", path);
        }

        var match = NamePattern().Match(name);
        if (!match.Success)
        {
            throw new ArgumentException($"'{name}' is not an ADBench GMM name like 1k/gmm_d2_K5.", nameof(name));
        }

        var n = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) * 1000;
        var d = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        var k = int.Parse(match.Groups["k"].Value, CultureInfo.InvariantCulture);
        return GmmInstance.Generate(d, k, n, seed: (1000 * d) + k);
    }

    [GeneratedRegex(@"^(?<n>\d+)k/gmm_d(?<d>\d+)_K(?<k>\d+)$")]
    private static partial Regex NamePattern();
}
