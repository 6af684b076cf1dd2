using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The arguments a rule's partial derivatives are written with: C# text of the math class, the arguments (each
/// already parenthesised where needed), the incoming adjoint <see cref="G"/> (a simple name) and literals of the
/// right floating type.
/// </summary>
public sealed class RuleContext
{
    public RuleContext(string math, IReadOnlyList<string> args, string g, bool isFloat)
    {
        M = math;
        Args = args;
        G = g;
        IsFloat = isFloat;
    }

    /// <summary><c>global::System.Math</c> or <c>global::System.MathF</c>.</summary>
    public string M { get; }

    public IReadOnlyList<string> Args { get; }

    public string G { get; }

    public bool IsFloat { get; }

    public string A => Args[0];

    public string B => Args[1];

    public string C => Args[2];

    /// <summary>A literal of the rule's floating type.</summary>
    public string L(double value) => IsFloat ? Emit.IndentedWriter.Literal((float)value) : Emit.IndentedWriter.Literal(value);

    public string Zero => L(0);
}

/// <summary>
/// A built-in derivative rule: for each argument, the C# text of <c>g·∂f/∂argᵢ</c> (the vector-Jacobian product),
/// or null when that partial is zero.
/// </summary>
/// <param name="IsPiecewiseConstant">Floor-like: the derivative is zero almost everywhere (SG1006 when an active value flows in).</param>
public sealed record BuiltinRule(string Name, int Arity, bool IsPiecewiseConstant, Func<RuleContext, int, string?> Partial);

/// <summary>The one table of built-in rules for <c>System.Math</c> and <c>System.MathF</c>.</summary>
public static class BuiltinRules
{
    private static readonly BuiltinRule[] s_rules =
    {
        Unary("Sin", c => $"{c.G} * {c.M}.Cos({c.A})"),
        Unary("Cos", c => $"-{c.G} * {c.M}.Sin({c.A})"),
        Unary("Tan", c => $"{c.G} / ({c.M}.Cos({c.A}) * {c.M}.Cos({c.A}))"),
        Unary("Asin", c => $"{c.G} / {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A})"),
        Unary("Acos", c => $"-{c.G} / {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A})"),
        Unary("Atan", c => $"{c.G} / ({c.L(1)} + {c.A} * {c.A})"),
        Binary("Atan2", (c, i) => i == 0
            ? $"{c.G} * {c.B} / ({c.A} * {c.A} + {c.B} * {c.B})"
            : $"-{c.G} * {c.A} / ({c.A} * {c.A} + {c.B} * {c.B})"),
        Unary("Sinh", c => $"{c.G} * {c.M}.Cosh({c.A})"),
        Unary("Cosh", c => $"{c.G} * {c.M}.Sinh({c.A})"),
        Unary("Tanh", c => $"{c.G} * ({c.L(1)} - {c.M}.Tanh({c.A}) * {c.M}.Tanh({c.A}))"),
        Unary("Asinh", c => $"{c.G} / {c.M}.Sqrt({c.A} * {c.A} + {c.L(1)})"),
        Unary("Acosh", c => $"{c.G} / {c.M}.Sqrt({c.A} * {c.A} - {c.L(1)})"),
        Unary("Atanh", c => $"{c.G} / ({c.L(1)} - {c.A} * {c.A})"),
        Unary("Exp", c => $"{c.G} * {c.M}.Exp({c.A})"),
        Unary("Log", c => $"{c.G} / {c.A}"),
        Binary("Log", (c, i) => i == 0
            ? $"{c.G} / ({c.A} * {c.M}.Log({c.B}))"
            : $"-{c.G} * {c.M}.Log({c.A}) / ({c.B} * {c.M}.Log({c.B}) * {c.M}.Log({c.B}))"),
        Unary("Log10", c => $"{c.G} / ({c.A} * {c.L(Math.Log(10))})"),
        Unary("Log2", c => $"{c.G} / ({c.A} * {c.L(Math.Log(2))})"),
        Unary("Sqrt", c => $"{c.G} / ({c.L(2)} * {c.M}.Sqrt({c.A}))"),
        Unary("Cbrt", c => $"{c.G} / ({c.L(3)} * {c.M}.Cbrt({c.A}) * {c.M}.Cbrt({c.A}))"),
        Binary("Pow", (c, i) => i == 0
            ? $"{c.G} * {c.B} * {c.M}.Pow({c.A}, {c.B} - {c.L(1)})"
            : $"({c.A} > {c.Zero} ? {c.G} * {c.M}.Pow({c.A}, {c.B}) * {c.M}.Log({c.A}) : {c.Zero})"),
        Unary("Abs", c => $"({c.A} > {c.Zero} ? {c.G} : {c.A} < {c.Zero} ? -{c.G} : {c.Zero})"),
        Binary("Min", (c, i) => i == 0 ? $"({c.A} <= {c.B} ? {c.G} : {c.Zero})" : $"({c.A} <= {c.B} ? {c.Zero} : {c.G})"),
        Binary("Max", (c, i) => i == 0 ? $"({c.A} >= {c.B} ? {c.G} : {c.Zero})" : $"({c.A} >= {c.B} ? {c.Zero} : {c.G})"),
        new BuiltinRule("Clamp", 3, false, (c, i) => i switch
        {
            0 => $"({c.A} >= {c.B} && {c.A} <= {c.C} ? {c.G} : {c.Zero})",
            1 => $"({c.A} < {c.B} ? {c.G} : {c.Zero})",
            _ => $"({c.A} > {c.C} ? {c.G} : {c.Zero})",
        }),
        PiecewiseConstant("Floor", 1),
        PiecewiseConstant("Ceiling", 1),
        PiecewiseConstant("Round", 1),
        PiecewiseConstant("Round", 2),
        PiecewiseConstant("Truncate", 1),
        PiecewiseConstant("Sign", 1),
        new BuiltinRule("FusedMultiplyAdd", 3, false, (c, i) => i switch
        {
            0 => $"{c.G} * {c.B}",
            1 => $"{c.G} * {c.A}",
            _ => c.G,
        }),
        Binary("CopySign", (c, i) => i == 0 ? $"{c.G} * {c.M}.CopySign({c.L(1)}, {c.A}) * {c.M}.CopySign({c.L(1)}, {c.B})" : null),
    };

    public static IReadOnlyList<BuiltinRule> All => s_rules;

    public static BuiltinRule? Find(string name, int arity) => s_rules.FirstOrDefault(r => r.Name == name && r.Arity == arity);

    private static BuiltinRule Unary(string name, Func<RuleContext, string> partial) => new(name, 1, false, (c, _) => partial(c));

    private static BuiltinRule Binary(string name, Func<RuleContext, int, string?> partial) => new(name, 2, false, partial);

    private static BuiltinRule PiecewiseConstant(string name, int arity) => new(name, arity, true, (_, _) => null);
}
