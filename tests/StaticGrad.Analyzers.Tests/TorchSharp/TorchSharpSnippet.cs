namespace StaticGrad.Analyzers.Tests.TorchSharp;

/// <summary>Wraps TorchSharp statements into a compilable class (the TorchSharp twin of the StaticGrad snippet).</summary>
internal static class TorchSharpSnippet
{
    public const int FirstBodyLine = 10;

    public static string Method(string body, string members = "") => $$"""
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

public static class C
{
    public static void M(bool flag, int n)
    {
{{body}}
    }
{{members}}
}
""";
}
