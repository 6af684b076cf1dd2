namespace StaticGrad;

/// <summary>
/// Marks a method whose reverse-mode derivative StaticGrad generates while the project compiles.
/// </summary>
/// <remarks>
/// For a method <c>double F(double x, double y)</c> in a <c>partial</c> type, the generator emits
/// <c>double FBackward(double x, double y, ref double dx, ref double dy, double seed = 1.0)</c>, which returns
/// <c>F(x, y)</c> and adds <c>seed·∂F/∂x</c> to <c>dx</c> and <c>seed·∂F/∂y</c> to <c>dy</c>. Adjoints accumulate,
/// as PyTorch accumulates into <c>.grad</c>: the caller zeroes them. Parameters marked <see cref="NoGradAttribute"/>
/// and non-floating parameters get no adjoint. What cannot be differentiated is reported as a compile error at
/// the offending expression (diagnostics SG1xxx).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
