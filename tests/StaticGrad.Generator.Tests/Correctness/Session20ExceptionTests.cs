using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// The exceptions session 20's findings corpus throws outside its drawn domains: the backward must throw what the
/// method throws (type and message) in its primal sweep, for an enum cast that reaches
/// the <c>default</c> of a switch, an out-of-range read inside a <c>foreach</c> over a static readonly table, and an
/// out-of-range read of a local tuple array.
/// </summary>
public sealed class Session20ExceptionTests
{
    [Theory]
    [InlineData("S20Findings.EnumCastThrows", new[] { 0.7, 3.0 })]
    [InlineData("S20Findings.ForEachTableThrows", new[] { 0.7, 2.0 })]
    [InlineData("S20Findings.ForEachTableThrows", new[] { -1.3, 4.0 })]
    [InlineData("S20Findings.TupleArrayOutOfRange", new[] { 0.1, 0.2, 0.3, 4.0 })]
    public void Backward_throws_what_the_method_throws(string key, double[] flat) => AssertBackwardThrowsWhatTheMethodThrows(key, flat);

    /// <summary>The backward at the point (<paramref name="flat"/>, split by the parameters' shapes) throws the primal's exception, before any adjoint is written.</summary>
    internal static void AssertBackwardThrowsWhatTheMethodThrows(string key, double[] flat)
    {
        var loaded = CorpusCompilation.Load(key);
        var point = Split(loaded.Method, flat);
        var expected = Record.Exception(() => loaded.Primal(FiniteDifferenceCheck.Copy(point)));
        Assert.NotNull(expected);
        var adjoints = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        var actual = Record.Exception(() => loaded.Backward(FiniteDifferenceCheck.Copy(point), adjoints, 1.0));
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);

        // Thrown in the primal sweep, as the method throws it: before the reverse sweep wrote any adjoint.
        Assert.All(adjoints, a => Assert.All(a, v => Assert.Equal(0.0, v)));
    }

    /// <summary>The flat values in parameter order, each parameter taking as many as its shape holds.</summary>
    internal static double[][] Split(MethodUnderTest method, double[] flat)
    {
        var result = new List<double[]>();
        var at = 0;
        foreach (var p in method.Parameters)
        {
            var count = p.IsSequence ? p.Length : 1;
            result.Add(flat[at..(at + count)]);
            at += count;
        }

        Assert.Equal(flat.Length, at);
        return result.ToArray();
    }
}
