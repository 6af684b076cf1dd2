namespace StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

/// <summary>How the analysis read a body (told to a test's trace: how many bodies are left to control flow graphs).</summary>
internal enum BodyRoute
{
    /// <summary>A reported method's body, walked.</summary>
    ReportedWalk,

    /// <summary>A reported method's (or constructor's) body, on its control flow graph.</summary>
    ReportedGraph,

    /// <summary>A reported method's walk that did not converge quickly (its graph is used next).</summary>
    ReportedWalkNotConverging,

    /// <summary>A summarized callee's body, walked.</summary>
    CalleeWalk,

    /// <summary>A summarized callee's body, on its control flow graph.</summary>
    CalleeGraph,

    /// <summary>A summarized callee's walk that did not converge quickly (its graph is used).</summary>
    CalleeWalkNotConverging,

    /// <summary>A summary computed (not read from the cache): one per callee, grad mode at the call and argument facts.</summary>
    Summary,
}
