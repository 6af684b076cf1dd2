namespace StaticGrad.Analyzers;

/// <summary>Help links of the diagnostics: one page per id in docs/diagnostics/.</summary>
internal static class HelpLinks
{
    private const string DocsRoot = "https://github.com/staticgrad/staticgrad/blob/main/docs/diagnostics/";

    public static string For(string id) => DocsRoot + id + ".md";
}
