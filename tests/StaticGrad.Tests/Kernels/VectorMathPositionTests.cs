namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>
/// A value gives the same bits whatever span it is computed in: the fused backward kernels run these functions row
/// by row and the composite forms over whole tensors, and the two must agree bit for bit (FusedBackwardTests).
/// </summary>
public class VectorMathPositionTests
{
    private delegate void Kernel(ReadOnlySpan<double> x, Span<double> d);

    public static TheoryData<string> Functions() => new() { "exp", "log", "tanh", "sin", "cos", "sigmoid" };

    private static (Kernel Kernel, double Low, double High) Function(string name) => name switch
    {
        "exp" => (VectorMath.Exp, -30.0, 30.0),
        "log" => (VectorMath.Log, 1e-3, 1e3),
        "tanh" => (VectorMath.Tanh, -5.0, 5.0),
        "sin" => (VectorMath.Sin, -20.0, 20.0),
        "cos" => (VectorMath.Cos, -20.0, 20.0),
        _ => (VectorMath.Sigmoid, -30.0, 30.0),
    };

    [Theory]
    [MemberData(nameof(Functions))]
    public void EveryElementOfEverySubspanHasTheBitsOfTheWholeArray(string name)
    {
        var (kernel, low, high) = Function(name);
        var random = new Random(20261204);
        var x = new double[4003];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = low + ((high - low) * random.NextDouble());
        }

        var whole = new double[x.Length];
        kernel(x, whole);

        // Spans of 1 to 9 elements at every offset: each element is a tail element (the last one to three) of some
        // of them and inside a whole block of others.
        var part = new double[9];
        for (int length = 1; length <= 9; length++)
        {
            for (int start = 0; start + length <= x.Length; start += length)
            {
                kernel(x.AsSpan(start, length), part.AsSpan(0, length));
                for (int k = 0; k < length; k++)
                {
                    Assert.True(
                        BitConverter.DoubleToInt64Bits(part[k]) == BitConverter.DoubleToInt64Bits(whole[start + k]),
                        $"{name}({x[start + k]:R}) at {k} of a span of {length}: {part[k]:R}, in the whole array {whole[start + k]:R}");
                }
            }
        }
    }

    [Fact]
    public void ATailComputedInPlaceReadsItsInputsBeforeWriting()
    {
        double[] x = [0.5, -1.25, 2.0, 3.5, -0.75, 1.5];
        var expected = new double[x.Length];
        VectorMath.Exp(x, expected);
        VectorMath.Exp(x, x);
        Assert.Equal(expected, x);
    }
}
