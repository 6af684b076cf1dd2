using System.Collections.Generic;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// The effects a callee's analysis observes on any path, collected while it iterates (each flag only grows, so the
/// result over-approximates every path).
/// </summary>
internal sealed class SummaryRecorder
{
    public bool TouchesExternal { get; set; }

    public bool Escapes { get; set; }

    public bool Backward { get; set; }

    public bool ClearsGradients { get; set; }

    public HashSet<int> FreedParameters { get; } = new();
}
