namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Corpus functions whose construct the compiler does not support yet, with the reason. For these the tests assert
/// the other half of the contract instead: the generator refuses them (a diagnostic, no backward), never wrong code.
/// Each entry is a bug report for the compiler; remove it when the construct is supported.
/// </summary>
internal static class UnsupportedByCompiler
{
    public static readonly IReadOnlyDictionary<string, string> Functions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Session 21's refusals, each one located error with a rewrite that works (Session21RefusalTests; the rewrite is
        // in the corpus next to it and checked against finite differences).
        ["S21Economics.Black76PutAbramowitz"] = "calls a helper that is not [Differentiable] with values that carry a derivative (SG1001 at each call: mark it; rewrite Black76PutMarkedHelper)",
        ["S21Forms.UnmarkedExpressionBodiedHelper"] = "calls a one-line helper that is not [Differentiable] (SG1001 at each call: mark it; rewrite MarkedExpressionBodiedHelper)",
        ["S21Forms.InParameterHelper"] = "passes an argument by 'in' to a [Differentiable] helper: the call of its backward is not written for reference parameters yet (SG1002 at each call; rewrite ValueParameterRewrite)",
        ["S21Forms.RefReadonlyParameterHelper"] = "passes an argument by 'ref readonly' to a [Differentiable] helper, as for 'in' (SG1002 at each call; rewrite ValueParameterRewrite)",
        ["S21Forms.OutParameterHelper"] = "a helper returning values through 'out' parameters has no derivative to give for them (SG1002 at the call; rewrite TupleResultRewrite)",
        ["S21Forms.ReadOnlyListHelper"] = "an IReadOnlyList<double> parameter has no adjoint type (SG1002 at the conversion; rewrite ReadOnlySpanRewrite)",
        ["S21Forms.ListLocal"] = "a List<double> local is not an array the reverse sweep can index (SG1002 at the declaration; rewrite ArrayInsteadOfList)",
        ["S21Forms.NullCoalescing"] = "a double? local is not a number the reverse sweep can hold (SG1002 at the declaration; rewrite DefaultInsteadOfNullable)",

        // Session 23's refusals (Session23CorpusTests): one located error each, in the user's words, with the rewrite.
        ["S23Finance.BondFromCouponArray"] = "a local array of a record struct, whose fields are read-only, has no adjoint to write field by field (SG1002 at the declaration: use an array of tuples; the rewrite, a static readonly table of the record struct, is S23Finance.BondPrice)",
        ["S23Robotics.DenavitHartenbergTip"] = "a Matrix4x4 product has no rule (one SG1002, at the first '*' of the method: Session23CorpusFollowUpTests; session 23 wrote one, but the tangent then left CS0219 on the product's unused constant fields: reverted; rewrite: rotate and translate the point with Vector3 and Quaternion)",
    };
}
