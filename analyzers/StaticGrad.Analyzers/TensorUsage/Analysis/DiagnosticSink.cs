using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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

    /// <summary>A sentence appended to the next reports (where another method decided the tensor's state), or null.</summary>
    public string? Note { get; private set; }

    public NoteScope WithNote(string? note)
    {
        var previous = Note;
        Note = note;
        return new NoteScope(this, previous);
    }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, ImmutableDictionary<string, string?>? properties, IEnumerable<Location>? additionalLocations, params object?[] messageArgs)
    {
        if (!Enabled || !_seen.Add((descriptor.Id, node.Span)))
        {
            return;
        }

        if (Note is { } note)
        {
            descriptor = DescriptorWithNote(descriptor, messageArgs.Length);
            messageArgs = messageArgs.Append(note).ToArray();
        }

        _report(Diagnostic.Create(descriptor, node.GetLocation(), additionalLocations, properties, messageArgs));
    }

    private static readonly ConcurrentDictionary<(DiagnosticDescriptor, int), DiagnosticDescriptor> NotedDescriptors = new();

    /// <summary>The same rule with " ({n})" after its message: same id, so suppressions and severities still apply.</summary>
    private static DiagnosticDescriptor DescriptorWithNote(DiagnosticDescriptor descriptor, int argumentCount) =>
        NotedDescriptors.GetOrAdd((descriptor, argumentCount), key => new DiagnosticDescriptor(
            key.Item1.Id,
            key.Item1.Title,
            key.Item1.MessageFormat.ToString(CultureInfo.InvariantCulture) + " ({" + key.Item2.ToString(CultureInfo.InvariantCulture) + "})",
            key.Item1.Category,
            key.Item1.DefaultSeverity,
            key.Item1.IsEnabledByDefault,
            key.Item1.Description,
            key.Item1.HelpLinkUri,
            key.Item1.CustomTags.ToArray()));

    /// <summary>Restores the previous note when disposed.</summary>
    public readonly struct NoteScope : IDisposable
    {
        private readonly DiagnosticSink _sink;
        private readonly string? _previous;

        public NoteScope(DiagnosticSink sink, string? previous)
        {
            _sink = sink;
            _previous = previous;
        }

        public void Dispose() => _sink.Note = _previous;
    }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object?[] messageArgs) =>
        Report(descriptor, node, null, null, messageArgs);
}
