using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Benchmarks.CompileTime;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// The compiler's own cost: StaticGrad's generator over a project of [Differentiable] methods, from scratch and
/// after an edit (one method's body, or a file with no differentiable code) on a driver that ran before.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private SyntheticProject _project = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _oneMethodEdited = null!;
    private CSharpCompilation _unrelatedEdit = null!;

    [Params(1000)]
    public int Methods { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _project = SyntheticProject.Create(Methods);
        _warmDriver = GeneratorHost.CreateDriver(trackSteps: false).RunGenerators(_project.Compilation);
        _oneMethodEdited = _project.WithOneMethodEdited();
        _unrelatedEdit = _project.WithUnrelatedEdit();
    }

    /// <summary>Every method parsed, differentiated and emitted: a clean build's generator time.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => GeneratorHost.CreateDriver(trackSteps: false).RunGenerators(_project.Compilation);

    /// <summary>One method body edited: only its file's methods are re-read, only it is emitted again.</summary>
    [Benchmark]
    public GeneratorDriver OneMethodEdited() => _warmDriver.RunGenerators(_oneMethodEdited);

    /// <summary>A file without [Differentiable] code edited: every step cached.</summary>
    [Benchmark]
    public GeneratorDriver UnrelatedEdit() => _warmDriver.RunGenerators(_unrelatedEdit);
}
