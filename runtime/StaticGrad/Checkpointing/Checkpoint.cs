namespace StaticGrad;

/// <summary>
/// Binomial checkpointing (Revolve) for the gradient of a long time-stepping loop: the reverse sweep of
/// <c>steps</c> applications of a step function, holding at most <c>snapshots + 1</c> states instead of one per step,
/// and advancing no step more than Revolve's repetition number <c>t</c> times (the least <c>t</c> with
/// <c>C(snapshots + 1 + t, t) ≥ steps</c>; for 10⁶ steps, 20 snapshots give <c>t = 7</c>, 100 give <c>t = 4</c>).
/// </summary>
/// <remarks>
/// A <c>[Differentiable]</c> method with a loop saves every overwritten value on its tape, O(steps × state) bytes.
/// Write the loop's body as a <c>[Differentiable]</c> step over a scalar or struct state instead, and pass the step and
/// its generated backward here: memory becomes O(snapshots × state) and time at most <c>t + 1</c> forward sweeps plus
/// one backward sweep. See docs/checkpointing.md.
/// </remarks>
public static class Checkpoint
{
    /// <summary>Revolve's repetition number: how many times, at most, a step is advanced when <paramref name="snapshots"/> states may be held besides the initial one.</summary>
    /// <param name="steps">The number of time steps.</param>
    /// <param name="snapshots">The number of states the schedule may hold besides the initial one.</param>
    /// <returns>The least <c>t</c> with <c>C(snapshots + 1 + t, t) ≥ steps</c>.</returns>
    public static int Repetitions(int steps, int snapshots)
    {
        ValidateCounts(steps, snapshots);
        return RevolveSchedule.Repetitions(steps, snapshots + 1);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps from <paramref name="initial"/> and the reverse sweep through them: ADDS the
    /// adjoint of the initial state to <paramref name="dInitial"/>; the step parameters' partials accumulate wherever
    /// <paramref name="pullback"/> puts them.
    /// </summary>
    /// <typeparam name="TState">The loop's state: a floating scalar or a differentiable struct.</typeparam>
    /// <param name="initial">The state before the first step.</param>
    /// <param name="steps">The number of steps (at least 1).</param>
    /// <param name="step">One step.</param>
    /// <param name="pullback">One step's pullback, e.g. a generated <c>{Step}Backward</c>.</param>
    /// <param name="seed">Gives the adjoint of the final state, once the final state is known.</param>
    /// <param name="dInitial">The adjoint of the initial state; the sweep adds to it.</param>
    /// <param name="snapshots">How many states may be held besides the initial one (at least 0).</param>
    /// <returns>The final state.</returns>
    public static TState Backward<TState>(TState initial, int steps, CheckpointStep<TState> step, CheckpointPullback<TState> pullback, CheckpointSeed<TState> seed, ref TState dInitial, int snapshots)
        => Backward(initial, steps, step, pullback, seed, ref dInitial, snapshots, out _);

    /// <summary>
    /// <see cref="Backward{TState}(TState, int, CheckpointStep{TState}, CheckpointPullback{TState}, CheckpointSeed{TState}, ref TState, int)"/>,
    /// also reporting what the sweep cost.
    /// </summary>
    /// <typeparam name="TState">The loop's state: a floating scalar or a differentiable struct.</typeparam>
    /// <param name="initial">The state before the first step.</param>
    /// <param name="steps">The number of steps (at least 1).</param>
    /// <param name="step">One step.</param>
    /// <param name="pullback">One step's pullback, e.g. a generated <c>{Step}Backward</c>.</param>
    /// <param name="seed">Gives the adjoint of the final state, once the final state is known.</param>
    /// <param name="dInitial">The adjoint of the initial state; the sweep adds to it.</param>
    /// <param name="snapshots">How many states may be held besides the initial one (at least 0).</param>
    /// <param name="statistics">Advances, pullbacks and the most states held, against Revolve's bound.</param>
    /// <returns>The final state.</returns>
    public static TState Backward<TState>(TState initial, int steps, CheckpointStep<TState> step, CheckpointPullback<TState> pullback, CheckpointSeed<TState> seed, ref TState dInitial, int snapshots, out CheckpointStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(pullback);
        ArgumentNullException.ThrowIfNull(seed);
        ValidateCounts(steps, snapshots);

        var sweep = new RevolveSweep<TState>(steps, step, pullback, seed);
        var adjoint = default(TState)!;
        sweep.Reverse(initial, 0, steps, snapshots + 1, ref adjoint);

        // The sweep stops short of the first step's pullback, so that it can add straight into the caller's adjoint.
        pullback(initial, ref dInitial, adjoint);
        statistics = new CheckpointStatistics(steps, snapshots, RevolveSchedule.Repetitions(steps, snapshots + 1), sweep.Advances, sweep.Pullbacks + 1, sweep.PeakStates);
        return sweep.Final;
    }

    private static void ValidateCounts(int steps, int snapshots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(snapshots);
    }
}
