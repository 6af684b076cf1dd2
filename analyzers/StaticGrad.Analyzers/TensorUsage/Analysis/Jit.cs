using System.Runtime.CompilerServices;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// How the hot paths of the analysis are compiled. In a fresh compiler process (<c>UseSharedCompilation=false</c>,
/// <c>--no-build-server</c>, some CI setups, the first build a compiler server runs) an analyzer's code is just-in-time
/// compiled at tier 0 and, because the compiler keeps compiling new methods, seldom promoted to optimized code before the
/// build ends, so the transfer functions ran several times slower than in a warm process. The methods every analyzed
/// operation goes through are compiled optimized at once instead (netstandard2.0 has no name for the flag; the runtime
/// reads the value). Through the compiler server (the SDK's default) the flag also pays: without it the second and third
/// builds' walks were 40 % slower, still on tier-0 code (docs/tensor-usage-analysis.md, session 20b).
/// On Linux x64 the assembly is a ReadyToRun image (eng/ReadyToRun.targets) and crossgen2 leaves the methods marked
/// here out of it, so they are the analyzer's only methods still JIT-compiled there: without the flag they would be
/// precompiled too (session 22 measured that saving cold), but every other host would lose the warm builds' 40 %.
/// </summary>
internal static class Jit
{
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
