using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>One compilation's worth of random programs: a few helpers, then programs that may call them.</summary>
public sealed class RandomBatch
{
    public const int HelperCount = 8;

    private RandomBatch(int seed, string source, IReadOnlyList<RandomProgram> helpers, IReadOnlyList<RandomProgram> programs)
    {
        Seed = seed;
        Source = source;
        Helpers = helpers;
        Programs = programs;
        Methods = MethodUnderTest.ReadAll(source).Where(m => !ProgramGenerator.ResultHelperNames.Contains(m.Name)).ToList();
    }

    public int Seed { get; }

    public string Source { get; }

    public IReadOnlyList<RandomProgram> Helpers { get; }

    public IReadOnlyList<RandomProgram> Programs { get; }

    public IReadOnlyList<MethodUnderTest> Methods { get; }

    /// <summary>Programs (and helpers) are fully determined by the batch seed and their index.</summary>
    public static RandomBatch Create(int seed, int programCount)
    {
        var helpers = Enumerable.Range(0, HelperCount).Select(i => ProgramGenerator.Helper("H" + i, ProgramSeed(seed, -1 - i), 1 + i % 2)).ToArray();
        var callable = helpers.Select((h, i) => new RandomHelper("Helpers." + h.Name, 1 + i % 2, h.NeedsReference)).ToArray();
        var programs = Enumerable.Range(0, programCount).Select(i => ProgramGenerator.Program("P" + i, ProgramSeed(seed, i), callable)).ToArray();
        helpers = helpers.Concat(ProgramGenerator.SliceHelpers()).Concat(ProgramGenerator.ArrayHelpers()).Concat(ProgramGenerator.ResultHelpers(seed)).Concat(ProgramGenerator.GridHelpers()).Append(ProgramGenerator.LogisticHelper()).Append(ProgramGenerator.InHelper()).Append(ProgramGenerator.HornerHelper(seed)).ToArray();
        var source = ProgramGenerator.CompilationUnit("RandomBatch" + seed.ToString(System.Globalization.CultureInfo.InvariantCulture), helpers, programs);
        return new RandomBatch(seed, source, helpers, programs);
    }

    public static int ProgramSeed(int batchSeed, int index) => unchecked(batchSeed * 100_003 + index * 7_919);

    public RandomProgram Find(MethodUnderTest method) =>
        Programs.Concat(Helpers).Single(p => p.Name == method.Name);

    /// <summary>The program's source with the helpers it calls: what a bug report needs.</summary>
    public string Reproduction(MethodUnderTest method)
    {
        var program = Find(method);
        var called = Helpers.Where(h => program.Source.Contains("Helpers." + h.Name + "(", StringComparison.Ordinal) || program.Source.Contains("Helpers." + h.Name + "_", StringComparison.Ordinal));
        return $"// batch seed {Seed}, {method.Key}, program seed {program.Seed}\n" + program.Source
            + string.Concat(called.Select(h => "\n// helper\n" + h.Source));
    }
}
