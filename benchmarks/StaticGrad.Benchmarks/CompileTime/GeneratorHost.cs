using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>Runs StaticGrad's generator in-process, as the compiler does, and reads what its incremental steps did.</summary>
public static class GeneratorHost
{
    public static GeneratorDriver CreateDriver(bool trackSteps) => CSharpGeneratorDriver.Create(
        [new DifferentiableGenerator().AsSourceGenerator()],
        parseOptions: SyntheticProject.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>How many outputs of the generator's tracked steps and of its source output ended in each state.</summary>
    public static StepCounts Count(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        var steps = result.TrackedSteps
            .Where(s => s.Key is TrackingNames.DifferentiableMethods or TrackingNames.ParsedMethods)
            .SelectMany(s => s.Value)
            .Concat(result.TrackedOutputSteps.SelectMany(s => s.Value))
            .SelectMany(step => step.Outputs)
            .GroupBy(o => o.Reason)
            .ToDictionary(g => g.Key, g => g.Count());
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs)
            .Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        return new StepCounts(
            steps.GetValueOrDefault(IncrementalStepRunReason.Cached),
            steps.GetValueOrDefault(IncrementalStepRunReason.Unchanged),
            steps.GetValueOrDefault(IncrementalStepRunReason.Modified) + steps.GetValueOrDefault(IncrementalStepRunReason.New),
            sourceOutputs,
            result.GeneratedSources.Length,
            result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error),
            result.Exception?.ToString());
    }

    /// <param name="Cached">Step outputs reused without running the step.</param>
    /// <param name="Unchanged">Step outputs recomputed and found equal to the previous run's.</param>
    /// <param name="Modified">Step outputs that are new or differ from the previous run's.</param>
    /// <param name="RegeneratedSources">Generated files written again in this run.</param>
    /// <param name="GeneratedSources">Generated files in the result.</param>
    /// <param name="Errors">Error diagnostics the generator reported.</param>
    /// <param name="Exception">The generator's exception, if it threw.</param>
    public sealed record StepCounts(int Cached, int Unchanged, int Modified, int RegeneratedSources, int GeneratedSources, int Errors, string? Exception);
}
