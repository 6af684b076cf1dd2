using System.Reflection;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>
/// Helpers for one-input methods of a <see cref="CompiledBatch"/>: the loaded method, its gradient at a point under a
/// seed, the exception a call throws, and the gradient against central finite differences plus the seed's linearity
/// (<see cref="FiniteDifferenceCheck.CheckAccumulationAndSeed"/>) at random points.
/// </summary>
public static class OneInputProbe
{
    public static LoadedMethod Loaded(CompiledBatch batch, string key)
    {
        Assert.True(batch.Loaded.TryGetValue(key, out var m), key + ": " + batch.Failures.GetValueOrDefault(key));
        return m!;
    }

    public static double Gradient(LoadedMethod loaded, double x, double seed)
    {
        var adjoints = new[] { new[] { 0.0 } };
        loaded.Backward(new[] { new[] { x } }, adjoints, seed);
        return adjoints[0][0];
    }

    /// <summary>The exception the action throws (unwrapped from reflection's), or null.</summary>
    public static Exception? Thrown(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Central finite differences at <paramref name="points"/> points, then accumulation and linearity under each seed.</summary>
    public static void AssertGradientAndSeeds(CompiledBatch batch, IReadOnlyList<MethodUnderTest> methods, string key, int points, int randomSeed, params double[] seeds)
    {
        batch.AssertAcceptedAndGradientMatches(key, methods, points);
        var method = methods.Single(m => m.Key == key);
        var check = new FiniteDifferenceCheck(Loaded(batch, key));
        var random = new Random(randomSeed);
        foreach (var seed in seeds)
        {
            check.CheckAccumulationAndSeed(FiniteDifferenceCheck.DrawPoint(method, random), random, seed);
        }

        Assert.True(check.Problems.Count == 0, key + ":\n" + check.Report());
    }
}
