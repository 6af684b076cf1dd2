using StaticGrad;
using StaticGrad.Optim;
using static System.FormattableString;

namespace PhysicsFit;

/// <summary>The settings of one fit; the defaults are the sample's.</summary>
/// <param name="TrueStiffness">k of the synthetic data.</param>
/// <param name="TrueDamping">c of the synthetic data.</param>
/// <param name="InitialStiffness">The fit's starting k.</param>
/// <param name="InitialDamping">The fit's starting c.</param>
/// <param name="Observations">How many noisy positions are observed on [0, <paramref name="Duration"/>].</param>
/// <param name="Duration">The observed time span.</param>
/// <param name="Noise">The standard deviation of the Gaussian observation noise.</param>
/// <param name="Seed">The noise's seed (fixed, so that every run sees the same data).</param>
/// <param name="Steps">Runge–Kutta steps per integration.</param>
/// <param name="Iterations">Optimizer steps.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
public sealed record FitOptions(
    double TrueStiffness = 4.0,
    double TrueDamping = 0.3,
    double InitialStiffness = 3.0,
    double InitialDamping = 1.0,
    int Observations = 60,
    double Duration = 8.0,
    double Noise = 0.02,
    long Seed = 7,
    int Steps = 100,
    int Iterations = 300,
    double LearningRate = 0.05);

/// <summary>What a fit found, with the data and curves to plot.</summary>
/// <param name="Losses">The loss before each optimizer step, and after the last one.</param>
public sealed record FitResult(
    double Stiffness,
    double Damping,
    double FinalLoss,
    double[] Times,
    double[] Observed,
    double[] Initial,
    double[] Fitted,
    double[] Losses);

/// <summary>
/// Fits k and c of <see cref="Oscillator"/> to noisy observations: the lifted integrator runs over the tensor of
/// observation times with k and c as 0-d tensors that require grad (broadcast against the times), the loss is made
/// of runtime tensor ops, and Adam updates k and c from their accumulated gradients.
/// </summary>
public static class OscillatorFit
{
    public static FitResult Run(FitOptions options, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var times = Tensor.Arange(0, options.Observations) * (options.Duration / (options.Observations - 1));
        Tensor observed;
        using (Autograd.NoGrad())
        {
            var clean = Oscillator.Position(times, Tensor.Scalar(options.TrueStiffness), Tensor.Scalar(options.TrueDamping), options.Steps);
            observed = clean + Tensor.Randn(new[] { options.Observations }, options.Seed) * options.Noise;
        }

        var stiffness = Tensor.Scalar(options.InitialStiffness, requiresGrad: true);
        var damping = Tensor.Scalar(options.InitialDamping, requiresGrad: true);
        var initial = Predict(times, stiffness, damping, options.Steps);
        var optimizer = new Adam(new[] { stiffness, damping }, lr: options.LearningRate);
        double loss = double.NaN;
        var losses = new double[options.Iterations + 1];
        for (var iteration = 0; iteration <= options.Iterations; iteration++)
        {
            optimizer.ZeroGrad();

            // One PositionBackward node for all observation times; its backward runs the generated gradient of the
            // integrator per time and sums the k and c contributions into the two 0-d leaves.
            var predicted = Oscillator.Position(times, stiffness, damping, options.Steps);
            var residual = predicted - observed;
            var mse = (residual * residual).Mean();
            loss = mse.Item();
            losses[iteration] = loss;
            if (iteration == options.Iterations)
            {
                break;
            }

            mse.Backward();
            if (iteration % 25 == 0)
            {
                progress?.Invoke(Invariant($"iteration {iteration,4}  loss = {loss:E3}  k = {stiffness.Item():F4}  c = {damping.Item():F4}  dL/dk = {stiffness.Grad!.Item(),10:E2}  dL/dc = {damping.Grad!.Item(),10:E2}"));
            }

            optimizer.Step();
        }

        progress?.Invoke(Invariant($"iteration {options.Iterations,4}  loss = {loss:E3}  k = {stiffness.Item():F4}  c = {damping.Item():F4}"));
        return new FitResult(
            stiffness.Item(),
            damping.Item(),
            loss,
            times.ToArray(),
            observed.ToArray(),
            initial,
            Predict(times, stiffness, damping, options.Steps),
            losses);
    }

    private static double[] Predict(Tensor times, Tensor stiffness, Tensor damping, int steps)
    {
        using (Autograd.NoGrad())
        {
            return Oscillator.Position(times, stiffness, damping, steps).ToArray();
        }
    }
}
