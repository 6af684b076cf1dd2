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
    public RuleContext(string math, IReadOnlyList<string> args, string g, bool isFloat, string? result = null)
        : this(math, args, g, isFloat, result, function: null)
    {
    }

    private RuleContext(string math, IReadOnlyList<string> args, string g, bool isFloat, string? result, string? function)
    {
        M = math;
        Args = args;
        G = g;
        IsFloat = isFloat;
        Result = result;
        Function = function;
    }

    /// <summary><c>global::System.Math</c> or <c>global::System.MathF</c>.</summary>
    public string M { get; }

    public IReadOnlyList<string> Args { get; }

    public string G { get; }

    public bool IsFloat { get; }

    /// <summary>
    /// C# text of the call's value when the caller has it at no cost (a name, or the call's own text, which the
    /// reverse sweep binds once per statement), or null.
    /// </summary>
    public string? Result { get; }

    public string A => Args[0];

    public string B => Args[1];

    public string C => Args[2];

    /// <summary>
    /// The call's value <c>y = f(args)</c>, for partials cheapest in terms of it (exp′ = y): <see cref="Result"/>
    /// when the caller has it, else the call written again.
    /// </summary>
    public string Y => Result ?? (Home ?? M) + "." + Function + "(" + string.Join(", ", Args) + ")";

    /// <summary><c>double</c> or <c>float</c>: the type whose static members hold the functions Math and MathF lack (Exp2, Hypot, SinPi…).</summary>
    public string FloatingType => IsFloat ? "float" : "double";

    private string? Function { get; }

    /// <summary>Where the rule's own function is called when it is not on <see cref="M"/>, or null.</summary>
    private string? Home { get; set; }

    /// <summary>A literal of the rule's floating type.</summary>
    public string L(double value) => IsFloat ? Emit.IndentedWriter.Literal((float)value) : Emit.IndentedWriter.Literal(value);

    public string Zero => L(0);

    internal RuleContext For(BuiltinRule rule) => new(M, Args, G, IsFloat, Result, rule.CalledAs) { Home = rule.IsOnFloatingTypeOnly ? FloatingType : null };
}

/// <summary>
/// A built-in derivative rule: for each argument, the C# text of <c>g·∂f/∂argᵢ</c> (the vector-Jacobian product),
/// or null when that partial is zero. A formula may refer to the call's value <see cref="RuleContext.Y"/>.
/// </summary>
/// <param name="IsPiecewiseConstant">Floor-like: the derivative is zero almost everywhere (SG1006 when an active value flows in).</param>
public sealed record BuiltinRule(string Name, int Arity, bool IsPiecewiseConstant, Func<RuleContext, int, string?> Formula)
{
    private const string ResultMarker = "__result";

    /// <summary>
    /// The function is a static member of <c>double</c>/<c>float</c> (the generic-math surface) with no Math/MathF
    /// counterpart, e.g. <c>double.Exp2</c>: its formulas are written with Math functions only.
    /// </summary>
    public bool IsOnFloatingTypeOnly { get; init; }

    /// <summary>
    /// The function the emitted code calls: <see cref="Name"/>, except for a rule the IR tells apart from the plain
    /// function's (<see cref="NormRule"/>: a norm's square root, called as Sqrt).
    /// </summary>
    public string CalledAs
    {
        get => _calledAs ?? Name;
        init => _calledAs = value;
    }

    private readonly string? _calledAs;

    /// <summary>The C# text of <c>g·∂f/∂argᵢ</c>, or null when it is zero.</summary>
    public string? Partial(RuleContext context, int index) => Formula(context.For(this), index);

