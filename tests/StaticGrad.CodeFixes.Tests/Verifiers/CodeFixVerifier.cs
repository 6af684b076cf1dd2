using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using StaticGrad.Analyzers.Tests.Verifiers;

namespace StaticGrad.CodeFixes.Tests.Verifiers;

/// <summary>Runs an analyzer and a code fix (one fix, and fix-all) on marked-up C# with the offline references.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Like <see cref="VerifyAsync"/>, compiled against TorchSharp's managed assembly instead of StaticGrad.</summary>
    public static Task VerifyTorchSharpAsync(string source, string fixedSource)
    {
        var test = new Test(torchSharp: true) { TestCode = source, FixedCode = fixedSource };
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
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
    }
}
