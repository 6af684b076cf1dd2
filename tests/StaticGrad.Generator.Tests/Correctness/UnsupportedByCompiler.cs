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
        ["S21Forms.InParameterHelper"] = "passes an 'S21Cpx', a readonly struct with get-only properties, to a [Differentiable] helper (SG1002 at each call: its adjoint could not be written; the helper's own parameter gets SG1004). Its 'in' is accepted since session 25; rewrite ValueParameterRewrite",
        ["S21Forms.RefReadonlyParameterHelper"] = "passes arguments to a [Differentiable] helper's 'ref readonly' parameter (SG1002 at each call, saying to declare it 'in', which session 25 supports; rewrite ValueParameterRewrite)",
        ["S21Forms.OutParameterHelper"] = "a helper returning values through 'out' parameters has no derivative to give for them (SG1002 at the call; rewrite TupleResultRewrite)",
        ["S21Forms.ReadOnlyListHelper"] = "an IReadOnlyList<double> parameter has no adjoint type (SG1002 at the conversion; rewrite ReadOnlySpanRewrite)",
        ["S21Forms.ListLocal"] = "a List<double> local is not an array the reverse sweep can index (SG1002 at the declaration; rewrite ArrayInsteadOfList)",
        ["S21Forms.NullCoalescing"] = "a double? local is not a number the reverse sweep can hold (SG1002 at the declaration; rewrite DefaultInsteadOfNullable)",

        // Session 23's refusals (Session23CorpusTests): one located error each, in the user's words, with the rewrite.
        ["S23Finance.BondFromCouponArray"] = "a local array of a record struct, whose fields are read-only, has no adjoint to write field by field (SG1002 at the declaration: use an array of tuples; the rewrite, a static readonly table of the record struct, is S23Finance.BondPrice)",
        ["S23Robotics.DenavitHartenbergTip"] = "a Matrix4x4 product has no rule (one SG1002, at the first '*' of the method: Session23CorpusFollowUpTests; session 23 wrote one, but the tangent then left CS0219 on the product's unused constant fields: reverted; rewrite: rotate and translate the point with Vector3 and Quaternion)",

        // Session 24's refusals (Session24CorpusTests): one located error each, in the user's words, with the rewrite.
        ["S24Biology.BevertonHoltStock"] = "creates an object of a class ('new S24PopulationModel()') and calls its [Differentiable] instance method (SG1002 at the local: class locals are not supported; rewrite: call S24PopulationModel.HarvestedStock's backward on the instance, checked in the corpus)",
        ["S24Game.ProjectileApexAndRange"] = "creates an object of a class ('new S24Launcher()') and calls its [Differentiable] instance method (SG1002 at the local; rewrite: call S24Launcher.ApexPlusRange's backward on the instance, checked in the corpus)",
        ["S24Electrical.TransformerLosses"] = "calls a [Differentiable] instance method on a new object, 'new S24Transformer().Efficiency(…)' (SG1002 at the call: instance methods of other objects; rewrite: S24Transformer.Efficiency on the instance)",
        ["S24Audio.FirOutputPower"] = "a span window of a parameter array, 'var window = signal.AsSpan(i, n);' (SG1010 at the local: a local span must be created with new/stackalloc; rewrite FirOutputPowerIndexed: read signal[i + k])",
        ["S24Pharmacology.AucTrapezoid"] = "a span slice of a parameter array, 'var inner = concentrations.AsSpan(1, n - 2);' (SG1010 at the local; rewrite AucTrapezoidIndexed: index the array; a 'ReadOnlySpan<double> c = array;' local before it is a second SG1010 of its own)",

        // Session 25's refusals (Session25CorpusTests): one located error each, in the user's words, with the rewrite.
        ["S25Economics.TotalInterestDecimal"] = "an amortisation loop in decimal: decimal has no derivative (one SG1002 at the first decimal local, saying to compute in double; rewrite TotalInterest)",
        ["S25Climate.BudykoIceLineTemperature"] = "'goto case 1;' in a switch statement (SG1002 at the goto: write the jump as a loop or a bool flag; rewrite BudykoIceLineTemperatureFlag)",
        ["S25Ratings.EloAfterSeason"] = "a local array made by '(double[])ratings.Clone()' (SG1010 at the local: create it with new T[n] and copy; rewrite EloAfterSeasonCopied)",
        ["S25Traffic.LaxFriedrichsEnergy"] = "a local array swapped with another, 'current = updated;' (SG1010 at the assignment; rewrite LaxFriedrichsEnergyCopied: copy the elements back)",
        ["S25Molecular.PairEnergy"] = "a record struct method with a block body, 'a.DistanceTo(b)' (SG1002 at the call: only one-expression members are read through; rewrite PairEnergyExpressionBodied)",
        ["S25Actuarial.CombinedRatio"] = "a local array aliasing a configured static table, 'var weights = Override ?? Default;' (SG1010 at the local; rewrite CombinedRatioTableRead: read the table's element where it is needed)",
    };
}
