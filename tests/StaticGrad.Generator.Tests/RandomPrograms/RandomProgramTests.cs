using System.Diagnostics;
using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Thousands of random [Differentiable] programs, compiled in batches with the generator in-process, every gradient
/// checked against finite differences, and every generated Tangent against the generated Backward (dot-product
/// test, <see cref="Forward.DotProductCheck"/>). <c>STATICGRAD_RANDOM_PROGRAMS</c> sets how many (default 1 000; 100000 for
/// the large run), <c>STATICGRAD_RANDOM_SEED</c> the first batch seed, <c>STATICGRAD_RANDOM_BATCH</c> runs one
/// batch (the seed printed with a failure) alone (docs/random-programs.md). A failure prints the first failing program
/// minimised (<see cref="FailureReport"/>).
/// </summary>
public sealed class RandomProgramTests
{
    private const int DefaultPrograms = 1000;
    private const int BatchSize = 250;
    private const int DefaultSeed = 20261123;
    private const int MaxReported = 20;
    private const double MaxSkippedFraction = 0.05;
    private const int MinFusedShare = 50;

    /// <summary>
    /// Wrong gradients found and not yet fixed, by batch seed and program seed, each with what is known. Every entry
    /// is printed by every run that meets it, and is the first item of the next session's work (docs/random-programs.md,
    /// "Open").
    /// </summary>
    private static readonly Dictionary<(int Batch, int Program), string> KnownOpen = new()
    {
    };

    private readonly ITestOutputHelper _output;

