namespace StaticGrad;

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method as constant for
/// differentiation: the static counterpart of <c>requires_grad=False</c> (frozen weights, data). The parameter gets
/// no adjoint in the generated backward, and all work that only served its derivative is removed.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoGradAttribute : Attribute
{
}
