using System;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// Derivatives of [Differentiable] callees written from the call's value, for callee bodies the lowering recognises
/// (<c>Lowering/CalleeResultForms.cs</c>). The reverse sweep has the value where the call is a statement's whole right
/// side (its target, see <c>ReverseValueCache</c>), so the partial costs a multiplication where the callee's backward
/// would evaluate the callee again.
/// </summary>
public static class ResultRules
{
    /// <summary>σ(z) = 1 / (1 + exp(−z)).</summary>
    public const string Logistic = "Logistic";

    /// <summary>The C# text of <c>g·∂f/∂z</c> for the one parameter of a callee of this form; <see cref="RuleContext.Y"/> is the call's value.</summary>
    public static string Partial(string form, RuleContext c) => form switch
    {
        // σ′ = σ·(1 − σ), as PyTorch's sigmoid backward. Where σ rounds to 1 (z > 37) this is 0 instead of exp(−z),
        // an absolute error below 1e-16; where exp(−z) overflows (z < −709) it is 0 where exp(−z)/(1 + exp(−z))² is NaN.
        Logistic => $"{c.G} * {c.Y} * ({c.L(1)} - {c.Y})",
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "No derivative written from the value for this form."),
    };
}
