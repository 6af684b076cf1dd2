namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Corpus functions whose construct the compiler does not support yet, with the reason. For these the tests assert
/// the other half of the contract instead: the generator refuses them (a diagnostic, no backward), never wrong code.
/// Each entry is a bug report for the compiler; remove it when the construct is supported.
/// </summary>
internal static class UnsupportedByCompiler
{
    public static readonly IReadOnlyDictionary<string, string> Functions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
