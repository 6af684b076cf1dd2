namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>
/// How far a computed value may be from PyTorch's: <c>|actual - expected| &lt;= Absolute + Relative·|expected|</c>.
/// The defaults allow a few units in the last place of the dtype, because .NET's <c>Math.Exp</c> and glibc's
/// <c>exp</c> may round differently; everything else (integers, dyadic arithmetic, flags) is compared exactly.
/// </summary>
internal readonly record struct Tolerance(double Absolute, double Relative)
{
    /// <summary>Bit-for-bit equality (NaN equals NaN, and +0 equals -0 as PyTorch prints both as 0.0).</summary>
    public static Tolerance Exact { get; } = new(0, 0);

    /// <summary>About 4.5 ulp of a float64.</summary>
    public static Tolerance Float64 { get; } = new(0, 1e-15);

    /// <summary>About 2 ulp of a float32 value (its float64 image is what the JSON holds).</summary>
    public static Tolerance Float32 { get; } = new(0, 2.5e-7);

    public static Tolerance ForDType(string torchDType) => torchDType switch
    {
        "torch.float32" or "torch.complex64" => Float32,
        "torch.float16" => new(0, 1e-3),
        "torch.bfloat16" => new(0, 8e-3),
        "torch.float64" or "torch.complex128" => Float64,
        _ => Exact,
    };

    public bool Accepts(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        return Math.Abs(actual - expected) <= Absolute + (Relative * Math.Abs(expected));
    }

    public override string ToString() => this == Exact ? "exact" : FormattableString.Invariant($"abs {Absolute:R} + rel {Relative:R}");
}
