using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// What session 24's domain corpus found refused, each as ONE located error in the user's words saying what to write
/// instead (the rewrite is a corpus function next to it, checked against finite differences): an object of a class
/// created in the body and its [Differentiable] instance method called, a helper taking <c>in Vector3</c>, a span
/// window or slice of a parameter array. (Kepler's fixed point with <c>while (++n &lt; 100)</c>, refused when the corpus was
/// written, is lowered since loop24 and checked with the rest.) Each of these corpus sources holds exactly one refused
/// method, so every error the generator reports on the source is that method's.
/// </summary>
public sealed class Session24CorpusTests
{
    [Theory]
    [InlineData(nameof(Session24DomainCorpus.BiologySource), "SG1002", "locals of type 'Corpus.S24PopulationModel' are not supported", "model = new S24PopulationModel()")]
    [InlineData(nameof(Session24DomainCorpus.GameSource), "SG1002", "locals of type 'Corpus.S24Launcher' are not supported", "launcher = new S24Launcher()")]
    [InlineData(nameof(Session24DomainCorpus.ElectricalSource), "SG1002", "calls of instance methods on other objects are not supported", "new S24Transformer().Efficiency(load, powerFactor)")]
    [InlineData(nameof(Session24DomainCorpus.AudioSource), "SG1010", "Local array 'window' is not created with 'new T[n]'", "window = signal.AsSpan(i, Taps.Length)")]
    [InlineData(nameof(Session24DomainCorpus.PharmacologySource), "SG1010", "Local array 'inner' is not created with 'new T[n]'", "inner = concentrations.AsSpan(1, concentrations.Length - 2)")]
    public void Refusal_is_one_located_error_in_the_users_words(string source, string id, string fragment, string located) =>
        CorpusRefusals.AssertOneLocatedError(typeof(Session24DomainCorpus), source, id, fragment, located);

    [Fact]
    public void A_helper_taking_in_Vector3_is_refused_for_the_reference_not_for_its_type()
    {
        // TriangleAreaDistortion gets one error, at the first argument it passes to 'Area'; the helper itself one per
        // 'in' parameter, saying the reference is what is refused (session 24: it said Vector3 was not supported).
        var found = GeneratorHarness.Run(Session24DomainCorpus.GeometrySource).LocatedDiagnostics();
        var errors = found.Where(d => d.Severity == "Error").ToList();
        var report = string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}"));
        Assert.True(errors.Count == 4, report);
        Assert.Single(errors, e => e.Id == "SG1002" && e.Text == "a" && e.Message.Contains("declare the parameter as a value, 'System.Numerics.Vector3 a'", StringComparison.Ordinal));
        var parameters = errors.Where(e => e.Id == "SG1004").ToList();
        Assert.Equal(new[] { "a", "b", "c" }, parameters.Select(e => e.Text));
        Assert.All(parameters, e => Assert.Contains("'in' parameters are not supported", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Message.Contains("is not supported; use double", StringComparison.Ordinal));
    }
}
