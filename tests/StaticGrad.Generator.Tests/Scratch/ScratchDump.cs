using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Scratch;

public sealed class ScratchDump
{
    [Fact]
    public void Dump()
    {
        var path = Environment.GetEnvironmentVariable("SCRATCH_SOURCE");
        if (path is null) return;
        var source = File.ReadAllText(path);
        var output = GeneratorHarness.Run(source);
        var sb = new System.Text.StringBuilder();
        foreach (var s in output.Sources) { sb.AppendLine("==== " + s.HintName); sb.AppendLine(s.Source); }
        foreach (var d in output.CompilationDiagnostics) sb.AppendLine("DIAG " + d);
        var keys = MethodUnderTest.ReadAll(source).Select(m => m.Key).ToHashSet();
        foreach (var kv in CompilerExplanation.Explain(output.OutputCompilation, keys)) foreach (var f in kv.Value) sb.AppendLine("SG " + kv.Key + ": " + f);
        File.WriteAllText(path + ".out", sb.ToString());
    }
}
