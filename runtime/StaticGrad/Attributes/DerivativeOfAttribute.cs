namespace StaticGrad;

/// <summary>
/// Declares that the marked static method is the reverse-mode derivative rule (the pullback) of another method,
/// like Swift's <c>@derivative(of:)</c> or JAX's <c>custom_vjp</c>. Use it for methods StaticGrad cannot read
/// (another library's code, native calls) or that deserve a better derivative than the mechanical one.
/// </summary>
/// <remarks>
/// The rule has the original method's parameters, then one <c>ref</c> adjoint per floating-point parameter (named
/// <c>d</c> + the parameter's PascalCase name), then the seed, and returns the original's value:
/// for <c>double Softplus(double x)</c> the rule is
/// <c>static double SoftplusPullback(double x, ref double dx, double seed)</c>, which must add
/// <c>seed·∂Softplus/∂x</c> to <c>dx</c>. The signature is checked at compile time.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>Declares the rule for method <paramref name="methodName"/> of <paramref name="declaringType"/>.</summary>
    /// <param name="declaringType">The type that declares the differentiated method.</param>
    /// <param name="methodName">The method's name; use <c>nameof</c>.</param>
    public DerivativeOfAttribute(Type declaringType, string methodName)
    {
        DeclaringType = declaringType;
        MethodName = methodName;
    }

    /// <summary>The type that declares the differentiated method.</summary>
    public Type DeclaringType { get; }

    /// <summary>The differentiated method's name.</summary>
    public string MethodName { get; }
}
