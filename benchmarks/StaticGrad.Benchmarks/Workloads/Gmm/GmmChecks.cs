using StaticGrad.Benchmarks.Checking;
using StaticGrad.Benchmarks.Infrastructure;

namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>The GMM correctness checks run by --verify (and by samples/Gmm).</summary>
public static class GmmChecks
{
    /// <summary>Instances small enough for finite differences over every parameter in a fast check.</summary>
    public static readonly string[] FiniteDifferenceChecked = ["1k/gmm_d2_K5", "1k/gmm_d10_K5"];

    public static void Run(Verifier verifier, string? dataDirectory)
    {
        verifier.Section(dataDirectory is null
            ? "GMM (generated instances: ../shared/adbench not found, no reference objectives to compare with)"
            : $"GMM (ADBench files in {dataDirectory})");
        foreach (var name in GmmCatalog.Benchmarked.Concat(FiniteDifferenceChecked).Distinct())
        {
            Check(verifier, GmmCatalog.Get(name, dataDirectory), withFiniteDifferences: FiniteDifferenceChecked.Contains(name));
        }
    }

    public static void Check(Verifier verifier, GmmInstance instance, bool withFiniteDifferences)
    {
        var objective = GmmObjective.Evaluate(instance);
        if (GmmCatalog.ReferenceObjectives.TryGetValue(instance.Name, out var reference))
        {
            verifier.Value($"{instance.Name} objective vs JAX/PyTorch reference", reference, objective, 1e-10);
        }

        var hand = new double[instance.ParameterCount];
        var handValue = GmmGradients.HandWritten(instance, hand);
        verifier.Value($"{instance.Name} hand-written gradient's value vs objective", objective, handValue, 1e-12);

        if (withFiniteDifferences)
        {
            var fd = new double[instance.ParameterCount];
            GmmGradients.FiniteDifferences(instance, fd);
            verifier.Gradient($"{instance.Name} hand-written vs central differences ({instance.ParameterCount} parameters)", hand, fd, Verifier.FiniteDifferenceTolerance(objective));
        }

        var tape = new double[instance.ParameterCount];
        verifier.Value($"{instance.Name} tape's value vs objective", objective, new GmmTape(instance).Gradient(tape), 1e-12);
        verifier.Gradient($"{instance.Name} tape vs hand-written", hand, tape, GradientComparison.ExactTolerance);

#if GENERATED_GMM
        var generated = new double[instance.ParameterCount];
        var generatedValue = GmmGradients.Generated(instance, generated);
        verifier.Value($"{instance.Name} generated backward's value vs objective", objective, generatedValue, 1e-12);
        verifier.Gradient($"{instance.Name} generated vs hand-written", hand, generated, GradientComparison.ExactTolerance);
        verifier.Note($"{instance.Name} generated backward: tape reserved {TapeProbe.ReservedBytesAfter(() => GmmGradients.Generated(instance, new double[instance.ParameterCount])) / 1e6:F2} MB (at least its peak, less than twice it)");
#else
        verifier.Skip($"{instance.Name} generated", "GMM is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif
    }
}
