using System.Diagnostics;
using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Hessians of random programs: the first <c>STATICGRAD_RANDOM_HESSIANS</c> programs of the run
/// (<c>STATICGRAD_RANDOM_PROGRAMS</c>, <c>STATICGRAD_RANDOM_SEED</c>, <c>STATICGRAD_RANDOM_BATCH</c>, as
/// <see cref="RandomProgramTests"/>; default a twentieth of the run, so CI's 1 000 give the first 50 of its first batch
/// seed, one compilation) are compiled again with every <c>[Differentiable]</c> of their batch, helpers and operators
/// included, made <c>[Differentiable(Hessian = true)]</c> (docs/configuration.md: a Hessian method's callees opt in
/// too), with no other opt-in output, and checked by <see cref="HessianCheck"/>. They are the programs the first-order
/// test checks (a program is determined by its batch seed and index), so a problem here is one of a program whose
/// Backward is right. Every problem fails the test: a refusal (no construct of the random programs is documented
/// without Hessians), generated code that does not compile, a throw, a wrong product or value. docs/random-programs.md,
/// "Hessians".
/// </summary>
public sealed class RandomHessianTests
{
    private const int BatchSize = 250;
    private const int DefaultPrograms = 1000;

    /// <summary>CI's share: a twentieth of the run's programs (its 1 000 give 50, one compilation of about 20 s at CI load).</summary>
    private const int ShareDivisor = 20;
    private const int DefaultSeed = 20261123;
    private const int MaxReported = 10;

    /// <summary>At most this share of the finite-difference comparisons may be skipped as ill-conditioned (kinks).</summary>
    private const double MaxSkippedFraction = 0.05;

    private readonly ITestOutputHelper _output;

    public RandomHessianTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_get_Hessians_that_match_differences_of_their_gradient()
    {
        var total = Setting("STATICGRAD_RANDOM_PROGRAMS", DefaultPrograms);
        var only = Environment.GetEnvironmentVariable("STATICGRAD_RANDOM_BATCH");
        var hessians = Math.Min(Setting("STATICGRAD_RANDOM_HESSIANS", only is not null ? BatchSize : Math.Max(1, total / ShareDivisor)), only is not null ? BatchSize : total);
        var firstSeed = Setting("STATICGRAD_RANDOM_SEED", DefaultSeed);
        var seeds = only is not null
            ? new[] { int.Parse(only, CultureInfo.InvariantCulture) }
            : Enumerable.Range(0, (hessians + BatchSize - 1) / BatchSize).Select(b => firstSeed + b).ToArray();

        var stopwatch = Stopwatch.StartNew();
        var check = new HessianCheck();
        var failures = new List<(RandomBatch Batch, RandomProgram Program, string Report)>();
        int programs = 0, methods = 0, checkedMethods = 0;
        var generatorTime = TimeSpan.Zero;
        var emitTime = TimeSpan.Zero;
        var checkTime = TimeSpan.Zero;
        foreach (var seed in seeds)
        {
            // The first programs of the batch the first-order run draws with this seed.
            var batch = RandomBatch.Create(seed, Math.Min(BatchSize, hessians - programs));
            programs += batch.Programs.Count;
            var compiled = CompiledBatch.Compile(new[] { WithHessians(batch.Source) }, batch.Methods, BuildProperties.None);
            generatorTime += compiled.GeneratorTime;
            emitTime += compiled.EmitTime;
            var checkStopwatch = Stopwatch.StartNew();
            Assert.True(compiled.GeneratorException is null, $"The generator threw on batch seed {seed}: {compiled.GeneratorException}");
            var loaded = batch.Methods.Where(m => compiled.Loaded.ContainsKey(m.Key)).ToList();
            var runners = loaded.Count == 0 ? new Dictionary<string, HessianRunner>() : HessianAdapters.CompileAgainst(compiled, loaded);
            foreach (var method in batch.Methods)
            {
                methods++;
                var program = batch.Find(method);
                var problems = HessianFailureReport.Problems(compiled, runners, method, program, batch.Helpers, check);
                checkedMethods += compiled.Loaded.ContainsKey(method.Key) ? 1 : 0;
                if (problems.Count > 0)
                {
                    failures.Add((batch, program, string.Join("\n", problems.Take(5)) + $"\n\n{batch.Reproduction(method)}"));
                }
            }

            checkTime += checkStopwatch.Elapsed;
        }

        var skippedFraction = check.Skipped / (double)Math.Max(1, check.Skipped + check.Compared);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Hessians: {programs} programs (+ helpers: {methods} methods) in {seeds.Length} batches (seeds {seeds[0]}..{seeds[^1]}), {checkedMethods} checked, {failures.Count} failed; " +
            $"{check.Compared} product entries compared with differences, {check.Skipped} skipped ({skippedFraction:P2}); {check.DenseChecked} dense Hessians; " +
            $"{check.ThroughReference} with Detach or NoGrad checked through their reference, {check.FloatThroughTwin} float ones through their double twin's reference ({check.FloatWithoutTwin} without a twin: ⟨∇f, v⟩ and dense = H·e only); " +
            $"{stopwatch.Elapsed.TotalSeconds:F1} s, generator {generatorTime.TotalSeconds:F1} s, emit {emitTime.TotalSeconds:F1} s, checks {checkTime.TotalSeconds:F1} s."));
        foreach (var failure in failures.Take(MaxReported))
        {
            _output.WriteLine("----------------\n" + failure.Report);
        }

        var minimized = failures.Count == 0 ? null : HessianFailureReport.Minimized(failures[0].Batch, failures[0].Program, failures[0].Report);
        Assert.True(failures.Count == 0, $"{failures.Count} of {methods} methods failed the Hessian check."
            + (minimized is null ? "" : $" The first one, minimised (batch seed {failures[0].Batch.Seed}, program seed {failures[0].Program.Seed}):\n\n{minimized}\n----------------")
            + "\n\nThe first ones:\n\n" + string.Join("\n\n----------------\n\n", failures.Take(3).Select(f => f.Report)));
        Assert.True(skippedFraction <= MaxSkippedFraction, $"{skippedFraction:P2} of the Hessian comparisons were skipped as ill-conditioned (at most {MaxSkippedFraction:P0} allowed).");
    }

    /// <summary>
    /// The batch with every method opted into Hessians (the helpers and operators a program calls need it too); the struct-
    /// and tuple-returning helpers keep the Jacobian they already opt into, so both outputs meet in one type.
    /// </summary>
    public static string WithHessians(string source) =>
        source.Replace("[Differentiable]", "[Differentiable(Hessian = true)]", StringComparison.Ordinal)
            .Replace("[Differentiable(Jacobian = true)]", "[Differentiable(Jacobian = true, Hessian = true)]", StringComparison.Ordinal);

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
