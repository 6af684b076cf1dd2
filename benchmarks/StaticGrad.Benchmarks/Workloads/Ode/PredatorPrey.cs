namespace StaticGrad.Benchmarks.Workloads.Ode;

/// <summary>Prey and predator populations (thousands).</summary>
public readonly record struct Populations(double Prey, double Predators);

/// <summary>The Lotka–Volterra rates: prey birth, predation, predator death, and conversion of prey eaten into predators.</summary>
public record struct Rates(double Birth, double Predation, double Death, double Conversion);

/// <summary>
/// Lotka–Volterra, x' = αx − βxy, y' = δxy − γy, stepped with RK4 for a long horizon, and the squared distance of
/// the final populations from a target: once as a <c>[Differentiable]</c> step over a struct state (driven by
/// <see cref="Checkpoint"/> or by a loop that stores every state), once as one <c>[Differentiable]</c> loop whose
/// generated backward saves every step on its tape.
/// </summary>
public static partial class PredatorPrey
{
    /// <summary>The time step.</summary>
    public const double H = 1e-4;

#if GENERATED_ODE
    [Differentiable]
#endif
    public static Populations Step(Populations p, Rates r)
    {
        double k1x = (r.Birth * p.Prey) - (r.Predation * p.Prey * p.Predators);
        double k1y = (r.Conversion * p.Prey * p.Predators) - (r.Death * p.Predators);
        double x2 = p.Prey + (H / 2 * k1x);
        double y2 = p.Predators + (H / 2 * k1y);
        double k2x = (r.Birth * x2) - (r.Predation * x2 * y2);
        double k2y = (r.Conversion * x2 * y2) - (r.Death * y2);
        double x3 = p.Prey + (H / 2 * k2x);
        double y3 = p.Predators + (H / 2 * k2y);
        double k3x = (r.Birth * x3) - (r.Predation * x3 * y3);
        double k3y = (r.Conversion * x3 * y3) - (r.Death * y3);
        double x4 = p.Prey + (H * k3x);
        double y4 = p.Predators + (H * k3y);
        double k4x = (r.Birth * x4) - (r.Predation * x4 * y4);
        double k4y = (r.Conversion * x4 * y4) - (r.Death * y4);
        return new Populations(p.Prey + (H / 6 * (k1x + (2 * k2x) + (2 * k3x) + k4x)), p.Predators + (H / 6 * (k1y + (2 * k2y) + (2 * k3y) + k4y)));
    }

#if GENERATED_ODE
    [Differentiable]
#endif
    public static double Loss(Populations p) => ((p.Prey - 1.0) * (p.Prey - 1.0)) + ((p.Predators - 0.5) * (p.Predators - 0.5));

#if GENERATED_ODE
    [Differentiable]
#endif
    public static double Simulate(double prey, double predators, Rates r, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            double k1x = (r.Birth * prey) - (r.Predation * prey * predators);
            double k1y = (r.Conversion * prey * predators) - (r.Death * predators);
            double x2 = prey + (H / 2 * k1x);
            double y2 = predators + (H / 2 * k1y);
            double k2x = (r.Birth * x2) - (r.Predation * x2 * y2);
            double k2y = (r.Conversion * x2 * y2) - (r.Death * y2);
            double x3 = prey + (H / 2 * k2x);
            double y3 = predators + (H / 2 * k2y);
            double k3x = (r.Birth * x3) - (r.Predation * x3 * y3);
            double k3y = (r.Conversion * x3 * y3) - (r.Death * y3);
            double x4 = prey + (H * k3x);
            double y4 = predators + (H * k3y);
            double k4x = (r.Birth * x4) - (r.Predation * x4 * y4);
            double k4y = (r.Conversion * x4 * y4) - (r.Death * y4);
            prey += H / 6 * (k1x + (2 * k2x) + (2 * k3x) + k4x);
            predators += H / 6 * (k1y + (2 * k2y) + (2 * k3y) + k4y);
        }

        return ((prey - 1.0) * (prey - 1.0)) + ((predators - 0.5) * (predators - 0.5));
    }
}
