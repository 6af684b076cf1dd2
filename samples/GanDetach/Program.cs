// Seed 003's GAN scenario (SPEC R16/R21): the discriminator is trained on fake.Detach(), so its step leaves the
// generator's gradients untouched; the generator's own step then flows through the discriminator and updates it.
using System.Globalization;
using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var rng = new RandomGenerator(3);

var gen = new Sequential(new Linear(2, 16, generator: rng), new Tanh(), new Linear(16, 2, generator: rng));
var disc = new Sequential(new Linear(2, 16, generator: rng), new Tanh(), new Linear(16, 1, generator: rng), new Sigmoid());
var genOptimizer = new Adam(gen.Parameters(), lr: 0.01, beta1: 0.5);
var discOptimizer = new Adam(disc.Parameters(), lr: 0.01, beta1: 0.5);

const int Batch = 64;
var ones = Tensor.Ones([Batch, 1]);
var zeros = Tensor.Zeros([Batch, 1]);

for (var step = 1; step <= 160; step++)
{
    // Real samples around (2, -1); the generator maps noise to fakes.
    var real = (Tensor.Randn([Batch, 2], rng) * 0.5) + Tensor.FromArray([2.0, -1.0]);
    var fake = gen.Forward(Tensor.Randn([Batch, 2], rng));

    // Discriminator step on fake.Detach(): the graph is cut, nothing reaches the generator.
    discOptimizer.ZeroGrad();
    genOptimizer.ZeroGrad();
    var discLoss = Bce(disc.Forward(real), ones) + Bce(disc.Forward(fake.Detach()), zeros);
    discLoss.Backward();
    var genGradsAfterDiscStep = gen.NamedParameters().Select(p => p.Parameter.Grad).ToList();
    discOptimizer.Step();

    // For the printout only: without Detach the same loss would have sent gradients into the generator. Autograd.Grad
    // leaves every Grad untouched, and retainGraph keeps fake's graph for the generator's step.
    var leakedNorm = step == 1
        ? Norm(Autograd.Grad(Bce(disc.Forward(fake), zeros), gen.Parameters().Cast<Tensor>().ToList(), retainGraph: true, allowUnused: true))
        : 0.0;

    // RandomGenerator step: through the discriminator, into the generator.
    genOptimizer.ZeroGrad();
    var genBefore = gen.Parameters().Select(p => p.ToArray()).ToList();
    var discBefore = disc.Parameters().Select(p => p.ToArray()).ToList();
    var genLoss = Bce(disc.Forward(fake), ones);
    genLoss.Backward();
    var genGradNorm = Math.Sqrt(gen.Parameters().Sum(p => p.Grad!.ToArray().Sum(g => g * g)));
    genOptimizer.Step();

    if (step == 1)
    {
        Console.WriteLine("Step 1, discriminator update on fake.Detach():");
        foreach (var ((name, _), grad) in gen.NamedParameters().Zip(genGradsAfterDiscStep))
        {
            Console.WriteLine($"  generator {name,-9} grad after the discriminator's backward: {(grad is null ? "null" : "NOT NULL (the detach failed)")}");
        }

        Console.WriteLine($"  (without Detach, the generator would have received gradients of norm {leakedNorm:F4})");

        Console.WriteLine("Step 1, generator update through the discriminator:");
        Console.WriteLine($"  generator gradient norm {genGradNorm:F4}");
        Console.WriteLine($"  generator parameters changed: {Changed(gen, genBefore)} of {gen.Parameters().Count()}");
        Console.WriteLine($"  discriminator parameters changed by the generator's step: {Changed(disc, discBefore)} of {disc.Parameters().Count()}");
        Console.WriteLine();
    }

    if (step % 40 == 0)
    {
        var mean = fake.Detach().Mean(0).ToArray();
        Console.WriteLine($"step {step,3}: discriminator loss {discLoss.Item():F4}, generator loss {genLoss.Item():F4}, mean fake sample ({mean[0]:F2}, {mean[1]:F2}), target (2.00, -1.00)");
    }

    if (genGradsAfterDiscStep.Any(g => g is not null))
    {
        Console.WriteLine("UNEXPECTED: the discriminator's backward reached the generator.");
        return 1;
    }
}

return 0;

// Binary cross entropy of probabilities p against 0/1 targets, averaged (PyTorch's nn.BCELoss).
static Tensor Bce(Tensor p, Tensor target) =>
    -((target * p.Clamp(1e-7, 1 - 1e-7).Log()) + ((1 - target) * (1 - p).Clamp(1e-7, 1 - 1e-7).Log())).Mean();

static double Norm(IEnumerable<Tensor?> tensors) =>
    Math.Sqrt(tensors.Where(t => t is not null).Sum(t => t!.ToArray().Sum(v => v * v)));

static int Changed(Module module, List<double[]> before) =>
    module.Parameters().Zip(before).Count(pair => !pair.First.ToArray().SequenceEqual(pair.Second));
