namespace StaticGrad.Benchmarks.Workloads.Lstm;

/// <summary>The LSTM gradient (main parameters, then extra parameters) by every implementation; each returns the loss.</summary>
public static class LstmGradients
{
    public static double HandWritten(LstmProblem p, LstmHandGradient workspace, Span<double> gradient) => workspace.Gradient(p, gradient);

#if GENERATED_LSTM
    public static double Generated(LstmProblem p, Span<double> gradient)
    {
        gradient.Clear();
        return LstmObjective.LossBackward(
            p.MainParams, p.ExtraParams, p.State, p.Sequence, p.Layers, p.Hidden, p.Steps,
            gradient[..p.MainParams.Length], gradient[p.MainParams.Length..]);
    }
#endif

    public static double FiniteDifferences(LstmProblem p, Span<double> gradient)
    {
        Checking.FiniteDifferences.Central(p.Loss, [p.MainParams, p.ExtraParams], gradient);
        return p.Loss();
    }
}
