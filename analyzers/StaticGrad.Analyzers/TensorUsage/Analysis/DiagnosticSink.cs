using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>Reports each (rule, location) once; disabled while a graph's fixpoint iterates, enabled for the final pass or the single walk.</summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic> _report;
    private readonly TensorLibrary _library;
    private readonly HashSet<(string, TextSpan)> _seen = new();
    private readonly Stack<List<Action>> _passes = new();

    public DiagnosticSink(Action<Diagnostic> report, TensorLibrary library)
    {
        _report = report;
        _library = library;
    }

    /// <summary>The property that tells code fixes which library's spelling to write.</summary>
    public const string LibraryProperty = "Library";

    public bool Enabled { get; set; }

    /// <summary>A sentence appended to the next reports (where another method decided the tensor's state), or null.</summary>
    public string? Note { get; private set; }

    public NoteScope WithNote(string? note)
    {
        var previous = Note;
        Note = note;
        return new NoteScope(this, previous);
    }

    /// <summary>
    /// Holds the reports of one pass over a loop's body until it is known whether that pass ran on the loop's fixpoint
    /// (then they stand, as the final pass would have made them) or not (then they are dropped). Passes nest with loops.
    /// </summary>
    public void BeginPass() => _passes.Push(new List<Action>());

    /// <summary>Ends the innermost pass: its reports are kept (handed to the enclosing pass, or made) or dropped.</summary>
    public void EndPass(bool keep)
    {
        var pass = _passes.Pop();
        if (!keep)
        {
            return;
        }

        if (_passes.Count > 0)
        {
            _passes.Peek().AddRange(pass);
            return;
        }

        foreach (var report in pass)
        {
            report();
        }
    }

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, ImmutableDictionary<string, string?>? properties, IEnumerable<Location>? additionalLocations, params object?[] messageArgs)
    {
        if (!Enabled)
        {
            return;
        }

        if (_passes.Count > 0)
        {
            var held = Note;
            _passes.Peek().Add(() => Make(descriptor, node, properties, additionalLocations, messageArgs, held));
            return;
        }

        Make(descriptor, node, properties, additionalLocations, messageArgs, Note);
    }

    private void Make(DiagnosticDescriptor descriptor, SyntaxNode node, ImmutableDictionary<string, string?>? properties, IEnumerable<Location>? additionalLocations, object?[] messageArgs, string? noteText)
    {
        if (!_seen.Add((descriptor.Id, node.Span)))
        {
            return;
        }

        var note = noteText is { } text ? _library.Spell(text) : null;
        descriptor = Adapt(descriptor, _library, note is null ? -1 : messageArgs.Length);
        if (note is not null)
        {
            messageArgs = messageArgs.Append(note).ToArray();
        }

        if (_library is not StaticGradLibrary)
        {
            properties = (properties ?? ImmutableDictionary<string, string?>.Empty).SetItem(LibraryProperty, _library.Name);
        }

        _report(Diagnostic.Create(descriptor, node.GetLocation(), additionalLocations, properties, messageArgs));
    }

    private static readonly ConcurrentDictionary<(DiagnosticDescriptor, TensorLibrary, int), DiagnosticDescriptor> Adapted = new();

    /// <summary>
    /// The same rule in the library's names, with " ({n})" after its message when a note is given: the same id, so
    /// suppressions, severities and help links apply to both libraries alike.
    /// </summary>
    private static DiagnosticDescriptor Adapt(DiagnosticDescriptor descriptor, TensorLibrary library, int noteIndex)
    {
        if (library is StaticGradLibrary && noteIndex < 0)
        {
            return descriptor;
        }

        return Adapted.GetOrAdd((descriptor, library, noteIndex), key => new DiagnosticDescriptor(
            key.Item1.Id,
            key.Item2.Spell(key.Item1.Title.ToString(CultureInfo.InvariantCulture)),
            key.Item2.Spell(key.Item1.MessageFormat.ToString(CultureInfo.InvariantCulture)) + (key.Item3 < 0 ? string.Empty : " ({" + key.Item3.ToString(CultureInfo.InvariantCulture) + "})"),
            key.Item1.Category,
            key.Item1.DefaultSeverity,
            key.Item1.IsEnabledByDefault,
            key.Item2.Spell(key.Item1.Description.ToString(CultureInfo.InvariantCulture)),
            key.Item1.HelpLinkUri,
            key.Item1.CustomTags.ToArray()));
    }

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
