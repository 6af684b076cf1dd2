using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Session 23's, 24's and 25's domain corpora at the points its methods name besides their domain (CorpusGradientTests draws the
/// domain points): <c>// near:</c> next to a branch of the user's code, <c>// edge:</c> an adversarial point (huge or
/// tiny magnitudes, all-equal or zero arrays, a saturated clamp), each checked against central finite differences
/// with <see cref="FiniteDifferenceCheck"/>'s tolerances (double 1e-6 relative plus the rounding bound, float
/// 2e-3); and <c>// throws:</c>, where the backward must throw the user's exception, with its message, before
/// writing any adjoint.
/// </summary>
public sealed class Session23CorpusPointTests
{
    private static readonly string[] Labels = { "near", "edge" };

    /// <summary>The type-name prefix of each session's domain corpus.</summary>
    private static readonly string[] Sessions = { "S23", "S24", "S25" };

    private static IEnumerable<MethodUnderTest> DomainMethods => CorpusSources.Methods.Where(m => Sessions.Any(s => m.TypeName.StartsWith(s, StringComparison.Ordinal)));

    public static TheoryData<string, string> NamedPoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var m in DomainMethods.Where(m => !UnsupportedByCompiler.Functions.ContainsKey(m.Key)))
        {
            foreach (var label in Labels)
            {
                data.Add(m.Key, label);
            }
        }

        return data;
    }

    public static TheoryData<string> ThrowingPoints()
    {
        var data = new TheoryData<string>();
        foreach (var m in DomainMethods.Where(m => !UnsupportedByCompiler.Functions.ContainsKey(m.Key) && PointLine(m, "throws") is not null))
        {
            data.Add(m.Key);
        }

        return data;
    }

    [Theory]
    [InlineData("S23")]
    [InlineData("S24")]
    [InlineData("S25")]
    public void The_corpus_has_seventy_functions_each_with_a_point_near_a_branch_and_an_adversarial_one(string session)
    {
        var methods = DomainMethods.Where(m => m.TypeName.StartsWith(session, StringComparison.Ordinal)).ToList();
        Assert.True(methods.Count >= 70, $"{methods.Count} functions.");
        Assert.All(methods, m => Assert.All(Labels, label => Assert.True(PointLine(m, label) is not null, $"{m.Key} names no '{label}' point.")));
        var throwing = methods.Count(m => !UnsupportedByCompiler.Functions.ContainsKey(m.Key) && PointLine(m, "throws") is not null);
        Assert.True(throwing >= 8, $"Too few functions keep a user exception: {throwing}.");
    }

    [Theory]
    [MemberData(nameof(NamedPoints))]
    public void Gradient_matches_central_differences_at_the_named_point(string key, string label)
    {
        var loaded = CorpusCompilation.Load(key);
        var point = Point(loaded.Method, PointLine(loaded.Method, label)!, CorpusGradientTests.StableSeed(key + label));
        var check = new FiniteDifferenceCheck(loaded);
        check.CheckAgainstFiniteDifferences(point);
        Assert.True(check.Problems.Count == 0, $"{key} at its '{label}' point:\n{check.Report()}");
        Assert.True(check.Compared > 0 || !loaded.Method.Differentiable.Any(), $"{key}: nothing was compared.");
    }

    [Theory]
    [MemberData(nameof(ThrowingPoints))]
    public void Backward_throws_the_users_exception_at_the_named_point(string key)
    {
        var method = CorpusSources.Find(key);
        var point = Point(method, PointLine(method, "throws")!, CorpusGradientTests.StableSeed(key + "throws"));
        Session20ExceptionTests.AssertBackwardThrowsWhatTheMethodThrows(key, point.SelectMany(v => v).ToArray());
    }

    /// <summary>The text after <c>// label:</c> above the method, or null.</summary>
    private static string? PointLine(MethodUnderTest method, string label) =>
        method.SourceText.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("// " + label + ":", StringComparison.Ordinal))?[(label.Length + 4)..];

    /// <summary>A point drawn from the domain, then overridden by the line's <c>name=v</c> (every element) and <c>name[i]=v</c> items, in order.</summary>
    private static double[][] Point(MethodUnderTest method, string line, int seed)
    {
        var point = FiniteDifferenceCheck.DrawPoint(method, new Random(seed));
        foreach (var item in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var name = item[..eq];
            var value = double.Parse(item[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            var index = -1;
            if (name.IndexOf('[', StringComparison.Ordinal) is var bracket and > 0)
            {
                index = int.Parse(name[(bracket + 1)..^1], CultureInfo.InvariantCulture);
                name = name[..bracket];
            }

            var p = method.Parameters.Select((q, i) => (q, i)).Single(t => t.q.Name == name);
            var values = point[p.i];
            for (var j = 0; j < values.Length; j++)
            {
                if (index < 0 || index == j)
                {
                    values[j] = p.q.IsSinglePrecision ? (float)value : value;
                }
            }
        }

        return point;
    }
}
