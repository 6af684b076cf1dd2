using System.Text.RegularExpressions;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>
/// A forward loop over guarded row spans (session 20, <c>ReverseModeTransformer.ForwardRowSpans.cs</c>) prints its
/// body twice, the span copy and the indexed fallback: tests that count sites in the generated text (pushes, calls)
/// count them in the indexed copy only.
/// </summary>
internal static class ForwardRowCopies
{
    private static readonly Regex SpanCopy = new(@"(?m)^([ ]*)// Over row spans.*\n\1.* = 0;\n\1if \(.*\)\n\1\{\n[\s\S]*?\n\1\}\n\1else\n", RegexOptions.Compiled);

    /// <summary>The generated text with each span copy removed (its guard and fallback's <c>else</c> kept as a bare block).</summary>
    public static string WithoutSpanCopies(string source) => SpanCopy.Replace(source, "$1else\n");
}
