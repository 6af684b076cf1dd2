using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Whether a minimiser candidate may recurse without the original's bound. A cut inside a recursive local function
/// (its <c>if (rk &lt;= 0) return rv;</c>, <see cref="ProgramGenerator"/>'s recursive locals) leaves a function that
/// calls itself for ever, and the stack overflow that follows kills the test host: no time limit, thread or catch can
/// stop it (session 22). The original ran to its end, so its recursion is bounded; a candidate whose recursive local
/// functions (those on a cycle of calls between the method's local functions, mutual recursion included) are all
/// unchanged keeps that bound (the depth arguments at the call sites are whole lines: a literal, <c>n</c> or
/// <c>i % 3</c>). Any other candidate is not run. Nothing inside such a function can be cut usefully anyway: without
/// its base case it never ends, without its recursive return it does not compile. Helpers are never cut.
/// </summary>
public static class UnboundedRecursion
{
    /// <summary>True when <paramref name="candidate"/> has a recursive local function that <paramref name="original"/> does not have word for word.</summary>
    public static bool Risked(string original, string candidate)
    {
        var before = LocalFunctions(original).ToDictionary(f => f.Identifier.ValueText, Text, StringComparer.Ordinal);
        var functions = LocalFunctions(candidate).ToList();
        var names = functions.Select(f => f.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var calls = functions.ToDictionary(
            f => f.Identifier.ValueText,
            f => f.DescendantNodes().OfType<InvocationExpressionSyntax>().Select(i => i.Expression).OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText).Where(names.Contains).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        return functions.Any(f => Recursive(f.Identifier.ValueText, calls) && !(before.TryGetValue(f.Identifier.ValueText, out var text) && text == Text(f)));
    }

    /// <summary>Whether <paramref name="name"/> reaches itself through calls between local functions.</summary>
    private static bool Recursive(string name, Dictionary<string, HashSet<string>> calls)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(calls[name]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (next == name)
            {
                return true;
            }

            if (seen.Add(next))
            {
                foreach (var callee in calls[next])
                {
                    pending.Push(callee);
                }
            }
        }

        return false;
    }

    private static IEnumerable<LocalFunctionStatementSyntax> LocalFunctions(string method) =>
        CSharpSyntaxTree.ParseText("class C\n{\n" + method + "\n}\n").GetRoot().DescendantNodes().OfType<LocalFunctionStatementSyntax>();

    private static string Text(LocalFunctionStatementSyntax function) => function.NormalizeWhitespace().ToFullString();
}
