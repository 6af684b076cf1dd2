namespace StaticGrad;

/// <summary>What one checkpointed reverse sweep cost, against the bound Revolve guarantees.</summary>
/// <param name="Steps">The number of time steps reversed.</param>
/// <param name="Snapshots">The number of states the schedule may hold besides the initial one.</param>
/// <param name="Repetitions">
/// Revolve's repetition number <c>t</c>: the least <c>t</c> with <c>C(snapshots + 1 + t, t) ≥ steps</c>; no step is
/// advanced more than <c>t</c> times.
/// </param>
/// <param name="Advances">Forward steps taken to rebuild states (the step inside each pullback not counted); at most <c>Repetitions · Steps</c>.</param>
/// <param name="Pullbacks">Pullbacks called: exactly <c>Steps</c>.</param>
/// <param name="PeakStates">The most states held at once, the initial one included: at most <c>Snapshots + 1</c>.</param>
public readonly record struct CheckpointStatistics(int Steps, int Snapshots, int Repetitions, long Advances, long Pullbacks, int PeakStates);
