namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>The parameter types a [Differentiable] method under test may take.</summary>
public enum ParameterKind
{
    Double,
    Float,
    Int,
    Bool,
    DoubleArray,
    DoubleSpan,
    DoubleReadOnlySpan,
    FloatArray,
    FloatSpan,
    FloatReadOnlySpan,
    DoubleMatrix,
    FloatMatrix,
    DoubleJagged,
}

/// <summary>One parameter of a method under test: its shape, whether it is differentiated, and where values are drawn.</summary>
public sealed record ParameterShape(string Name, ParameterKind Kind, bool NoGrad, double Min, double Max, int Length)
{
    /// <summary>
    /// A <c>T[,]</c> or rectangular <c>T[][]</c> parameter has rows of <see cref="Columns"/> values; the harness holds
    /// its <see cref="Length"/> values row after row in one array, like every other sequence.
    /// </summary>
    public int Columns { get; init; }

    public bool IsFloating => Kind is not (ParameterKind.Int or ParameterKind.Bool);

    public bool IsSequence => Kind is ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.DoubleReadOnlySpan
        or ParameterKind.FloatArray or ParameterKind.FloatSpan or ParameterKind.FloatReadOnlySpan
        or ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged;

    public bool IsSinglePrecision => Kind is ParameterKind.Float or ParameterKind.FloatArray or ParameterKind.FloatSpan or ParameterKind.FloatReadOnlySpan or ParameterKind.FloatMatrix;

    /// <summary>The contract: every floating parameter not marked [NoGrad] gets an adjoint.</summary>
    public bool IsDifferentiable => IsFloating && !NoGrad;

    /// <summary>The adjoint's name by the contract: <c>x</c> → <c>dx</c>, <c>alphas</c> → <c>dAlphas</c>.</summary>
    public string AdjointName => "d" + (Name.Length == 1 ? Name : char.ToUpperInvariant(Name[0]) + Name[1..]);

    public static ParameterKind KindOf(string typeText) => typeText.Replace("global::", "").Replace("System.", "") switch
    {
        "double" => ParameterKind.Double,
        "float" => ParameterKind.Float,
        "int" => ParameterKind.Int,
        "bool" => ParameterKind.Bool,
        "double[]" => ParameterKind.DoubleArray,
        "Span<double>" => ParameterKind.DoubleSpan,
        "ReadOnlySpan<double>" => ParameterKind.DoubleReadOnlySpan,
        "float[]" => ParameterKind.FloatArray,
        "Span<float>" => ParameterKind.FloatSpan,
        "ReadOnlySpan<float>" => ParameterKind.FloatReadOnlySpan,
        "double[,]" => ParameterKind.DoubleMatrix,
        "float[,]" => ParameterKind.FloatMatrix,
        "double[][]" => ParameterKind.DoubleJagged,
        var other => throw new ArgumentException("Unsupported parameter type in a method under test: " + other),
    };
}
