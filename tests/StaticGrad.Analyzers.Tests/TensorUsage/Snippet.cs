namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>Wraps statements into a compilable class, so each test shows only the code it is about.</summary>
internal static class Snippet
{
    /// <summary>The line of the body's first statement in <see cref="Method"/>'s output.</summary>
    public const int FirstBodyLine = 10;

    /// <summary>Like <see cref="Method"/>, with the body indented as a formatter would (code fixes format what they change).</summary>
    public static string Indented(string body) =>
        Method(string.Join("\n", body.Split('\n').Select(line => line.Length == 0 ? line : "        " + line)));

    public static string Method(string body, string parameters = "bool flag, int n", string usings = "") => $$"""
{{usings}}using System;
using System.Collections.Generic;
using System.Linq;
using StaticGrad;

public static class C
{
    public static void M({{parameters}})
    {
{{body}}
    }

    // Runs code the analysis cannot see (a delegate), so that tests can show what "unknown code ran" does.
    private static void Helper(Tensor t) => Unknown?.Invoke(t);

    private static Action<Tensor>? Unknown;
}
""";
}
