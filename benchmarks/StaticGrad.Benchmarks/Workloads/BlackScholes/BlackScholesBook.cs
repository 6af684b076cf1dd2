namespace StaticGrad.Benchmarks.Workloads.BlackScholes;

/// <summary>
/// A book of calls on one underlying (S = 100, σ = 0.2, r = 3 %) with strikes in 80–130 and maturities of 0.25–2 years
/// drawn at random (seed 2026): the Greeks a risk run computes, in no order of moneyness, so that d1 and d2 change sign
/// from one option to the next as they do in a portfolio (Φ branches on the sign). The single option of
/// <see cref="BlackScholesGradients.DefaultOption"/>, priced again and again, takes the same path every call.
/// </summary>
public sealed class BlackScholesBook
{
    public const int Size = 64;

    private readonly double[][] _options;
    private readonly double[] _strikes;
    private readonly double[] _greeks = new double[4 * Size];

    private BlackScholesBook(double[][] options, double[] strikes) => (_options, _strikes) = (options, strikes);

    public static BlackScholesBook Create()
    {
        var random = new Random(2026);
        var options = new double[Size][];
        var strikes = new double[Size];
        for (var i = 0; i < Size; i++)
        {
            options[i] = [100.0, 0.2, 0.03, 0.25 + (1.75 * random.NextDouble())];
            strikes[i] = 80.0 + (50.0 * random.NextDouble());
        }

        return new BlackScholesBook(options, strikes);
    }

    /// <summary>Every option's Greeks as the last <see cref="Sweep{T}"/> wrote them, four per option in book order.</summary>
    public double[] Greeks() => (double[])_greeks.Clone();

    /// <summary>
    /// Every option of the book through <typeparamref name="T"/> (a struct, so each implementation gets its own compiled
    /// loop with a direct call, the same loop for every column); returns the sum of the prices.
    /// </summary>
    public double Sweep<T>()
        where T : struct, IOptionGreeks
    {
        var sum = 0.0;
        for (var i = 0; i < Size; i++)
        {
            sum += T.Price(_options[i], _strikes[i], _greeks.AsSpan(4 * i, 4));
        }

        return sum;
    }
}

/// <summary>One implementation of the price and Greeks of an option (<see cref="BlackScholesGradients"/>' signature).</summary>
public interface IOptionGreeks
{
    static abstract double Price(double[] option, double strike, Span<double> greeks);
}

public readonly struct ObjectiveOnly : IOptionGreeks
{
    public static double Price(double[] option, double strike, Span<double> greeks) => BlackScholes.CallPrice(option[0], option[1], option[2], option[3], strike);
}

public readonly struct HandWrittenGreeks : IOptionGreeks
{
    public static double Price(double[] option, double strike, Span<double> greeks) => BlackScholesGradients.HandWritten(option, strike, greeks);
}

#if GENERATED_BLACKSCHOLES
public readonly struct GeneratedGreeks : IOptionGreeks
{
    public static double Price(double[] option, double strike, Span<double> greeks) => BlackScholesGradients.Generated(option, strike, greeks);
}
#endif

public readonly struct TapeGreeks : IOptionGreeks
{
    public static double Price(double[] option, double strike, Span<double> greeks) => BlackScholesTape.Gradient(option, strike, greeks);
}

public readonly struct FiniteDifferenceGreeks : IOptionGreeks
{
    public static double Price(double[] option, double strike, Span<double> greeks) => BlackScholesGradients.FiniteDifferences(option, strike, greeks);
}
