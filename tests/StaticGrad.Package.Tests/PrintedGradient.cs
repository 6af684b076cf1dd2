using System.Globalization;

namespace StaticGrad.Package.Tests;

/// <summary>
/// One line the consumer program printed: <c>name: value=v grad=g1;g2 fd=f1;f2</c>, the generated gradient and
/// the central finite difference of the same function at the same point.
/// </summary>
internal sealed record PrintedGradient(string Name, double[] Gradient, double[] FiniteDifference)
{
    public static PrintedGradient Find(string output, string name)
    {
        var line = output.Split('\n').Select(l => l.Trim()).SingleOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"the consumer printed no '{name}' line:\n{output}");
        var fields = line[(name.Length + 2)..].Split(' ').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        return new PrintedGradient(name, Numbers(fields["grad"]), Numbers(fields["fd"]));
    }

    public static void AssertClose(PrintedGradient printed, double relativeTolerance, double absoluteTolerance)
    {
        Assert.Equal(printed.FiniteDifference.Length, printed.Gradient.Length);
        for (var i = 0; i < printed.Gradient.Length; i++)
        {
            var (g, fd) = (printed.Gradient[i], printed.FiniteDifference[i]);
            Assert.True(
                Math.Abs(g - fd) <= absoluteTolerance + relativeTolerance * Math.Abs(fd),
                $"{printed.Name}[{i}]: generated {g.ToString("R", CultureInfo.InvariantCulture)}, finite difference {fd.ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    private static double[] Numbers(string text) =>
        text.Split(';').Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
