using System.ComponentModel;

namespace StaticGrad.CompilerServices;

/// <summary>A scalar <c>[Differentiable]</c> method applied to one element's arguments (generated code, not for users).</summary>
/// <typeparam name="T">The method's floating type.</typeparam>
/// <param name="args">One value per parameter, in declaration order.</param>
/// <returns>The method's result.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T LiftedForward<T>(ReadOnlySpan<T> args);

/// <summary>A call of the generated <c>{Name}Backward</c> on one element's arguments (generated code, not for users).</summary>
/// <typeparam name="T">The method's floating type.</typeparam>
/// <param name="args">One value per parameter, in declaration order.</param>
/// <param name="adjoints">One adjoint per parameter, zero on entry; the call adds seed·∂f/∂p (entries of [NoGrad] parameters stay zero).</param>
/// <param name="seed">The gradient of the output element.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void LiftedBackward<T>(ReadOnlySpan<T> args, Span<T> adjoints, T seed);

/// <summary>A <c>[Differentiable]</c> method over spans applied to whole arguments (generated code, not for users).</summary>
/// <typeparam name="T">The method's floating type.</typeparam>
/// <param name="args">One array per parameter: the elements of a span parameter, or one element for a scalar.</param>
/// <returns>The method's result.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T LiftedSpanForward<T>(T[][] args);

/// <summary>A call of the generated <c>{Name}Backward</c> of a method over spans (generated code, not for users).</summary>
/// <typeparam name="T">The method's floating type.</typeparam>
/// <param name="args">One array per parameter, as for <see cref="LiftedSpanForward{T}"/>.</param>
/// <param name="adjoints">One zeroed array per parameter, of the argument's length; the call adds seed·∂f/∂p.</param>
/// <param name="seed">The gradient of the (scalar) output.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate void LiftedSpanBackward<T>(T[][] args, T[][] adjoints, T seed);
