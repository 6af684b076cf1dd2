namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The square root that ends a System.Numerics norm (<c>Vector2/3/4</c> and <c>Quaternion</c> <c>Length</c>,
/// <c>Distance</c>, <c>Complex.Abs</c> and <c>Magnitude</c>), lowered as √s of s = Σxᵢ² and called as
/// <c>Math.Sqrt</c>/<c>MathF.Sqrt</c>. Its rule is √′ = g / (2·√s) with the subgradient 0 where the norm is 0, as
/// PyTorch's norm backward masks a zero norm (<c>scale = grad / norm</c>, <c>masked_fill_(norm == 0, 0)</c>): at the
/// zero vector the chain through s (∂s/∂xᵢ = 2xᵢ = 0) would otherwise multiply 0 by ∞. The mask is one compare and
/// select per norm, on the value the reverse sweep already has. A hand-written <c>Math.Sqrt</c> keeps the plain rule
/// (NaN at 0, as torch.sqrt's backward).
/// </summary>
public static class NormRule
{
    /// <summary>The IR's name for the norm's square root; the emitted code calls <see cref="Calls"/>.</summary>
    public const string Function = "NormSqrt";

    /// <summary>The Math/MathF function the emitted code calls for <see cref="Function"/>.</summary>
    public const string Calls = "Sqrt";

    internal static BuiltinRule Rule { get; } =
        new BuiltinRule(Function, 1, false, (c, _) => $"({c.Y} == {c.Zero} ? {c.Zero} : {c.G} / ({c.L(2)} * {c.Y}))") { CalledAs = Calls };
}
