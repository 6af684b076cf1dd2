using System.Runtime.CompilerServices;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// How the hot paths of the analysis are compiled. The compiler usually runs as a fresh process per build
/// (<c>UseSharedCompilation=false</c>, CI): an analyzer's code is then just-in-time compiled at tier 0 and, because the
/// compiler keeps compiling new methods, seldom promoted to optimized code before the build ends, so the transfer
/// functions ran several times slower than in a warm process. The methods every analyzed operation goes through are
/// compiled optimized at once instead (netstandard2.0 has no name for the flag; the runtime reads the value).
/// </summary>
internal static class Jit
{
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
