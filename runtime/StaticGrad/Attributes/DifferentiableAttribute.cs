namespace StaticGrad;

/// <summary>
/// Marks a method whose derivatives StaticGrad generates while the project compiles.
/// </summary>
/// <remarks>
/// <para>
/// Reverse mode: for a method <c>double F(double x, double y)</c> in a <c>partial</c> type, the generator emits
/// <c>double FBackward(double x, double y, ref double dx, ref double dy, double seed = 1.0)</c>, which returns
/// <c>F(x, y)</c> and adds <c>seed·∂F/∂x</c> to <c>dx</c> and <c>seed·∂F/∂y</c> to <c>dy</c>. Adjoints accumulate,
/// as PyTorch accumulates into <c>.grad</c>: the caller zeroes them. Parameters marked <see cref="NoGradAttribute"/>
/// and non-floating parameters get no adjoint. What cannot be differentiated is reported as a compile error at
/// the offending expression (diagnostics SG1xxx).
/// </para>
/// <para>
/// Forward mode, with <see cref="Forward"/> = <c>true</c> (or the project property <c>StaticGradForward</c>): it also
/// emits <c>(double Value, double Tangent) FTangent(double x, double y, double dx, double dy)</c>,
/// which returns <c>F(x, y)</c> and the directional derivative <c>∂F/∂x·dx + ∂F/∂y·dy</c> (a Jacobian-vector
/// product) in one pass, with the same body language as the backward. The tangents follow the original parameters
/// and are named like the adjoints; an array or span parameter takes a <c>ReadOnlySpan</c> tangent with one entry
/// per element; a <c>float</c> method has <c>float</c> tangents; [NoGrad] and non-floating parameters get none.
/// Calls go through the callees' <c>Tangent</c>; a callee with only a [DerivativeOf] rule (a pullback) is
/// differentiated through it: its value is a scalar, so the pullback with seed 1 returns the value and the gradient, dotted with the
/// arguments' tangents.
/// </para>
/// <para>
/// Second order, with <see cref="Hessian"/> = <c>true</c>: <c>double FHessianVector(double x, double y, double vx,
/// double vy, ref double hvx, ref double hvy)</c> adds H·v to the products (they accumulate) and returns ⟨∇F, v⟩;
/// <c>void FHessian(double x, double y, Span&lt;double&gt; hessian)</c> writes the dense n×n Hessian row by row.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// Also generate the forward mode <c>{Name}Tangent</c>. When not set, the project property
    /// <c>&lt;StaticGradForward&gt;true&lt;/StaticGradForward&gt;</c> decides (off by default); a value set here wins.
    /// </summary>
    public bool Forward { get; set; }

    /// <summary>
    /// Also generate the <c>Tensor</c> overload (one node of the runtime graph whose backward is the generated code),
    /// and for a method over <c>Tensor</c>s the fused node <c>{Name}Fused</c>. When not set, the project property
    /// <c>&lt;StaticGradTensor&gt;true&lt;/StaticGradTensor&gt;</c> decides (off by default); a value set here wins.
    /// </summary>
    public bool Tensor { get; set; }

    /// <summary>
    /// Also generate the second-order methods <c>{Name}HessianVector</c> and <c>{Name}Hessian</c> (computed
    /// reverse-over-forward: the reverse mode of the forward-mode code). Off by default, so that methods that need
    /// only gradients carry no extra generated code. Every [Differentiable] method this one calls with a
    /// derivative-carrying argument must opt in too (SG1012 otherwise).
    /// </summary>
    public bool Hessian { get; set; }

    /// <summary>
    /// For a method returning a tuple or a differentiable struct: also generate <c>{Name}Jacobian</c>, which returns the
    /// value and adds the partial derivatives of each floating field of the result into its own set of adjoints
    /// (<c>dXdCamera</c>, <c>dYdCamera</c>, …): every row of the Jacobian from one forward sweep where the body allows
    /// it, instead of one backward call (each with its forward sweep) per field. Off by default.
    /// </summary>
    public bool Jacobian { get; set; }

    /// <summary>
    /// Always generate <c>{Name}BackwardIncludingNoGrad</c>, the backward that also differentiates the [NoGrad]
    /// floating parameters, which generated callers use when their argument for such a parameter carries a derivative.
    /// Within one project it is generated whenever such a caller exists, so this is needed only for callers in other
    /// assemblies (a library's public method): without it their derivative through that argument is dropped (SG1011).
    /// </summary>
    public bool IncludingNoGrad { get; set; }
}
