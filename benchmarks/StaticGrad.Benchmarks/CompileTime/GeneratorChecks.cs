using System.Diagnostics;
using System.Globalization;
using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// What the compile-time benchmark relies on: the generator runs over the synthetic project without throwing, an
/// edit that touches no [Differentiable] code re-runs none of its steps, and editing one method writes one file.
/// </summary>
public static class GeneratorChecks
{
    public const int Methods = 1000;

    public static void Run(Verifier verifier)
    {
        verifier.Section($"Generator over {Methods} synthetic [Differentiable] methods");
        var project = SyntheticProject.Create(Methods);
        var watch = Stopwatch.StartNew();
        var driver = GeneratorHost.CreateDriver(trackSteps: true).RunGenerators(project.Compilation);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var first = GeneratorHost.Count(driver);
        verifier.Absolute($"the generator throws nothing{(first.Exception is null ? string.Empty : ": " + first.Exception)}", 0, first.Exception is null ? 0 : 1, 0);
        verifier.Note(string.Create(CultureInfo.InvariantCulture, $"first run (cold JIT, not the benchmark): {elapsed:F0} ms, {first.GeneratedSources} generated files, {first.Errors} error diagnostics"));
        if (first.GeneratedSources == 0)
        {
            // Roslyn reports no step outputs for a generator that produced nothing: there is nothing to compare.
            verifier.Skip("incremental caching", "the generator produced no file for the synthetic methods");
            return;
        }

        var unrelated = GeneratorHost.Count(driver.RunGenerators(project.WithUnrelatedEdit()));
        verifier.Absolute("an edit outside [Differentiable] code: step outputs recomputed", 0, unrelated.Modified + unrelated.Unchanged, 0);
        verifier.Absolute("an edit outside [Differentiable] code: files written again", 0, unrelated.RegeneratedSources, 0);

        var edited = GeneratorHost.Count(driver.RunGenerators(project.WithOneMethodEdited()));
        verifier.Absolute("one method's body edited: files written again", 1, edited.RegeneratedSources, 0);
        verifier.Note($"one method edited: {edited.Cached} step outputs cached, {edited.Unchanged} recomputed and unchanged, {edited.Modified} modified");
    }
}
