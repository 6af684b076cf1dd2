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

    /// <summary>
    /// An ordinary value next to a special one (NaN, ±∞, an exp that overflows, a log of zero, a sine beyond the exact
    /// reduction) keeps the bits it has in a clean block, and the special value is exactly <see cref="Math"/>'s. Before
    /// the lane-by-lane fix-up a block holding a special value went to <see cref="Math"/> whole, 1 ulp away.
    /// </summary>
    [Theory]
    [MemberData(nameof(Functions))]
    public void AnOrdinaryValueNextToASpecialOneKeepsItsBits(string name)
    {
        var (kernel, low, high) = Function(name);
        double[] specials = name switch
        {
            "exp" or "sigmoid" => [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 800.0, -745.5],
            "log" => [double.NaN, double.PositiveInfinity, 0.0, -1.0, 1e-310],
            "tanh" => [double.NaN],
            _ => [double.NaN, double.PositiveInfinity, 1e7, -3e6],
        };
        Func<double, double> reference = name switch
        {
            "exp" => Math.Exp,
            "log" => Math.Log,
            "tanh" => Math.Tanh,
            "sin" => Math.Sin,
            "cos" => Math.Cos,
            _ => v => 1.0 / (1.0 + Math.Exp(-v)),
        };

        var random = new Random(20261205);
        var ordinary = new double[2000];
        for (int i = 0; i < ordinary.Length; i++)
        {
            ordinary[i] = low + ((high - low) * random.NextDouble());
        }

        var clean = new double[ordinary.Length];
        kernel(ordinary, clean);

        // Every span of 1 to 9 elements with one special value at every position: whole blocks and tails.
        int checkedOrdinary = 0;
        var x = new double[9];
        var d = new double[9];
        foreach (var special in specials)
        {
            for (int length = 1; length <= 9; length++)
            {
                for (int at = 0; at < length; at++)
                {
                    int first = random.Next(ordinary.Length - 9);
                    Array.Copy(ordinary, first, x, 0, length);
                    x[at] = special;
                    kernel(x.AsSpan(0, length), d.AsSpan(0, length));
                    for (int k = 0; k < length; k++)
                    {
                        double expected = k == at ? reference(special) : clean[first + k];
                        Assert.True(
                            BitConverter.DoubleToInt64Bits(d[k]) == BitConverter.DoubleToInt64Bits(expected) || (double.IsNaN(d[k]) && double.IsNaN(expected)),
                            $"{name}({x[k]:R}) at {k} of {length} next to {special:R} at {at}: {d[k]:R}, expected {expected:R}");
                        checkedOrdinary += k == at ? 0 : 1;
                    }
                }
            }
        }

        Assert.True(checkedOrdinary > 100 * specials.Length, $"{checkedOrdinary} ordinary values checked");
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
