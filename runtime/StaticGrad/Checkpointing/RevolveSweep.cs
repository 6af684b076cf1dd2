namespace StaticGrad;

/// <summary>
/// One checkpointed reverse sweep. <see cref="Reverse"/> holds the state at <c>from</c> and an adjoint of the state
/// at <c>to</c>, and leaves in it the adjoint of the state at <c>from</c> (or, for the first step, of the state after
/// it: <see cref="Checkpoint"/> applies that pullback itself). The recursion is Revolve's: advance to the split,
/// reverse the right part with one state fewer, then the left part with the states freed again. At most
/// <c>states</c> frames are live, each holding one state.
/// </summary>
internal sealed class RevolveSweep<TState>
{
    private readonly int _steps;
    private readonly CheckpointStep<TState> _step;
    private readonly CheckpointPullback<TState> _pullback;
    private readonly CheckpointSeed<TState> _seed;
    private int _held;

    public RevolveSweep(int steps, CheckpointStep<TState> step, CheckpointPullback<TState> pullback, CheckpointSeed<TState> seed)
    {
        _steps = steps;
        _step = step;
        _pullback = pullback;
        _seed = seed;
    }

    public long Advances { get; private set; }

    public long Pullbacks { get; private set; }

    public int PeakStates { get; private set; }

    public TState Final { get; private set; } = default!;

    public void Reverse(TState state, int from, int to, int states, ref TState adjoint)
    {
        // One frame per held state: the left part reuses this frame's state, so it is a loop, not a call.
        _held++;
        PeakStates = Math.Max(PeakStates, _held);
        while (true)
        {
            if (to - from == 1)
            {
                Leaf(state, from, ref adjoint);
                break;
            }

            if (states == 1)
            {
                // Nothing more may be held: rebuild each state from this one, last step first.
                for (int k = to - 1; k >= from; k--)
                {
                    Leaf(Advance(state, k - from), k, ref adjoint);
                }

                break;
            }

            int split = RevolveSchedule.Split(to - from, states);
            Reverse(Advance(state, split), from + split, to, states - 1, ref adjoint);
            to = from + split;
        }

        _held--;
    }

    private TState Advance(TState state, int count)
    {
        for (int i = 0; i < count; i++)
        {
            state = _step(state);
        }

        Advances += count;
        return state;
    }

    private void Leaf(TState state, int index, ref TState adjoint)
    {
        if (index == _steps - 1)
        {
            // The last step is reached first: its result is the final state, which the seed needs.
            Final = _step(state);
            Advances++;
            adjoint = _seed(Final);
        }

        if (index == 0)
        {
            return;
        }

        var before = default(TState)!;
        _pullback(state, ref before, adjoint);
        adjoint = before;
        Pullbacks++;
    }
}
