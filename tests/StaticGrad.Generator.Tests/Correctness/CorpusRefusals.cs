using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>The refusal contract a domain corpus's refused function is held to: ONE located error, in the user's words.</summary>
internal static class CorpusRefusals
{
    /// <summary>
    /// The source <paramref name="field"/> of <paramref name="corpus"/> (a corpus source holding exactly one refused
    /// method) gets one error: <paramref name="id"/>, its message containing <paramref name="fragment"/>, located at
    /// the source text <paramref name="located"/>.
    /// </summary>
    public static void AssertOneLocatedError(Type corpus, string field, string id, string fragment, string located)
    {
        var text = (string)corpus.GetField(field)!.GetValue(null)!;
        var found = GeneratorHarness.Run(text).LocatedDiagnostics();
        var errors = found.Where(d => d.Severity == "Error").ToList();
        Assert.True(errors.Count == 1, string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}")));
        Assert.Equal(id, errors[0].Id);
        Assert.Contains(fragment, errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(located, errors[0].Text);
    }
}
