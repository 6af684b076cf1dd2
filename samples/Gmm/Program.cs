using System.Diagnostics;
using System.Globalization;
using StaticGrad.Benchmarks.Checking;
using StaticGrad.Benchmarks.Infrastructure;
using StaticGrad.Benchmarks.Workloads.Gmm;

// The ADBench Gaussian mixture objective: load a file (or generate one with the same shape), print the objective
// and the gradient's norm, check the gradients against each other and against finite differences, time them.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const string DefaultInstance = "1k/gmm_d10_K25";

string? file = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--data" && i + 1 < args.Length)
    {
        file = args[++i];
    }
    else
    {
        Console.Error.WriteLine("usage: dotnet run --project samples/Gmm [-- --data <ADBench gmm file>]");
        return 2;
    }
}

GmmInstance instance;
if (file is not null)
{
    if (!File.Exists(file))
    {
        Console.Error.WriteLine($"The GMM file '{file}' does not exist.");
        return 2;
    }

    instance = GmmInstance.Load(file);
}
else
{
    var data = AdbenchData.Directory;
    instance = GmmCatalog.Get(DefaultInstance, data);
    if (data is null)
    {
        Console.WriteLine("../shared/adbench was not found: using a generated instance with the shape of " + DefaultInstance + ".");
    }
}

Console.WriteLine($"{instance.Name}: D={instance.D}, K={instance.K}, N={instance.N}, {instance.ParameterCount} parameters");
var objective = GmmObjective.Evaluate(instance);
Console.WriteLine($"objective            {objective:R}");
if (GmmCatalog.ReferenceObjectives.TryGetValue(instance.Name, out var reference))
{
    Console.WriteLine($"JAX/PyTorch reference {reference:R} (relative difference {Math.Abs(objective - reference) / Math.Abs(reference):E2})");
}

var hand = new double[instance.ParameterCount];
GmmGradients.HandWritten(instance, hand);
Console.WriteLine($"‖gradient‖            {Math.Sqrt(hand.Sum(g => g * g)):R}");

var verifier = new Verifier(Console.Out);
verifier.Section("Checks");
#if GENERATED_GMM
var generated = new double[instance.ParameterCount];
GmmGradients.Generated(instance, generated);
verifier.Gradient("generated vs hand-written", hand, generated, GradientComparison.ExactTolerance);
#else
verifier.Skip("generated vs hand-written", "GMM is not in StaticGradGeneratedWorkloads: the generator cannot differentiate the objective yet");
#endif

// Central differences on at most 60 entries spread over alphas, means and icf: all of them would take 2·P objectives.
var sampled = Enumerable.Range(0, Math.Min(60, instance.ParameterCount)).Select(j => (int)((long)j * instance.ParameterCount / Math.Min(60, instance.ParameterCount))).ToArray();
var fd = sampled.Select(index => FiniteDifferences.CentralAt(() => GmmObjective.Evaluate(instance), Locate(instance, index, out var local), local)).ToArray();
verifier.Gradient($"hand-written vs central differences on {sampled.Length} entries", sampled.Select(j => hand[j]).ToArray(), fd, Verifier.FiniteDifferenceTolerance(objective));

verifier.Section("Timings (mean of repeated calls, this machine, noisy)");
var objectiveTime = Time(() => GmmObjective.Evaluate(instance));
Console.WriteLine($"  objective     {objectiveTime * 1e3,10:F3} ms");
var handTime = Time(() => GmmGradients.HandWritten(instance, hand));
Console.WriteLine($"  hand-written  {handTime * 1e3,10:F3} ms  (gradient ÷ objective {handTime / objectiveTime:F2})");
#if GENERATED_GMM
var generatedTime = Time(() => GmmGradients.Generated(instance, generated));
Console.WriteLine($"  generated     {generatedTime * 1e3,10:F3} ms  (gradient ÷ objective {generatedTime / objectiveTime:F2}, ÷ hand-written {generatedTime / handTime:F2})");
#endif
Console.WriteLine($"{verifier.Passed} passed, {verifier.Failed} failed");
return verifier.Failed > 0 ? 1 : 0;

// The array holding flat gradient entry `index` (alphas, then means, then icf) and the entry's position in it.
static double[] Locate(GmmInstance instance, int index, out int local)
{
    var means = instance.K * instance.D;
    (var array, local) = index < instance.K ? (instance.Alphas, index)
        : index < instance.K + means ? (instance.Means, index - instance.K)
        : (instance.Icf, index - instance.K - means);
    return array;
}

// Seconds per call: repeated for at least half a second after one warm-up call.
static double Time(Func<double> action)
{
    action();
    var calls = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < 0.5)
    {
        action();
        calls++;
    }

    return watch.Elapsed.TotalSeconds / calls;
}
