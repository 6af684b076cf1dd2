namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Max, Min and Abs in a finite-difference reference, where their arguments can tie at the base point at every point:
/// <c>Max(Detach(u), u)</c> is <c>Max(u_0, u)</c> there. A single tie is fine for central differences (they give the
/// mean of the two one-sided slopes, which is the rule's 0.5), but ties composed along one path are not: every tie
/// follows the sign of the step together, so central differences average only the all-left and the all-right
/// combination of branches, while the rule (0.5 at each tie, composed by the chain rule) averages all of them
/// (batch 20261212 P189: three ties, Backward 0.040859 = the mean of all 8 branch combinations, central differences
/// 0.040431 = the mean of the 2 that occur; <see cref="NestedTieTests"/>). At a tie of the base point the reference
/// therefore evaluates the rule's own smooth function: the mean of the arguments for Max and Min (derivative 0.5 each),
/// the constant 0 for Abs (derivative 0), the identity for Clamp on a bound and the sign-frozen line for CopySign at
/// a zero (see each); everywhere else the plain function.
/// </summary>
public static class TieReference
{
    public const string ClassName = "TieReference";

    public const string Source = """
        public static class TieReference
        {
            public static double Max(double a, double b, double a0, double b0) => a0 == b0 ? 0.5 * (a + b) : Math.Max(a, b);
            public static float Max(float a, float b, float a0, float b0) => a0 == b0 ? 0.5f * (a + b) : MathF.Max(a, b);
            public static double Min(double a, double b, double a0, double b0) => a0 == b0 ? 0.5 * (a + b) : Math.Min(a, b);
            public static float Min(float a, float b, float a0, float b0) => a0 == b0 ? 0.5f * (a + b) : MathF.Min(a, b);
            public static double Abs(double a, double a0) => a0 == 0 ? 0.0 : Math.Abs(a);
            public static float Abs(float a, float a0) => a0 == 0 ? 0f : MathF.Abs(a);
            public static double Clamp(double a, double lo, double hi, double a0, double lo0, double hi0) => a0 == lo0 || a0 == hi0 ? a : Math.Clamp(a, lo, hi);
            public static float Clamp(float a, float lo, float hi, float a0, float lo0, float hi0) => a0 == lo0 || a0 == hi0 ? a : Math.Clamp(a, lo, hi);
            public static double CopySign(double a, double b, double a0, double b0) => a0 == 0 ? a * Math.CopySign(1.0, a0) * Math.CopySign(1.0, b0) : b0 == 0 ? Math.CopySign(a, b0) : Math.CopySign(a, b);
            public static float CopySign(float a, float b, float a0, float b0) => a0 == 0 ? a * MathF.CopySign(1f, a0) * MathF.CopySign(1f, b0) : b0 == 0 ? MathF.CopySign(a, b0) : MathF.CopySign(a, b);
        }
        """;

    /// <summary><c>{m}.Max(a, b)</c> or <c>{m}.Min(a, b)</c>, whose reference spelling splits a tie of the base point evenly.</summary>
    public static Fragment Extremum(string m, string function, Fragment a, Fragment b) => new(
        $"{m}.{function}({a.Src}, {b.Src})",
        $"{ClassName}.{function}({a.Ref}, {b.Ref}, {a.Shadow}, {b.Shadow})",
        $"{m}.{function}({a.Shadow}, {b.Shadow})");

    /// <summary>
    /// <c>Math.Clamp(a, lo, hi)</c>, whose reference spelling is the identity in <c>a</c> where <c>a</c> sits on a bound
    /// at the base point (the rule passes the whole adjoint to <c>a</c> on the closed interval, none to the bounds).
    /// </summary>
    public static Fragment Clamp(Fragment a, Fragment lo, Fragment hi) => new(
        $"Math.Clamp({a.Src}, {lo.Src}, {hi.Src})",
        $"{ClassName}.Clamp({a.Ref}, {lo.Ref}, {hi.Ref}, {a.Shadow}, {lo.Shadow}, {hi.Shadow})",
        $"Math.Clamp({a.Shadow}, {lo.Shadow}, {hi.Shadow})");

    /// <summary>
    /// <c>{m}.CopySign(a, b)</c>. The rule's slope in <c>a</c> is sign(a)·sign(b) with the signs of the values (a zero's
    /// sign bit included) and 0 in <c>b</c>: at a zero of <c>a</c> at the base point the reference is that line through
    /// the point, <c>a·sign(a₀)·sign(b₀)</c>; at a zero of <c>b</c> the sign of <c>b</c> stays that of <c>b₀</c>.
    /// </summary>
    public static Fragment CopySign(string m, Fragment a, Fragment b) => new(
        $"{m}.CopySign({a.Src}, {b.Src})",
        $"{ClassName}.CopySign({a.Ref}, {b.Ref}, {a.Shadow}, {b.Shadow})",
        $"{m}.CopySign({a.Shadow}, {b.Shadow})");

    /// <summary><c>{m}.Abs(a)</c>, whose reference spelling is flat at a zero of the base point.</summary>
    public static Fragment Abs(string m, Fragment a) => new($"{m}.Abs({a.Src})", $"{ClassName}.Abs({a.Ref}, {a.Shadow})", $"{m}.Abs({a.Shadow})");
}
