namespace StaticGrad.Benchmarks.Workloads.Ode;

/// <summary>
/// The predator–prey gradient over a long horizon, four ways: the objective, the generated backward of the whole
/// loop (a tape of every step), the generated step backward driven over a buffer of every state, and the same step
/// backward under Revolve. Gradient layout: prey₀, predators₀, birth, predation, death, conversion.
/// </summary>
public sealed class OdeProblem(int steps)
{
    public const int GradientLength = 6;

    private Populations[]? _states;

    public int Steps { get; } = steps;

    public Populations Initial { get; } = new(0.9, 0.6);

    public Rates Rates { get; } = new(1.1, 0.4, 0.9, 0.35);

    public double Objective()
    {
        var p = Initial;
        for (int i = 0; i < Steps; i++)
        {
            p = PredatorPrey.Step(p, Rates);
        }

        return PredatorPrey.Loss(p);
    }

    public double FiniteDifference(int index, double h)
    {
        double Shifted(double delta)
        {
            var p = index == 0 ? Initial with { Prey = Initial.Prey + delta } : index == 1 ? Initial with { Predators = Initial.Predators + delta } : Initial;
            var r = Rates;
            r.Birth += index == 2 ? delta : 0;
            r.Predation += index == 3 ? delta : 0;
            r.Death += index == 4 ? delta : 0;
            r.Conversion += index == 5 ? delta : 0;
            for (int i = 0; i < Steps; i++)
            {
                p = PredatorPrey.Step(p, r);
            }

            return PredatorPrey.Loss(p);
        }

        return (Shifted(h) - Shifted(-h)) / (2 * h);
    }

#if GENERATED_ODE
    /// <summary>The generated backward of the one-loop simulation: its tape holds every step's overwritten values.</summary>
    public double GeneratedLoop(Span<double> gradient)
    {
        double dPrey = 0, dPredators = 0;
        var dRates = default(Rates);
        double loss = PredatorPrey.SimulateBackward(Initial.Prey, Initial.Predators, Rates, Steps, ref dPrey, ref dPredators, ref dRates);
        Write(gradient, new Populations(dPrey, dPredators), dRates);
        return loss;
    }

    /// <summary>The generated step backward over a buffer of every state: Steps × 16 bytes.</summary>
    public double StoreEveryState(Span<double> gradient)
    {
        _states ??= new Populations[Steps + 1];
        var rates = Rates;
        _states[0] = Initial;
        for (int i = 0; i < Steps; i++)
        {
            _states[i + 1] = PredatorPrey.Step(_states[i], rates);
        }

        var dFinal = default(Populations);
        double loss = PredatorPrey.LossBackward(_states[Steps], ref dFinal);
        var dRates = default(Rates);
        var adjoint = dFinal;
        for (int i = Steps - 1; i >= 0; i--)
        {
            var before = default(Populations);
            PredatorPrey.StepBackward(_states[i], rates, ref before, ref dRates, adjoint);
            adjoint = before;
        }

        Write(gradient, adjoint, dRates);
        return loss;
    }

    /// <summary>The generated step backward under binomial checkpointing with <paramref name="snapshots"/> held states.</summary>
    public double Checkpointed(int snapshots, Span<double> gradient, out CheckpointStatistics statistics)
    {
        var rates = Rates;
        var dRates = default(Rates);
        double loss = 0;
        var dInitial = default(Populations);
        Checkpoint.Backward(
            Initial,
            Steps,
            p => PredatorPrey.Step(p, rates),
            (Populations p, ref Populations dP, Populations seed) => PredatorPrey.StepBackward(p, rates, ref dP, ref dRates, seed),
            final =>
            {
                var dFinal = default(Populations);
                loss = PredatorPrey.LossBackward(final, ref dFinal);
                return dFinal;
            },
            ref dInitial,
            snapshots,
            out statistics);
        Write(gradient, dInitial, dRates);
        return loss;
    }
#endif

    private static void Write(Span<double> gradient, Populations dInitial, Rates dRates)
    {
        gradient[0] = dInitial.Prey;
        gradient[1] = dInitial.Predators;
        gradient[2] = dRates.Birth;
        gradient[3] = dRates.Predation;
        gradient[4] = dRates.Death;
        gradient[5] = dRates.Conversion;
    }
}
