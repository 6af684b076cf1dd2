using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using StaticGrad.Analyzers.TensorUsage;

namespace StaticGrad.Analyzers.Tests.Verifiers;

/// <summary>Runs an analyzer on marked-up C# (<c>{|SG0001:span|}</c>) with the offline references.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Error);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Like <see cref="VerifyAsync"/>, compiled against TorchSharp instead of StaticGrad.</summary>
    public static Task VerifyTorchSharpAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test(torchSharp: true) { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
            : this(torchSharp: false)
        {
        }

        public Test(bool torchSharp)
        {
            ReferenceAssemblies = TestReferences.None;
            if (torchSharp)
            {
                TestReferences.ConfigureTorchSharp(TestState);
            }
            else
            {
                TestReferences.Configure(TestState);
            }
        }

        /// <summary>With STATICGRAD_ANALYZER_GRAPHS_ONLY=1 every body is analyzed on its control flow graph (no structured walks), so the whole suite checks both.</summary>
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            typeof(TAnalyzer) == typeof(TensorUsageAnalyzer) && Environment.GetEnvironmentVariable("STATICGRAD_ANALYZER_GRAPHS_ONLY") == "1"
                ? [new TensorUsageAnalyzer(structuredWalks: false)]
                : base.GetDiagnosticAnalyzers();
    }
}
