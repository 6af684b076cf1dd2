using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>Reports each (rule, location) once; disabled while the fixpoint iterates, enabled for the final pass.</summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic> _report;
    private readonly HashSet<(string, TextSpan)> _seen = new();

    public DiagnosticSink(Action<Diagnostic> report) => _report = report;

    public bool Enabled { get; set; }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, ImmutableDictionary<string, string?>? properties, IEnumerable<Location>? additionalLocations, params object?[] messageArgs)
    {
        if (!Enabled || !_seen.Add((descriptor.Id, node.Span)))
        {
            return;
        }

        _report(Diagnostic.Create(descriptor, node.GetLocation(), additionalLocations, properties, messageArgs));
    }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object?[] messageArgs) =>
        Report(descriptor, node, null, null, messageArgs);
}
