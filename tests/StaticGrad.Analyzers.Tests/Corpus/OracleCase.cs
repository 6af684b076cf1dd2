namespace StaticGrad.Analyzers.Tests.Corpus;

/// <summary>What PyTorch did when the oracle ran the case, and what SPEC says an analyzer can know about it.</summary>
public enum OracleOutcome
{
    /// <summary>PyTorch raised, SPEC marks it "definitely" decidable, and a rule covers it: the diagnostic is required.</summary>
    Raised,

    /// <summary>PyTorch warned (the non-leaf <c>.grad</c> warning): the warning diagnostic is required.</summary>
    Warned,

    /// <summary>PyTorch raised and SPEC marks it "definitely" decidable, but no rule covers it yet: a false negative.</summary>
    RaisedUncovered,

    /// <summary>PyTorch ran it cleanly: no error or warning diagnostic is allowed.</summary>
    Clean,
}

/// <summary>
/// One attempt of an oracle case (oracle_cases.py, the JSON of a torch 2.11 run) written as a C# method body.
/// For <see cref="OracleOutcome.Raised"/> and <see cref="OracleOutcome.Warned"/> the line ending in <c>// &lt;-</c>
/// is where the diagnostic must be.
/// </summary>
/// <param name="Id">The oracle case id and attempt.</param>
/// <param name="Outcome">What PyTorch did.</param>
/// <param name="Expected">The diagnostic id required (Raised, Warned), the reason it is missed (RaisedUncovered), or the info diagnostics allowed (Clean).</param>
/// <param name="Body">The C# statements.</param>
public sealed record OracleCase(string Id, OracleOutcome Outcome, string? Expected, string Body)
{
    public override string ToString() => Id;
}
