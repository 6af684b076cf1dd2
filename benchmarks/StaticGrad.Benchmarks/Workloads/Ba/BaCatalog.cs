using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>The BA instances by ADBench name (<c>ba1_n49_m7776_p31843</c>): read from the data folder, or generated with the same shape.</summary>
public static partial class BaCatalog
{
    /// <summary>The instances timed, smallest first (the three files in ../shared/adbench/ba).</summary>
    public static readonly string[] Benchmarked = ["ba1_n49_m7776_p31843", "ba2_n21_m11315_p36455", "ba5_n257_m65132_p225911"];

    /// <summary>The one instance --short times, so that the whole short suite stays within its budget.</summary>
    public static string ShortModeInstance => Benchmarked[0];

    /// <summary>Loads <paramref name="name"/> from <paramref name="dataDirectory"/>, or generates it when the folder is null.</summary>
    public static BaInstance Get(string name, string? dataDirectory)
    {
        if (dataDirectory is not null)
        {
            var path = Path.Combine(dataDirectory, "ba", name + ".txt");
            return File.Exists(path)
                ? BaInstance.Load(path)
                : throw new FileNotFoundException($"The ADBench BA file '{path}' does not exist.", path);
        }

        var match = NamePattern().Match(name);
        if (!match.Success)
        {
            throw new ArgumentException($"'{name}' is not an ADBench BA name like ba1_n49_m7776_p31843.", nameof(name));
        }

        int Group(string key) => int.Parse(match.Groups[key].Value, CultureInfo.InvariantCulture);
        return BaInstance.Generate("generated-" + name, Group("n"), Group("m"), Group("p"), seed: Group("index"));
    }

    [GeneratedRegex(@"^ba(?<index>\d+)_n(?<n>\d+)_m(?<m>\d+)_p(?<p>\d+)$")]
    private static partial Regex NamePattern();
}
