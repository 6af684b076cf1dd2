namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// One generated expression in three spellings: <see cref="Src"/> goes into the [Differentiable] method;
/// <see cref="Ref"/> and <see cref="Shadow"/> go into its finite-difference reference, which runs the program twice in
/// lockstep: the normal copy (at the perturbed point) and the shadow copy (variables suffixed <c>_0</c>, at the base
/// point). <c>Autograd.Detach(e)</c> and NoGrad assignments take the shadow's value, which is exactly the constant the
/// backward must treat them as.
/// </summary>
public readonly record struct Fragment(string Src, string Ref, string Shadow)
{
    public static Fragment Variable(string name) => new(name, name, name + "_0");

    public static Fragment Constant(string text) => new(text, text, text);

    public static Fragment Inactive(string text) => new(text, text, text);

    public Fragment Wrap(string prefix, string suffix) => new(prefix + Src + suffix, prefix + Ref + suffix, prefix + Shadow + suffix);

    public static Fragment Combine(string format, params Fragment[] parts) => new(
        string.Format(System.Globalization.CultureInfo.InvariantCulture, format, parts.Select(p => (object)p.Src).ToArray()),
        string.Format(System.Globalization.CultureInfo.InvariantCulture, format, parts.Select(p => (object)p.Ref).ToArray()),
        string.Format(System.Globalization.CultureInfo.InvariantCulture, format, parts.Select(p => (object)p.Shadow).ToArray()));

    public Fragment Detached(string detach) => new(detach + "(" + Src + ")", Shadow, Shadow);
}
