using System;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// One method's output of one emission stage: its file, or the SG1000 message of the exception that replaced it
/// (plain data, so that the step caches). A crash in one method's stage thus costs that output only.
/// </summary>
/// <param name="MethodHint">The method's own hint name (<c>….g.cs</c>), by which its declaration is found again.</param>
internal sealed record StageOutput(string HintName, string? Source, string MethodName, string MethodHint, string DisplayName, string? Failure);

/// <summary>Runs the emission stages inside <see cref="InternalErrors.Guard"/> and reports what they caught.</summary>
internal static class GuardedStage
{
    public static StageOutput Run(DifferentiableMethodSpec spec, string hintName, string stage, Func<string?> emit) =>
        Run(spec.Method.Name, spec.HintName, InternalErrorLocation.DisplayName(spec.Namespace, spec.HintName), hintName, stage, emit);

    public static StageOutput Run(string methodName, string methodHint, string displayName, string hintName, string stage, Func<string?> emit)
    {
        var (source, failure) = InternalErrors.Guard(methodName, stage, emit);
        return new StageOutput(hintName, source, methodName, methodHint, displayName, failure);
    }

    /// <summary>A lowering that throws yields nothing here: the analyzer, which runs the same lowering, reports it.</summary>
    public static T? Lower<T>(string method, Func<T?> lower)
        where T : class => InternalErrors.Guard(method, "lowering", lower).Value;

    /// <summary>Adds the stage's files and reports its failures at their methods.</summary>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<StageOutput> outputs)
    {
        outputs = outputs.Combine(FaultInjectionOption.Read(context)).Select(static (pair, _) => FaultInjectionOption.Apply(pair.Left, pair.Right));
        context.RegisterSourceOutput(outputs, static (spc, output) => Add(spc, output));
        ReportFailures(context, outputs);
    }

    public static void Add(SourceProductionContext context, StageOutput output)
    {
        if (output.Source is not null)
        {
            context.AddSource(output.HintName, output.Source);
        }
    }

    public static void ReportFailures(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<StageOutput> outputs)
    {
        // Locating needs the compilation; combined only with the failures, so that a run without any re-runs nothing.
        var failures = outputs.Where(static o => o.Failure is not null).Combine(context.CompilationProvider);
        context.RegisterSourceOutput(failures, static (spc, pair) => spc.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InternalError,
            InternalErrorLocation.Find(pair.Right, pair.Left.MethodName, pair.Left.MethodHint, spc.CancellationToken),
            pair.Left.DisplayName,
            pair.Left.Failure)));
    }
}
