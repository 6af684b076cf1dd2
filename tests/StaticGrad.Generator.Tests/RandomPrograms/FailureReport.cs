using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Turns a failing random program into a one-screen bug report: the program minimised by
/// <see cref="ProgramMinimizer"/> under the oracle "compiles, and still fails with the same kind of problem".
/// </summary>
public static class FailureReport
{
    /// <summary>Oracle calls per minimisation: each compiles one small program (about a second).</summary>
    public const int MaxTests = 150;

    /// <summary>Time for one minimisation, after which the smallest failing program found so far is reported.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>The minimised [Differentiable] method (with the helpers it calls), or null when it cannot be minimised.</summary>
    public static string? Minimized(RandomBatch batch, RandomProgram program, ProblemKind kind)
    {
        var (method, _) = Split(program.Source);

        // Without its lockstep reference, finite differences of a program using Detach or NoGrad are not its
        // derivative, so the candidates are checked without them; a failure that stays only with them is not
        // minimised (batch 20261212 P189 was shrunk along a Tangent-against-finite-differences problem that every
        // candidate had only because its reference was gone).
        if ((program.NeedsReference && kind == ProblemKind.WrongGradient) || !Fails(batch, program, method, kind))
        {
            return null;
        }

        return MinimizedWithin(batch, method, candidate => Fails(batch, program, candidate, kind));
    }

    /// <summary>
    /// <see cref="ProgramMinimizer"/> within <see cref="MaxTests"/> oracle calls and <see cref="Budget"/>, with the
    /// helpers the result calls; a minimisation cut short by the budget says so on its first line.
    /// </summary>
    public static string MinimizedWithin(RandomBatch batch, string method, Func<string, bool> fails)
    {
        var minimized = ProgramMinimizer.Minimize(method, fails, MaxTests, Budget, out var stopped);
        var called = batch.Helpers.Where(h => minimized.Contains("Helpers." + h.Name + "(", StringComparison.Ordinal));
        var note = stopped ? "// Minimisation stopped after " + Budget.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " s: the smallest failing program found so far.\n" : string.Empty;
        return note + minimized + string.Concat(called.Select(h => "\n// helper\n" + h.Source));
    }

    /// <summary>Whether the candidate method still fails with a problem of <paramref name="kind"/>.</summary>
    public static bool Fails(RandomBatch batch, RandomProgram program, string candidate, ProblemKind kind)
    {
        var helpers = batch.Helpers.Where(h => candidate.Contains("Helpers." + h.Name + "(", StringComparison.Ordinal));
        var source = ProgramGenerator.CompilationUnit("Minimize" + batch.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), helpers, new[] { program with { Source = candidate } });
        if (GeneratorHarness.CreateCompilation(source).GetDiagnostics().Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
        {
            return false;
        }

        var methods = MethodUnderTest.ReadAll(source).Where(m => m.Name == program.Name).ToList();
        try
        {
            var compiled = CompiledBatch.Compile(new[] { source }, methods);
            var tangents = compiled.Loaded.Count > 0 ? Forward.TangentAdapters.CompileAgainst(compiled, methods) : new Dictionary<string, Func<double[][], double[][], double[]>>();
            var nonFinite = 0;
            var problems = ProgramCheck.Run(compiled, tangents, methods[0], program.Seed, new TwoStepCheck(), ref nonFinite, () => DoubleTwin.Compile(helpers, program with { Source = candidate }), () => UnresolvedPhase.Compile(helpers, program with { Source = candidate }));
            return problems.Any(p => p.Kind == kind && !(program.NeedsReference && ProgramCheck.ComparesWithFiniteDifferences(p)));
        }
        catch (Xunit.Sdk.XunitException)
        {
            // The Tangent adapters or the program with the generated code did not compile.
            return kind == ProblemKind.GeneratedCodeError;
        }
        catch (ArithmeticException)
        {
            // The candidate's own primal threw (a cut-down program reaching Math.Sign(NaN), say: batch 20262617's P138):
            // not the failure being minimised, so the minimiser tries another cut instead of ending the whole run.
            return false;
        }
    }

    /// <summary>The [Differentiable] method and its finite-difference reference (empty when it has none).</summary>
    public static (string Method, string Reference) Split(string source)
    {
        var lines = source.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var reference = Array.FindIndex(lines, l => l.Contains("_FdReference(", StringComparison.Ordinal) && l.TrimStart().StartsWith("public static", StringComparison.Ordinal));
        return reference < 0
            ? (source, string.Empty)
            : (string.Join("\n", lines.Take(reference)).TrimEnd('\n') + "\n", string.Join("\n", lines.Skip(reference)));
    }
}
