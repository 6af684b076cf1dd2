using System;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers;

/// <summary>
/// Whether a compilation can hold a library's types, answered from names alone. A compilation-wide type lookup at
/// compilation start binds the references and loads the namespaces of every one of them (about 190 in an SDK project),
/// JIT-compiling the compiler's metadata readers in a fresh process: 45–60 ms of processor time (the probe, session 21)
/// that is the compiler's own work but that ReportAnalyzer charges to whichever analyzer asks first, also in a project
/// that references neither library. With this test first such a project costs the analyzers nothing, and in one that
/// references a library the analyzers look their types up at their first callback, when the compiler has done that work.
/// </summary>
internal static class LibraryPresence
{
    /// <summary>
    /// False only when the type cannot be in the compilation: no command-line reference stands for an assembly named
    /// <paramref name="assemblyName"/> (by its file's name, or a project reference's assembly name), the compilation is
    /// not that assembly, and its source declares no type named <paramref name="topLevelTypeName"/> (the outermost type
    /// of the metadata name: a project may declare the attributes itself; asked only of a compilation whose text has the name). A reference whose name cannot be read
    /// without binding it (an image without a path) counts as a match. Nothing is bound: the references are a list of
    /// files, and the declaration table is built from the syntax trees. Not covered: the library's types compiled into
    /// an assembly of another name (a merged or renamed build of the runtime), which is then treated as neither library.
    /// </summary>
    public static bool MayHold(Compilation compilation, string assemblyName, string topLevelTypeName)
    {
        // A script or submission takes references from #r directives (its own, a #load-ed file's, an earlier
        // submission's), which ExternalReferences does not list: counted as a match, as a reference without a name is.
        if (string.Equals(compilation.AssemblyName, assemblyName, StringComparison.OrdinalIgnoreCase) || compilation.ScriptCompilationInfo is not null)
        {
            return true;
        }

        foreach (var reference in compilation.ExternalReferences)
        {
            var name = reference switch
            {
                PortableExecutableReference { FilePath: { Length: > 0 } path } => System.IO.Path.GetFileNameWithoutExtension(path),
                CompilationReference project => project.Compilation.AssemblyName,
                _ => null,
            };
            if (name is null || string.Equals(name, assemblyName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return SourceMayMention(compilation, topLevelTypeName) && compilation.ContainsSymbolsWithName(topLevelTypeName, SymbolFilter.Type);
    }

    /// <summary>
    /// Whether some source text contains <paramref name="name"/> or a Unicode escape (through which an identifier can
    /// spell it otherwise): a type declared in source must. Reading the texts costs a fraction of a millisecond per
    /// 5 000 lines; the declaration table that <see cref="Compilation.ContainsSymbolsWithName(string, SymbolFilter, System.Threading.CancellationToken)"/>
    /// reads is built and JIT-compiled on first use (8–14 ms of processor time in a fresh compiler, the probe).
    /// </summary>
    private static bool SourceMayMention(Compilation compilation, string name)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = (tree.TryGetText(out var known) ? known : tree.GetText()).ToString();
            if (text.IndexOf(name, StringComparison.Ordinal) >= 0 || text.IndexOf("\\u", StringComparison.Ordinal) >= 0 || text.IndexOf("\\U", StringComparison.Ordinal) >= 0 || HasFormattingCharacter(text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the text holds a formatting character (Unicode category Cf: soft hyphen, zero-width joiners, ...): C#
    /// removes them from identifiers, so <c>Differentiable&#xAD;Attribute</c> written with a raw soft hyphen declares
    /// DifferentiableAttribute while its text contains neither the name nor an escape.
    /// </summary>
    private static bool HasFormattingCharacter(string text)
    {
        foreach (var c in text)
        {
            if (c > '\x7F' && char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return true;
            }
        }

        return false;
    }
}
