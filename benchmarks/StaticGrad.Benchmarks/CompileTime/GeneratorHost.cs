extern alias generator;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using generator::StaticGrad.Generator;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>Runs StaticGrad's generator in-process, as the compiler does, and reads what its incremental steps did.</summary>
public static class GeneratorHost
{
    public static GeneratorDriver CreateDriver(bool trackSteps) => CSharpGeneratorDriver.Create(
        [new DifferentiableGenerator().AsSourceGenerator()],
        parseOptions: SyntheticProject.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>How many outputs of the generator's named steps and of its source output ended in each state.</summary>
    public static StepCounts Count(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        var named = result.TrackedSteps
            .Where(s => s.Key is TrackingNames.DifferentiableMethods or TrackingNames.ParsedMethods or TrackingNames.Rules or TrackingNames.GeneratedSources)
            .Concat(result.TrackedOutputSteps)
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        var reasons = named.SelectMany(s => s.Value).SelectMany(step => step.Outputs).GroupBy(o => o.Reason).ToDictionary(g => g.Key, g => g.Count());
        var perStep = string.Join("; ", named.Select(s => s.Key + ": " + string.Join(", ", s.Value.SelectMany(step => step.Outputs)
            .GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))));
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs)
            .Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        return new StepCounts(
            reasons.GetValueOrDefault(IncrementalStepRunReason.Cached),
            reasons.GetValueOrDefault(IncrementalStepRunReason.Unchanged),
            reasons.GetValueOrDefault(IncrementalStepRunReason.Modified) + reasons.GetValueOrDefault(IncrementalStepRunReason.New),
            sourceOutputs,
            result.GeneratedSources.Length,
            result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error),
            result.Exception?.ToString(),
            perStep);
    }

    /// <param name="Cached">Step outputs reused without running the step.</param>
    /// <param name="Unchanged">Step outputs recomputed and found equal to the previous run's.</param>
    /// <param name="Modified">Step outputs that are new or differ from the previous run's.</param>
    /// <param name="RegeneratedSources">Generated files written again in this run.</param>
    /// <param name="GeneratedSources">Generated files in the result.</param>
    /// <param name="Errors">Error diagnostics the generator reported.</param>
    /// <param name="Exception">The generator's exception, if it threw.</param>
    /// <param name="PerStep">The same counts per named step, for the report.</param>
    public sealed record StepCounts(int Cached, int Unchanged, int Modified, int RegeneratedSources, int GeneratedSources, int Errors, string? Exception, string PerStep);
}
