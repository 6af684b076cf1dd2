using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal static partial class TensorFlowAnalysis
{
    /// <summary>
    /// <see cref="Analyze"/> for a structured body, by walking its tree (<see cref="StructuredFlow"/>): one walk that
    /// iterates each loop to its fixpoint and keeps the reports of the pass that ran on it. Throws <see cref="StructuredFlow.NotConverging"/> before anything is reported.
    /// </summary>
    public static void AnalyzeTree(FunctionBody body, ISymbol function, GradMode entryMode, TensorApi api, ISet<ISymbol> untrackable, DiagnosticSink sink, CallContext calls, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var interpreter = new TensorInterpreter(api, new OriginTable(), sink, untrackable, function, null, body.Root, calls, recorder: null);
        var walk = new StructuredFlow(interpreter);
        var entry = EntryState(function, entryMode, null, api);
        sink.Enabled = true;
        walk.Reporting(body.Tree!, entry, sink);
        sink.Enabled = false;
    }
}