    /// <summary>Whether the partial for argument <paramref name="index"/> is written with the call's value <see cref="RuleContext.Y"/>.</summary>
    public bool UsesResult(int index)
    {
        var names = Enumerable.Range(0, Arity).Select(i => "__a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var text = Partial(new RuleContext("M", names, "__g", isFloat: false, ResultMarker), index);
        return text is not null && text.Contains(ResultMarker);
    }
}

/// <summary>The one table of built-in rules for <c>System.Math</c> and <c>System.MathF</c>.</summary>
public static class BuiltinRules
{
    private static readonly BuiltinRule[] s_rules = new[]
    {
        Unary("Sin", c => $"{c.G} * {c.M}.Cos({c.A})"),
        Unary("Cos", c => $"-{c.G} * {c.M}.Sin({c.A})"),
        // 1 + tan² rather than 1 / cos²: the reverse sweep has tan's value, not cos's.
        Unary("Tan", c => $"{c.G} * ({c.L(1)} + {c.Y} * {c.Y})"),
        Unary("Asin", c => $"{c.G} / {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A})"),
        Unary("Acos", c => $"-{c.G} / {c.M}.Sqrt({c.L(1)} - {c.A} * {c.A})"),
        Unary("Atan", c => $"{c.G} / ({c.L(1)} + {c.A} * {c.A})"),
        Binary("Atan2", (c, i) => i == 0
            ? $"{c.G} * {c.B} / ({c.A} * {c.A} + {c.B} * {c.B})"
            : $"-{c.G} * {c.A} / ({c.A} * {c.A} + {c.B} * {c.B})"),
        Unary("Sinh", c => $"{c.G} * {c.M}.Cosh({c.A})"),
        Unary("Cosh", c => $"{c.G} * {c.M}.Sinh({c.A})"),
        Unary("Tanh", c => $"{c.G} * ({c.L(1)} - {c.Y} * {c.Y})"),
        Unary("Asinh", c => $"{c.G} / {c.M}.Sqrt({c.A} * {c.A} + {c.L(1)})"),
        Unary("Acosh", c => $"{c.G} / {c.M}.Sqrt({c.A} * {c.A} - {c.L(1)})"),
        Unary("Atanh", c => $"{c.G} / ({c.L(1)} - {c.A} * {c.A})"),
        Unary("Exp", c => $"{c.G} * {c.Y}"),
        Unary("Log", c => $"{c.G} / {c.A}"),
        Binary("Log", (c, i) => i == 0
            ? $"{c.G} / ({c.A} * {c.M}.Log({c.B}))"
            : $"-{c.G} * {c.Y} / ({c.B} * {c.M}.Log({c.B}))"),
        Unary("Log10", c => $"{c.G} / ({c.A} * {c.L(Math.Log(10))})"),
        Unary("Log2", c => $"{c.G} / ({c.A} * {c.L(Math.Log(2))})"),
        Unary("Sqrt", c => $"{c.G} / ({c.L(2)} * {c.Y})"),
        Unary("Cbrt", c => $"{c.G} / ({c.L(3)} * {c.Y} * {c.Y})"),
        Binary("Pow", (c, i) => i == 0
            ? $"{c.G} * {c.B} * {c.M}.Pow({c.A}, {c.B} - {c.L(1)})"
            : $"({c.A} > {c.Zero} ? {c.G} * {c.Y} * {c.M}.Log({c.A}) : {c.Zero})"),
        Unary("Abs", c => $"({c.A} > {c.Zero} ? {c.G} : {c.A} < {c.Zero} ? -{c.G} : {c.Zero})"),
        // At a tie the adjoint is split evenly between the two arguments, as PyTorch's minimum/maximum do.
        Binary("Min", (c, i) => $"({c.Args[i]} < {c.Args[1 - i]} ? {c.G} : {c.A} == {c.B} ? {c.L(0.5)} * {c.G} : {c.Zero})"),
        Binary("Max", (c, i) => $"({c.Args[i]} > {c.Args[1 - i]} ? {c.G} : {c.A} == {c.B} ? {c.L(0.5)} * {c.G} : {c.Zero})"),
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
    }.Concat(MoreBuiltinRules.All).Append(NormRule.Rule).ToArray();

    public static IReadOnlyList<BuiltinRule> All => s_rules;

    public static BuiltinRule? Find(string name, int arity) => s_rules.FirstOrDefault(r => r.Name == name && r.Arity == arity);

    /// <summary>The function a call of the IR's <paramref name="function"/> is emitted as (see <see cref="BuiltinRule.CalledAs"/>).</summary>
    public static string CalledAs(string function) => function == NormRule.Function ? NormRule.Calls : function;

    internal static BuiltinRule Unary(string name, Func<RuleContext, string> partial) => new(name, 1, false, (c, _) => partial(c));

    internal static BuiltinRule Binary(string name, Func<RuleContext, int, string?> partial) => new(name, 2, false, partial);

    internal static BuiltinRule PiecewiseConstant(string name, int arity) => new(name, arity, true, (_, _) => null);
}
