using System.Diagnostics;
using System.Globalization;
using StaticGrad.Generator.Tests.Correctness.Harness;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Thousands of random [Differentiable] programs, compiled in batches with the generator in-process, every gradient
/// checked against finite differences, and every generated Tangent against the generated Backward (dot-product
/// test, <see cref="Forward.DotProductCheck"/>). <c>STATICGRAD_RANDOM_PROGRAMS</c> sets how many (default 2 000; 100000 for
/// the large run), <c>STATICGRAD_RANDOM_SEED</c> the first batch seed, <c>STATICGRAD_RANDOM_BATCH</c> runs one
/// batch (the seed printed with a failure) alone.
/// </summary>
public sealed class RandomProgramTests
{
    private const int DefaultPrograms = 2000;
    private const int BatchSize = 250;
    private const int DefaultSeed = 20261123;
    private const int PointsPerProgram = 2;
    private const double MaxSkippedFraction = 0.05;
    private const int MinFusedShare = 50;

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
        var failures = new List<string>();
        var check = new TwoStepCheck();
        int programs = 0, checkedPrograms = 0, nonFinitePoints = 0;
        long sourceCharacters = 0;
        var generatorTime = TimeSpan.Zero;
        var emitTime = TimeSpan.Zero;
        var tangentTime = TimeSpan.Zero;
        var tangentsChecked = 0;
        var fusedMethods = 0;
        foreach (var seed in seeds)
        {
            var batch = RandomBatch.Create(seed, Math.Min(BatchSize, total - programs));
            programs += batch.Programs.Count;
            sourceCharacters += batch.Source.Length;
            var compiled = CompiledBatch.Compile(new[] { batch.Source }, batch.Methods);
            generatorTime += compiled.GeneratorTime;
            emitTime += compiled.EmitTime;
            Assert.True(compiled.GeneratorException is null, $"The generator threw on batch seed {seed}: {compiled.GeneratorException}");
            var tangentStopwatch = Stopwatch.StartNew();
            var tangents = Forward.TangentAdapters.CompileAgainst(compiled, batch.Methods.Where(m => compiled.Loaded.ContainsKey(m.Key)).ToList());
            tangentTime += tangentStopwatch.Elapsed;

            foreach (var method in batch.Methods)
            {
                if (compiled.Failures.TryGetValue(method.Key, out var reason))
                {
                    failures.Add($"{reason}\n\n{batch.Reproduction(method)}\n{Generated(compiled, method)}");
                    continue;
                }

                var loaded = compiled.Loaded[method.Key];
                fusedMethods += compiled.GeneratedSource.TryGetValue(method.Key, out var source) && source.Contains("// Fused:", StringComparison.Ordinal) ? 1 : 0;
                var random = new Random(batch.Find(method).Seed);
                var before = check.Problems.Count;
                for (var p = 0; p < PointsPerProgram; p++)
                {
                    var point = FiniteDifferenceCheck.DrawPoint(method, random);
                    var attempts = 0;
                    while (!double.IsFinite(loaded.Primal(FiniteDifferenceCheck.Copy(point))) && attempts++ < 5)
                    {
                        nonFinitePoints++;
                        point = FiniteDifferenceCheck.DrawPoint(method, random);
                    }

                    check.Check(loaded, point);
                    if (p == 0)
                    {
                        check.CheckContract(loaded, point, random);
                    }

                    if (Forward.DotProductCheck.Check(method, tangents[method.Key], loaded.Backward, point, random) is { } tangentProblem)
                    {
                        check.Problems.Add("Tangent: " + tangentProblem);
                    }

                    tangentsChecked++;
                }

                checkedPrograms += method.TypeName == "Programs" ? 1 : 0;
                if (check.Problems.Count > before)
                {
                    failures.Add(string.Join("\n", check.Problems.Skip(before).Take(5)) + $"\n\n{batch.Reproduction(method)}\n{Generated(compiled, method)}");
                }
            }
        }

        var skippedFraction = check.Skipped / (double)Math.Max(1, check.Skipped + check.Compared);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{programs} programs (+{RandomBatch.HelperCount} helpers per batch) in {seeds.Length} batches, {checkedPrograms} checked, {failures.Count} failed; " +
            $"{check.Compared} partial derivatives compared, {check.Skipped} skipped ({skippedFraction:P2}), {nonFinitePoints} non-finite points redrawn; " +
            $"{tangentsChecked} Tangent dot-product checks; {fusedMethods} methods with a fused reduction loop; " +
            $"{sourceCharacters / 1000} k characters of source; {stopwatch.Elapsed.TotalSeconds:F1} s total, generator {generatorTime.TotalSeconds:F1} s, emit {emitTime.TotalSeconds:F1} s, Tangent compilation {tangentTime.TotalSeconds:F1} s."));

        var kinds = failures.GroupBy(f => f.Split('\n')[0].Split(" at (")[0].Split(" line ")[0]).Select(g => $"{g.Count()} × {g.Key}");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {programs + seeds.Length * RandomBatch.HelperCount} methods failed:\n{string.Join("\n", kinds)}\n\nThe first ones:\n\n" + string.Join("\n\n----------------\n\n", failures.Take(3)));
        Assert.True(skippedFraction <= MaxSkippedFraction, $"{skippedFraction:P2} of the comparisons were skipped as ill-conditioned (at most {MaxSkippedFraction:P0} allowed).");
        Assert.True(only is not null || checkedPrograms >= total, $"Only {checkedPrograms} of {total} programs were checked.");

        // Reduction-loop fusion rewrites the whole backward of a loop: the random programs must keep exercising it.
        Assert.True(only is not null || fusedMethods >= total / MinFusedShare, $"Only {fusedMethods} of {total} programs had a fused reduction loop.");
    }

    private static string Generated(CompiledBatch compiled, MethodUnderTest method) =>
        compiled.GeneratedSource.TryGetValue(method.Key, out var generated) ? "// generated\n" + generated : "// no generated code";

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
