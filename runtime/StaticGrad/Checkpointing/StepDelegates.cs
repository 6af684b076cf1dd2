namespace StaticGrad;

/// <summary>One time step of a checkpointed loop: the state after the step, from the state before it.</summary>
/// <typeparam name="TState">The loop's state: a floating scalar or a differentiable struct.</typeparam>
/// <param name="state">The state before the step.</param>
/// <returns>The state after the step.</returns>
public delegate TState CheckpointStep<TState>(TState state);

/// <summary>
/// The pullback of one time step: ADDS <c>seed · ∂step/∂state</c> to <paramref name="dState"/> (the adjoint of the state
/// before the step), and accumulates the partials of whatever else the step reads (its parameters) wherever the caller
/// keeps them. A generated <c>{Step}Backward</c> of a <c>[Differentiable]</c> step is exactly this.
/// </summary>
/// <typeparam name="TState">The loop's state.</typeparam>
/// <param name="state">The state before the step (the pullback recomputes the step from it).</param>
/// <param name="dState">The adjoint of the state before the step; the pullback adds to it.</param>
/// <param name="seed">The adjoint of the state after the step.</param>
public delegate void CheckpointPullback<TState>(TState state, ref TState dState, TState seed);

/// <summary>
/// The seed of the reverse sweep, computed from the final state: the adjoint of the loss with respect to the final
/// state (for example from the generated backward of the loss). Called once, when the final state is first known.
/// </summary>
/// <typeparam name="TState">The loop's state.</typeparam>
/// <param name="finalState">The state after the last step.</param>
/// <returns>The adjoint of the final state.</returns>
public delegate TState CheckpointSeed<TState>(TState finalState);
