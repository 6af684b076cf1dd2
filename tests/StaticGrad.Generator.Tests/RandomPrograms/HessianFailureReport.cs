using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The first program failing <see cref="RandomHessianTests"/>, minimised by <see cref="ProgramMinimizer"/> under the
/// oracle "compiles with Hessians, and the Hessian check still reports a problem of the same kind" (the first words of
/// its first problem), as <see cref="FailureReport"/> does for first-order problems.
/// </summary>
public static class HessianFailureReport
{
    /// <summary>The minimised method with the helpers it calls, or null (a program with Detach or NoGrad needs its reference, which candidates lose).</summary>
    public static string? Minimized(RandomBatch batch, RandomProgram program, string firstProblem)
    {
        var (method, _) = FailureReport.Split(program.Source);
        var kind = Kind(firstProblem);
        if (program.NeedsReference || !Fails(batch, program, method, kind))
        {
            return null;
        }

        return FailureReport.MinimizedWithin(batch, method, candidate => Fails(batch, program, candidate, kind));
    }

    /// <summary>The problems of one program of a batch compiled with Hessians: a refusal or compile error, a throw, or what <see cref="HessianCheck"/> finds.</summary>
    public static List<string> Problems(CompiledBatch compiled, IReadOnlyDictionary<string, HessianRunner> runners, MethodUnderTest method, RandomProgram program, IEnumerable<RandomProgram> helpers, HessianCheck check)
    {
        if (compiled.Failures.TryGetValue(method.Key, out var reason))
        {
            return new List<string> { reason };
        }

        try
        {
            return check.Run(compiled.Loaded[method.Key], runners[method.Key], program.NeedsReference, program.Seed, () => DoubleTwin.Compile(helpers, program));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return new List<string> { "The generated Hessian methods threw " + (e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e) };
        }
    }

    private static bool Fails(RandomBatch batch, RandomProgram program, string candidate, string kind)
    {
        var helpers = batch.Helpers.Where(h => candidate.Contains("Helpers." + h.Name + "(", StringComparison.Ordinal));
        var source = RandomHessianTests.WithHessians(ProgramGenerator.CompilationUnit("MinimizeHessian" + batch.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), helpers, new[] { program with { Source = candidate } }));
        if (GeneratorHarness.CreateCompilation(source).GetDiagnostics().Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            return false;
        }

        var methods = MethodUnderTest.ReadAll(source).Where(m => m.Name == program.Name).ToList();
        try
        {
            var compiled = CompiledBatch.Compile(new[] { source }, methods, BuildProperties.None);
            var runners = compiled.Loaded.Count > 0 ? HessianAdapters.CompileAgainst(compiled, methods) : new Dictionary<string, HessianRunner>();
            return Problems(compiled, runners, methods[0], program, helpers, new HessianCheck()).Any(p => Kind(p) == kind);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            // The Hessian adapters did not compile: a generated signature that breaks the contract.
            return Kind(e.Message) == kind;
        }
    }

    private static string Kind(string problem) => new(problem.TakeWhile(c => c is not (':' or '(' or '\n')).Take(40).ToArray());
}
