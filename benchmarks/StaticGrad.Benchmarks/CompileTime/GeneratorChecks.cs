using System.Diagnostics;
using System.Globalization;
using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// What the compile-time benchmark relies on: the generator runs over the synthetic project without throwing, an
/// edit that touches no [Differentiable] code modifies no step output and writes no file, and editing one method writes only that method's files.
/// </summary>
public static class GeneratorChecks
{
    /// <summary>Fewer than the benchmark's 1000: the checks are about behaviour, and --verify must stay fast.</summary>
    public const int Methods = 200;

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
        // Roslyn re-runs ForAttributeWithMetadataName's semantic transform on every compilation change; what must hold
        // is that its outputs compare equal (Unchanged), so that nothing after it runs.
        verifier.Note("an edit outside [Differentiable] code: " + unrelated.PerStep);
        verifier.Absolute("an edit outside [Differentiable] code: step outputs modified", 0, unrelated.Modified, 0);
        verifier.Absolute("an edit outside [Differentiable] code: files written again", 0, unrelated.RegeneratedSources, 0);

        var edited = GeneratorHost.Count(driver.RunGenerators(project.WithOneMethodEdited()));
        // A method has several generated files (backward, tangent, Tensor overload): some of the edited one's are written
        // again (the Tensor overload's text does not contain the body, so it stays), never another method's.
        var perMethod = GeneratorHost.Count(GeneratorHost.CreateDriver(trackSteps: false).RunGenerators(SyntheticProject.Create(1).Compilation)).GeneratedSources;
        var withinOneMethod = edited.RegeneratedSources >= 1 && edited.RegeneratedSources <= perMethod;
        verifier.Absolute($"one method's body edited: {edited.RegeneratedSources} files written again, between 1 and the {perMethod} files of one method", 1, withinOneMethod ? 1 : 0, 0);
        verifier.Note("one method edited: " + edited.PerStep);
    }
}
