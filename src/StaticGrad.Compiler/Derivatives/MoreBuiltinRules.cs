using System;
using System.Collections.Generic;
using static StaticGrad.Compiler.Derivatives.BuiltinRules;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The rest of the one rule table (<see cref="BuiltinRules"/>): the functions .NET added to Math/MathF after the
/// classic set, and the static members of <c>double</c>/<c>float</c> (the generic-math surface,
/// <c>IFloatingPointIeee754&lt;T&gt;</c>). Every formula is written with Math/MathF functions only, so it reads the
/// same for a call spelled <c>Math.X</c>, <c>double.X</c> or <c>float.X</c>, and forward mode parses it like the others.
/// </summary>
internal static class MoreBuiltinRules
{
    public static IEnumerable<BuiltinRule> All => new[]
    {
        OnFloatingType(Unary("Exp2", c => $"{c.G} * {c.Y} * {c.L(Math.Log(2))}")),
        OnFloatingType(Unary("Exp10", c => $"{c.G} * {c.Y} * {c.L(Math.Log(10))}")),

        // expm1′ = exp = expm1 + 1: written with the value the reverse sweep already has.
        OnFloatingType(Unary("ExpM1", c => $"{c.G} * ({c.Y} + {c.L(1)})")),
        OnFloatingType(Unary("Exp2M1", c => $"{c.G} * ({c.Y} + {c.L(1)}) * {c.L(Math.Log(2))}")),
        OnFloatingType(Unary("Exp10M1", c => $"{c.G} * ({c.Y} + {c.L(1)}) * {c.L(Math.Log(10))}")),
        OnFloatingType(Unary("LogP1", c => $"{c.G} / ({c.A} + {c.L(1)})")),
        OnFloatingType(Unary("Log2P1", c => $"{c.G} / (({c.A} + {c.L(1)}) * {c.L(Math.Log(2))})")),
        OnFloatingType(Unary("Log10P1", c => $"{c.G} / (({c.A} + {c.L(1)}) * {c.L(Math.Log(10))})")),
        OnFloatingType(Binary("Hypot", (c, i) => $"{c.G} * {c.Args[i]} / {c.Y}")),

        // RootN(x, n) = x^(1/n): ∂/∂x = y / (n·x); n is an integer.
        OnFloatingType(Binary("RootN", (c, i) => i == 0 ? $"{c.G} * {c.Y} / ({c.B} * {c.A})" : null)),

        // Lerp(a, b, t) = a·(1 − t) + b·t.
        OnFloatingType(new BuiltinRule("Lerp", 3, false, (c, i) => i switch
        {
            0 => $"{c.G} * ({c.L(1)} - {c.C})",
            1 => $"{c.G} * {c.C}",
            _ => $"{c.G} * ({c.B} - {c.A})",
        })),
        OnFloatingType(Unary("SinPi", c => $"{c.G} * {c.L(Math.PI)} * {c.M}.Cos({c.L(Math.PI)} * {c.A})")),
        OnFloatingType(Unary("CosPi", c => $"-{c.G} * {c.L(Math.PI)} * {c.M}.Sin({c.L(Math.PI)} * {c.A})")),
        OnFloatingType(Unary("TanPi", c => $"{c.G} * {c.L(Math.PI)} * ({c.L(1)} + {c.Y} * {c.Y})")),
        OnFloatingType(Unary("AsinPi", c => $"{c.G} / ({c.L(Math.PI)} * {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A}))")),
        OnFloatingType(Unary("AcosPi", c => $"-{c.G} / ({c.L(Math.PI)} * {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A}))")),
        OnFloatingType(Unary("AtanPi", c => $"{c.G} / ({c.L(Math.PI)} * ({c.L(1)} + {c.A} * {c.A}))")),
        OnFloatingType(Binary("Atan2Pi", (c, i) => i == 0
            ? $"{c.G} * {c.B} / ({c.L(Math.PI)} * ({c.A} * {c.A} + {c.B} * {c.B}))"
            : $"-{c.G} * {c.A} / ({c.L(Math.PI)} * ({c.A} * {c.A} + {c.B} * {c.B}))")),
        OnFloatingType(Unary("DegreesToRadians", c => $"{c.G} * {c.L(Math.PI / 180)}")),
        OnFloatingType(Unary("RadiansToDegrees", c => $"{c.G} * {c.L(180 / Math.PI)}")),

        // Magnitude comparisons: the adjoint goes to the argument returned; at |a| = |b| with a = b it is split as
        // Min/Max split it, and with a = −b it goes where .NET's tie rule sends the value (the positive argument
        // for the maximum, the negative one for the minimum).
        Binary("MaxMagnitude", (c, i) => Magnitude(c, i, ">")),
        Binary("MinMagnitude", (c, i) => Magnitude(c, i, "<")),
        OnFloatingType(Binary("MaxMagnitudeNumber", (c, i) => Magnitude(c, i, ">"))),
        OnFloatingType(Binary("MinMagnitudeNumber", (c, i) => Magnitude(c, i, "<"))),
        OnFloatingType(Binary("MaxNumber", (c, i) => Extremum(c, i, ">"))),
        OnFloatingType(Binary("MinNumber", (c, i) => Extremum(c, i, "<"))),
        OnFloatingType(Binary("MaxNative", (c, i) => Extremum(c, i, ">"))),
        OnFloatingType(Binary("MinNative", (c, i) => Extremum(c, i, "<"))),
        OnFloatingType(new BuiltinRule("ClampNative", 3, false, (c, i) => i switch
        {
            0 => $"({c.A} >= {c.B} && {c.A} <= {c.C} ? {c.G} : {c.Zero})",
            1 => $"({c.A} < {c.B} ? {c.G} : {c.Zero})",
            _ => $"({c.A} > {c.C} ? {c.G} : {c.Zero})",
        })),

        // ScaleB(x, n) = x·2ⁿ, n an integer.
        Binary("ScaleB", (c, i) => i == 0 ? $"{c.G} * {c.M}.ScaleB({c.L(1)}, {c.B})" : null),

        // The estimates approximate 1/x and 1/√x: their derivative is that of the exact function.
        Unary("ReciprocalEstimate", c => $"-{c.G} / ({c.A} * {c.A})"),
        Unary("ReciprocalSqrtEstimate", c => $"-{c.G} / ({c.L(2)} * {c.A} * {c.M}.Sqrt({c.A}))"),

        // IEEERemainder(a, b) = a − b·round(a / b) with round to even, locally linear between its jumps.
        Binary("IEEERemainder", (c, i) => i == 0 ? c.G : $"-{c.G} * {c.M}.Round({c.A} / {c.B})"),
        OnFloatingType(Binary("Ieee754Remainder", (c, i) => i == 0 ? c.G : $"-{c.G} * {c.M}.Round({c.A} / {c.B})")),

        // The next representable value: x plus one ulp, so its slope is that of x.
        Unary("BitIncrement", c => c.G),
        Unary("BitDecrement", c => c.G),
        OnFloatingType(new BuiltinRule("MultiplyAddEstimate", 3, false, MultiplyAdd)),
        PiecewiseConstant("Round", 3),
    };

    private static BuiltinRule OnFloatingType(BuiltinRule rule) => rule with { IsOnFloatingTypeOnly = true };

    /// <summary>The partials of FusedMultiplyAdd (a·b + c), which the estimate shares.</summary>
    private static string? MultiplyAdd(RuleContext c, int i) => i switch
    {
        0 => $"{c.G} * {c.B}",
        1 => $"{c.G} * {c.A}",
        _ => c.G,
    };

    private static string Extremum(RuleContext c, int i, string wins) =>
        $"({c.Args[i]} {wins} {c.Args[1 - i]} ? {c.G} : {c.A} == {c.B} ? {c.L(0.5)} * {c.G} : {c.Zero})";

    private static string Magnitude(RuleContext c, int i, string wins)
    {
        var self = $"{c.M}.Abs({c.Args[i]})";
        var other = $"{c.M}.Abs({c.Args[1 - i]})";
        return $"({self} {wins} {other} ? {c.G} : {self} == {other} ? ({c.A} == {c.B} ? {c.L(0.5)} * {c.G} : {c.Args[i]} {wins} {c.Args[1 - i]} ? {c.G} : {c.Zero}) : {c.Zero})";
    }
}
