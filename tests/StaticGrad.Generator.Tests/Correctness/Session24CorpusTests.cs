using StaticGrad.Generator.Tests.Correctness.Harness;
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
    public void A_helper_taking_in_Vector3_is_accepted_and_agrees_with_its_by_value_rewrite()
    {
        // Session 25: 'in' parameters are read as values. TriangleAreaDistortion (its helper takes 'in Vector3') is checked
        // against finite differences with the rest of the corpus; here its value and gradient are its rewrite's, which
        // takes the vectors by value, bit for bit, at a point and with one vertex on an edge of the domain.
        var found = GeneratorHarness.Run(Session24DomainCorpus.GeometrySource).LocatedDiagnostics();
        Assert.True(found.All(d => d.Severity != "Error"), string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}")));
        var byReference = CorpusCompilation.Load("S24Geometry.TriangleAreaDistortion");
        var byValue = CorpusCompilation.Load("S24Geometry.TriangleAreaDistortionByValue");
        foreach (var coords in new[] { new[] { 0.3, 0.2, 0.1, 0.9, -0.4, 0.5, -0.2, 0.7, 0.3 }, new[] { 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0 } })
        {
            var point = new[] { coords };
            var (g1, g2) = (FiniteDifferenceCheck.Zeros(byReference.Method, point), FiniteDifferenceCheck.Zeros(byValue.Method, point));
            Assert.Equal(byValue.Backward(FiniteDifferenceCheck.Copy(point), g2, 1.0), byReference.Backward(FiniteDifferenceCheck.Copy(point), g1, 1.0));
            Assert.Equal(byValue.Primal(FiniteDifferenceCheck.Copy(point)), byReference.Primal(FiniteDifferenceCheck.Copy(point)));
            Assert.Equal(g2[0], g1[0]);
        }
    }
}