    public RandomProgramTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_compile_and_match_finite_differences()
    {
        var total = Setting("STATICGRAD_RANDOM_PROGRAMS", DefaultPrograms);
        var firstSeed = Setting("STATICGRAD_RANDOM_SEED", DefaultSeed);
        var only = Environment.GetEnvironmentVariable("STATICGRAD_RANDOM_BATCH");
        var seeds = only is not null
            ? new[] { int.Parse(only, CultureInfo.InvariantCulture) }
            : Enumerable.Range(0, (total + BatchSize - 1) / BatchSize).Select(b => firstSeed + b).ToArray();

        var stopwatch = Stopwatch.StartNew();

        // The batches are independent (every program's points come from its own seed), so they run side by side: one
        // batch is a single-threaded minute of generator, emit and checks, and CI has two cores.
        var outcomes = new BatchOutcome[seeds.Length];
        Parallel.For(
            0,
            seeds.Length,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            b => outcomes[b] = RunBatch(seeds[b], Math.Min(BatchSize, total - (b * BatchSize))));

        var failures = outcomes.SelectMany(o => o.Failures).ToList();
        var kindCounts = outcomes.SelectMany(o => o.KindCounts).GroupBy(k => k.Key).ToDictionary(g => g.Key, g => g.Sum(k => k.Value));
        var checks = outcomes.Select(o => o.Check).ToList();
        var compared = checks.Sum(c => c.Compared);
        var skipped = checks.Sum(c => c.Skipped);
        var programs = outcomes.Sum(o => o.Programs);
        var checkedPrograms = outcomes.Sum(o => o.CheckedPrograms);
        var nonFinitePoints = outcomes.Sum(o => o.NonFinitePoints);
        var sourceCharacters = outcomes.Sum(o => o.SourceCharacters);
        var generatorTime = TimeSpan.FromTicks(outcomes.Sum(o => o.GeneratorTime.Ticks));
        var emitTime = TimeSpan.FromTicks(outcomes.Sum(o => o.EmitTime.Ticks));
        var tangentTime = TimeSpan.FromTicks(outcomes.Sum(o => o.TangentTime.Ticks));
        var tangentsChecked = outcomes.Sum(o => o.TangentsChecked);
        var fusedMethods = outcomes.Sum(o => o.FusedMethods);
        var jacobianEntries = outcomes.Sum(o => o.JacobianEntries);
        var jacobianSkipped = outcomes.Sum(o => o.JacobianSkipped);
        var jacobianFailures = outcomes.SelectMany(o => o.JacobianFailures).ToList();
        var uses = outcomes.SelectMany(o => o.Uses).ToList();

        var skippedFraction = skipped / (double)Math.Max(1, skipped + compared);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{programs} programs (+{RandomBatch.HelperCount} helpers per batch) in {seeds.Length} batches, {checkedPrograms} checked, {failures.Count} failed; " +
            $"{compared} partial derivatives compared, {skipped} skipped ({skippedFraction:P2}), {checks.Sum(c => c.OneSided)} at a kink of the point matched one-sided, {checks.Sum(c => c.FloatArtefacts)} float points excused by their double twin, {checks.Sum(c => c.UnresolvedPhases)} points excused for a periodic function past its rounding, {nonFinitePoints} non-finite points redrawn; " +
            $"{tangentsChecked} Tangent dot-product checks; {fusedMethods} methods with a fused reduction loop; " +
            $"{sourceCharacters / 1000} k characters of source; {stopwatch.Elapsed.TotalSeconds:F1} s total ({Math.Max(1, Environment.ProcessorCount)} batches at a time; summed over batches:) generator {generatorTime.TotalSeconds:F1} s, emit {emitTime.TotalSeconds:F1} s, Tangent compilation {tangentTime.TotalSeconds:F1} s."));

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeds {seeds[0]}..{seeds[^1]}: {kindCounts.GetValueOrDefault(ProblemKind.Crash)} crashes, {kindCounts.GetValueOrDefault(ProblemKind.GeneratedCodeError)} generated-code errors, " +
            $"{kindCounts.GetValueOrDefault(ProblemKind.NotGenerated)} refused, " +
            $"{kindCounts.GetValueOrDefault(ProblemKind.Threw)} threw, {kindCounts.GetValueOrDefault(ProblemKind.WrongGradient)} wrong gradients, " +
            $"{kindCounts.GetValueOrDefault(ProblemKind.TangentDisagrees)} Tangent/Backward disagreements."));
        _output.WriteLine("Production shares: " + ProductionShares.Describe(uses));
        _output.WriteLine(GenericTwins.Describe(outcomes.Select(o => o.GenericTwins!)));
        foreach (var known in outcomes.SelectMany(o => o.KnownOpenReports))
        {
            _output.WriteLine("Known open defect met (not counted as a failure): " + known);
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Result helpers' Jacobians: {jacobianEntries} entries compared, {jacobianSkipped} skipped at a kink, {jacobianFailures.Count} wrong."));
        foreach (var failure in failures.Take(MaxReported))
        {
            _output.WriteLine("----------------\n" + failure.Report);
        }

        // The first failure, minimised: a one-screen bug report.
        var minimized = failures.Count == 0 ? null : FailureReport.Minimized(failures[0].Batch, failures[0].Program, failures[0].Kind);
        var kinds = failures.GroupBy(f => f.Report.Split('\n')[0].Split(" at (")[0].Split(" line ")[0]).Select(g => $"{g.Count()} × {g.Key}");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {programs + seeds.Length * RandomBatch.HelperCount} methods failed:\n{string.Join("\n", kinds)}\n\n"
            + (minimized is null ? "" : $"The first one ({failures[0].Kind}), minimised (batch seed {failures[0].Batch.Seed}, program seed {failures[0].Program.Seed}):\n\n{minimized}\n----------------\n\n")
            + "The first ones:\n\n" + string.Join("\n\n----------------\n\n", failures.Take(3).Select(f => f.Report)));
        Assert.True(jacobianFailures.Count == 0, string.Join("\n", jacobianFailures.Take(MaxReported)));
        Assert.True(skippedFraction <= MaxSkippedFraction, $"{skippedFraction:P2} of the comparisons were skipped as ill-conditioned (at most {MaxSkippedFraction:P0} allowed).");
        Assert.True(only is not null || checkedPrograms >= total, $"Only {checkedPrograms} of {total} programs were checked.");

        // Reduction-loop fusion rewrites the whole backward of a loop: the random programs must keep exercising it.
        Assert.True(only is not null || fusedMethods >= total / MinFusedShare, $"Only {fusedMethods} of {total} programs had a fused reduction loop.");
    }

    /// <summary>Compiles and checks one batch; everything it counts is its own, so batches can run in parallel.</summary>
    private static BatchOutcome RunBatch(int seed, int size)
    {
        var batch = RandomBatch.Create(seed, size);
        var outcome = new BatchOutcome { Programs = batch.Programs.Count, SourceCharacters = batch.Source.Length };
        outcome.Uses.AddRange(batch.Programs.Select(p => p.Uses));

        // Nullable analysis of the random source finds nothing to check here (it holds no reference-type annotations;
        // the generated code's nullable warnings are StrictConsumerTests' job) and is a fifth of the emit.
        var compiled = CompiledBatch.Compile(new[] { batch.Source }, batch.Methods, nullableAnalysis: false);
        outcome.GeneratorTime = compiled.GeneratorTime;
        outcome.EmitTime = compiled.EmitTime;
        Assert.True(compiled.GeneratorException is null, $"The generator threw on batch seed {seed}: {compiled.GeneratorException}");
        var tangentStopwatch = Stopwatch.StartNew();
        var tangents = Forward.TangentAdapters.CompileAgainst(compiled, batch.Methods.Where(m => compiled.Loaded.ContainsKey(m.Key)).ToList());
        outcome.TangentTime = tangentStopwatch.Elapsed;
        var (jacobianProblems, compared, skipped) = JacobianCheck.Run(compiled, seed);
        outcome.JacobianEntries = compared;
        outcome.JacobianSkipped = skipped;
        outcome.JacobianFailures.AddRange(jacobianProblems);
        var nonFinitePoints = 0;
        foreach (var method in batch.Methods)
        {
            outcome.FusedMethods += compiled.GeneratedSource.TryGetValue(method.Key, out var source) && source.Contains("// Fused:", StringComparison.Ordinal) ? 1 : 0;
            var program = batch.Find(method);
            var twin = new Lazy<DoubleTwin?>(() => DoubleTwin.Compile(batch.Helpers, program));
            var phase = new Lazy<UnresolvedPhase?>(() => UnresolvedPhase.Compile(batch.Helpers, program));
            var problems = ProgramCheck.Run(compiled, tangents, method, program.Seed, outcome.Check, ref nonFinitePoints, () => twin.Value, () => phase.Value);
            outcome.TangentsChecked += compiled.Loaded.ContainsKey(method.Key) ? ProgramCheck.PointsPerProgram : 0;
            outcome.CheckedPrograms += method.TypeName == "Programs" ? 1 : 0;
            foreach (var kind in problems.Select(p => p.Kind).Distinct())
            {
                outcome.KindCounts[kind] = outcome.KindCounts.GetValueOrDefault(kind) + 1;
            }

            if (problems.Count > 0 && KnownOpen.TryGetValue((seed, program.Seed), out var why))
            {
                // A defect found, recorded and still open: reported in the output, not a failure of this run.
                outcome.KnownOpenReports.Add($"batch {seed}, program seed {program.Seed}: {why}\n{problems[0].Text}");
            }
            else if (problems.Count > 0)
            {
                // Finite differences of a program with Detach need its lockstep reference, which the minimiser cannot
                // shrink along: such a program is minimised under its other problem (usually the Tangent's), if any.
                var kind = problems.FirstOrDefault(p => !program.NeedsReference || !ProgramCheck.ComparesWithFiniteDifferences(p), problems[0]).Kind;
                outcome.Failures.Add((batch, program, kind, string.Join("\n", problems.Take(5).Select(p => p.Text)) + $"\n\n{batch.Reproduction(method)}\n{Generated(compiled, method)}"));
            }
        }

        outcome.NonFinitePoints = nonFinitePoints;

        // Session 22: a share of the programs again as generic-math methods, their generated code against this batch's.
        outcome.GenericTwins = GenericTwins.Check(batch, compiled, tangents);
        outcome.Failures.AddRange(outcome.GenericTwins.Failures.Select(f => (batch, f.Program, f.Kind, f.Report)));
        return outcome;
    }

    private static string Generated(CompiledBatch compiled, MethodUnderTest method) =>
        compiled.GeneratedSource.TryGetValue(method.Key, out var generated) ? "// generated\n" + generated : "// no generated code";

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private sealed class BatchOutcome
    {
        public List<(RandomBatch Batch, RandomProgram Program, ProblemKind Kind, string Report)> Failures { get; } = new();

        public Dictionary<ProblemKind, int> KindCounts { get; } = new();

        public TwoStepCheck Check { get; } = new();

        public List<IReadOnlyCollection<Production>> Uses { get; } = new();

        public List<string> JacobianFailures { get; } = new();

        public List<string> KnownOpenReports { get; } = new();

        public GenericTwins.Outcome? GenericTwins { get; set; }

        public int Programs { get; init; }

        public long SourceCharacters { get; init; }

        public int CheckedPrograms { get; set; }

        public int NonFinitePoints { get; set; }

        public int TangentsChecked { get; set; }

        public int FusedMethods { get; set; }

        public int JacobianEntries { get; set; }

        public int JacobianSkipped { get; set; }

        public TimeSpan GeneratorTime { get; set; }

        public TimeSpan EmitTime { get; set; }

        public TimeSpan TangentTime { get; set; }
    }
}
