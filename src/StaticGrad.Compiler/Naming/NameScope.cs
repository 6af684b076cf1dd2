using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Naming;

/// <summary>
/// The names in use in one emitted method: every identifier of the user's parameters and body, and every name a
/// phase has already minted there. Every phase that writes a new local, parameter, label or flag into the method asks
/// this scope for it, so generated code can never collide with the user's names or with each other's (the shape of
/// Boogie's <c>UniqueNamer</c>: one place that knows every name, a counter suffix on a clash).
/// </summary>
/// <remarks>
/// A name is derived from a stem (<c>_result</c>, <c>dx</c>, <c>_t0</c>) and, when the stem is taken or is a C#
/// keyword, gets the first free suffix <c>_1</c>, <c>_2</c>, … (<c>dx</c> next to a user's <c>dx</c> becomes
/// <c>dx_1</c>; the adjoint of a local <c>o</c> would be the keyword <c>do</c> and becomes <c>do_1</c>). Names are
/// handed out in a fixed order, so the same method always gets the same names.
/// </remarks>
public sealed class NameScope
{
    private readonly HashSet<string> _taken = new(System.StringComparer.Ordinal);

    public NameScope(IEnumerable<string> identifiers)
    {
        foreach (var identifier in identifiers)
        {
            Reserve(identifier);
        }
    }

    /// <summary>A scope seeded with the method's parameters and locals (which include its normalisation's flags).</summary>
    public static NameScope Of(MethodIR method) =>
        new(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)));

    /// <summary>Whether <paramref name="identifier"/> (escaped or not: <c>@base</c> is <c>base</c>) is in use.</summary>
    public bool Contains(string identifier) => _taken.Contains(Unescaped(identifier));

    /// <summary>Marks a name as in use without renaming it (a user's name, or a fixed one the caller already checked).</summary>
    public void Reserve(string identifier) => _taken.Add(Unescaped(identifier));

    /// <summary>A new name: <paramref name="stem"/> itself when it is free and not a keyword, else the stem with the first free <c>_n</c> suffix.</summary>
    public string Fresh(string stem)
    {
        stem = stem.Replace("@", string.Empty);
        var name = stem;
        for (var i = 1; IsKeyword(name) || !_taken.Add(name); i++)
        {
            name = stem + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>The adjoint (or tangent) of <paramref name="variable"/>: <see cref="AdjointStem"/>, made fresh.</summary>
    public string Adjoint(string variable) => Fresh(AdjointStem(variable));

    /// <summary>
    /// The documented name of a variable's adjoint before any clash is resolved: <c>d</c> + the name with its first
    /// letter in upper case (<c>alphas</c> → <c>dAlphas</c>); a one-letter name keeps its case (<c>x</c> → <c>dx</c>).
    /// </summary>
    public static string AdjointStem(string variable)
    {
        var name = Unescaped(variable);
        return "d" + (name.Length <= 1 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1));
    }

    /// <summary>Whether the text is a reserved C# keyword (contextual keywords such as <c>value</c> or <c>var</c> are valid names).</summary>
    public static bool IsKeyword(string text) => SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None;

    /// <summary>Whether the text is a contextual keyword (<c>var</c>, <c>global</c>, <c>not</c>, <c>value</c>): a valid name that generated text may also use as a keyword.</summary>
    public static bool IsContextualKeyword(string text) => SyntaxFacts.GetContextualKeywordKind(text) != SyntaxKind.None;

    /// <summary>The identifier as it must be written in C#: a keyword gets <c>@</c> (<c>base</c> → <c>@base</c>).</summary>
    public static string Escape(string identifier) => IsKeyword(identifier) ? "@" + identifier : identifier;

    /// <summary>The identifier without its verbatim <c>@</c>: the name C# compares.</summary>
    public static string Unescaped(string identifier) =>
        identifier.Length > 0 && identifier[0] == '@' ? identifier.Substring(1) : identifier;
}
