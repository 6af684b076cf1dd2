using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Every hand-written corpus function's generated backward, checked against central finite differences at seeded
/// random points and against the contract (tolerances: <see cref="FiniteDifferenceCheck"/>).
/// </summary>
public sealed class CorpusGradientTests
{
    private const int PointsPerFunction = 4;

    public static TheoryData<string> Supported()
    {
        var data = new TheoryData<string>();
        foreach (var m in CorpusSources.Methods.Where(m => !UnsupportedByCompiler.Functions.ContainsKey(m.Key)))
        {
            data.Add(m.Key);
        }

        return data;
    }

    public static TheoryData<string> Unsupported()
    {
        var data = new TheoryData<string>();
        foreach (var key in UnsupportedByCompiler.Functions.Keys)
        {
            data.Add(key);
        }

        if (data.Count == 0)
        {
            data.Add("");
        }

        return data;
    }

    [Fact]
    public void Corpus_covers_at_least_sixty_functions()
    {
        Assert.True(CorpusSources.Methods.Count >= 60, $"The corpus has {CorpusSources.Methods.Count} functions.");
        Assert.Equal(CorpusSources.Methods.Count, CorpusSources.Methods.Select(m => m.Key).Distinct().Count());
    }

    [Fact]
    public void Generator_does_not_throw_on_the_corpus()
    {
        Assert.Null(CorpusCompilation.Batch.GeneratorException);
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var loaded = CorpusCompilation.Load(key);
        var check = new FiniteDifferenceCheck(loaded);
        var random = new Random(StableSeed(key));
        for (var i = 0; i < PointsPerFunction; i++)
        {
            check.CheckAgainstFiniteDifferences(FiniteDifferenceCheck.DrawPoint(loaded.Method, random));
        }

        Assert.True(check.Problems.Count == 0, $"{key}:\n{check.Report()}\n{CorpusCompilation.Batch.Describe(loaded.Method)}");
        Assert.True(check.Compared > 0 || !loaded.Method.Differentiable.Any(), $"{key}: nothing was compared.");
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void Adjoints_accumulate_and_seed_scales(string key)
    {
        var loaded = CorpusCompilation.Load(key);
        var check = new FiniteDifferenceCheck(loaded);
        var random = new Random(StableSeed(key) ^ 0x5EED);
        foreach (var seed in new[] { 1.0, 1.75, -0.5 })
        {
            check.CheckAccumulationAndSeed(FiniteDifferenceCheck.DrawPoint(loaded.Method, random), random, seed);
        }

        Assert.True(check.Problems.Count == 0, $"{key}:\n{check.Report()}\n{CorpusCompilation.Batch.Describe(loaded.Method)}");
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void Backward_signature_follows_the_contract(string key)
    {
        var loaded = CorpusCompilation.Load(key);
        var original = loaded.Original;
        var backward = loaded.BackwardInfo;
        var expected = original.GetParameters().Select(p => (p.Name, Describe(p.ParameterType))).ToList();
        var names = new Hygiene.DocumentedNames(loaded.Method);
        foreach (var p in original.GetParameters().Where(IsDifferentiable))
        {
            // A two-dimensional or jagged array's adjoint has the parameter's own type (docs/differentiable-bodies.md).
            var adjointType = p.ParameterType.IsArray && (p.ParameterType.GetArrayRank() > 1 || p.ParameterType.GetElementType()!.IsArray)
                ? Describe(p.ParameterType)
                : p.ParameterType.IsArray
                ? "Span<" + p.ParameterType.GetElementType()!.Name + ">"
                : p.ParameterType.IsGenericType ? "Span<" + p.ParameterType.GetGenericArguments()[0].Name + ">" : "ref " + p.ParameterType.Name;
            expected.Add((names.Adjoint(p.Name!), adjointType));
        }

        expected.Add((names.Seed(), original.ReturnType.Name));
        var actual = backward.GetParameters().Select(p => (p.Name, Describe(p.ParameterType))).ToList();

        Assert.Equal(expected, actual);
        Assert.Equal(original.ReturnType, backward.ReturnType);
        Assert.Equal(original.IsStatic, backward.IsStatic);
        var seed = backward.GetParameters()[^1];
        Assert.True(seed.HasDefaultValue, "seed must be optional");
        Assert.Equal(1.0, Convert.ToDouble(seed.DefaultValue, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Unsupported_functions_are_refused_never_miscompiled(string key)
    {
        if (key.Length == 0)
        {
            return;
        }

        Assert.False(
            CorpusCompilation.Batch.Loaded.ContainsKey(key),
            $"{key} is listed in UnsupportedByCompiler but now compiles: remove it from the list so its gradient is checked.");
        Assert.True(
            CorpusCompilation.Batch.Refusals.TryGetValue(key, out var findings) && findings.Any(f => f.Contains("(Error)", StringComparison.Ordinal)),
            $"{key} got no backward and no error diagnostic either.");
    }

    private static bool IsDifferentiable(ParameterInfo p)
    {
        var type = p.ParameterType;
        var element = type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : type;
        return (element == typeof(double) || element == typeof(float))
            && !p.CustomAttributes.Any(a => a.AttributeType.FullName == "StaticGrad.NoGradAttribute");
    }

    private static string Describe(Type type) => type switch
    {
        { IsByRef: true } => "ref " + type.GetElementType()!.Name,
        { IsGenericType: true } => type.Name[..type.Name.IndexOf('`')] + "<" + type.GetGenericArguments()[0].Name + ">",
        _ => type.Name,
    };

    /// <summary>A seed that does not change between runs (string.GetHashCode does).</summary>
    internal static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
