namespace StaticGrad.Analyzers.Tests.Corpus.Realistic;

/// <summary>
/// One snippet of the realistic corpus: training code as users write it (helpers, loops, lambdas), in one library.
/// A positive marks the line that fails at run time with <c>// &lt;-</c> and names the rule that must report it there.
/// </summary>
/// <param name="Id">Scenario, library and polarity.</param>
/// <param name="Library">StaticGrad or TorchSharp.</param>
/// <param name="Expected">The rule id required on the marked line, or null for a snippet that runs cleanly.</param>
/// <param name="Interprocedural">Whether knowing the error needs another method, local function or lambda.</param>
/// <param name="Source">The whole compilation unit.</param>
public sealed record RealisticCase(string Id, string Library, string? Expected, bool Interprocedural, string Source)
{
    public override string ToString() => Id;
}
