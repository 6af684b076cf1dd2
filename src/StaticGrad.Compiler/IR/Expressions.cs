using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.IR;

/// <summary>An expression of the IR: side-effect free (assignments and increments are statements).</summary>
public abstract record Expr(IrType Type);

/// <summary>A literal, or a constant read (a <c>const</c> or <c>static readonly</c> field, an instance field) already spelled in C#.</summary>
public sealed record ConstExpr(IrType Type, string Text) : Expr(Type);

/// <summary>A read of a local or a parameter (scalar, array or span).</summary>
public sealed record VarExpr(IrType Type, string Name) : Expr(Type);

/// <summary>A read of one element of an array or span variable.</summary>
public sealed record ElementExpr(IrType Type, string Array, Expr Index) : Expr(Type);

/// <summary><c>array.Length</c>; <c>array.GetLength(d)</c> with <see cref="Dimension"/>; <c>array[row].Length</c> of a jagged array with <see cref="Row"/>.</summary>
public sealed record LengthExpr(string Array) : Expr(IrType.Int)
{
    public int? Dimension { get; init; }

    public Expr? Row { get; init; }
}

/// <summary>
/// The index of an element of a two-dimensional array (<c>a[row, column]</c>) or of a jagged one
/// (<c>a[row][column]</c>), as the <see cref="ElementExpr.Index"/> of the element: the adjoint is indexed alike.
/// </summary>
public sealed record IndexPairExpr(Expr Row, Expr Column, bool Jagged) : Expr(IrType.Int);

public enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
    ConditionalAnd,
    ConditionalOr,
    ExclusiveOr,
    LeftShift,
    RightShift,
}

public sealed record BinaryExpr(IrType Type, BinaryOp Op, Expr Left, Expr Right, int Site) : Expr(Type)
{
    /// <summary>The overflow context the user wrote it in (<see cref="OverflowChecks.CanOverflow"/> operations only).</summary>
    public OverflowContext Overflow { get; init; }
}

public enum UnaryOp
{
    Negate,
    Plus,
    Not,
    BitwiseNot,
}

public sealed record UnaryExpr(IrType Type, UnaryOp Op, Expr Operand) : Expr(Type)
{
    /// <summary>The overflow context the user wrote it in (<see cref="OverflowChecks.CanOverflow"/> operations only).</summary>
    public OverflowContext Overflow { get; init; }
}

/// <summary><c>c ? a : b</c>.</summary>
public sealed record ConditionalExpr(IrType Type, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Type);

/// <summary>A numeric conversion (explicit or implicit).</summary>
public sealed record CastExpr(IrType Type, Expr Operand, int Site) : Expr(Type)
{
    /// <summary>The overflow context the user wrote it in (<see cref="OverflowChecks.CanOverflow"/> operations only).</summary>
    public OverflowContext Overflow { get; init; }
}

/// <summary><c>Autograd.Detach(e)</c>: the identity with zero derivative.</summary>
public sealed record DetachExpr(Expr Operand) : Expr(Operand.Type);

/// <summary>A call of a <c>Math</c>/<c>MathF</c> function with a rule in <c>Derivatives.BuiltinRules</c>.</summary>
/// <param name="Function">The rule's name, e.g. <c>Sin</c>.</param>
/// <param name="Container"><c>global::System.Math</c>, <c>global::System.MathF</c>, <c>double</c> or <c>float</c>.</param>
public sealed record BuiltinCallExpr(IrType Type, string Container, string Function, EquatableArray<Expr> Args, int Site) : Expr(Type);

/// <summary>A call of a user method: differentiable through its backward or a rule, or opaque (no derivative).</summary>
public sealed record MethodCallExpr(IrType Type, CallTarget Target, EquatableArray<Expr> Args, int Site) : Expr(Type);

public enum CallKind
{
    /// <summary>A method with no known derivative: fine while no active value flows into it (SG1001 otherwise).</summary>
    Opaque,

    /// <summary>A [Differentiable] method: its generated <c>{Name}Backward</c> is called in the reverse sweep.</summary>
    Differentiable,

    /// <summary>A method with a user rule (<c>[DerivativeOf]</c>): the rule is called in the reverse sweep.</summary>
    Rule,
}

/// <summary>How an argument's adjoint is passed to a backward or a rule.</summary>
public enum AdjointPassing
{
    None,
    Ref,
    Span,
}

/// <summary>What the generated code needs to know about a callee, captured as data.</summary>
/// <param name="Callee">How the primal is called, e.g. <c>global::Demo.Losses.Square</c> or <c>this.Square</c>.</param>
/// <param name="Backward">How the backward or rule is called; empty for an opaque callee.</param>
/// <param name="Key">The callee's identity, used to find a [DerivativeOf] rule.</param>
/// <param name="DisplayName">The callee's name for diagnostics, e.g. <c>Helpers.Softplus(double)</c>.</param>
/// <param name="Adjoints">Per parameter, how its adjoint is passed.</param>
public sealed record CallTarget(
    CallKind Kind,
    string Callee,
    string Backward,
    string Key,
    string DisplayName,
    EquatableArray<ParameterPassing> Adjoints)
{
    /// <summary>
    /// For a [Differentiable] callee with [NoGrad] floating parameters: its backward that also has their adjoints
    /// (used when an argument for such a parameter carries a derivative), or null when there is none.
    /// </summary>
    public string? BackwardIncludingNoGrad { get; init; }

    /// <summary>The adjoints of <see cref="BackwardIncludingNoGrad"/>: every floating parameter has one.</summary>
    public EquatableArray<ParameterPassing> AllAdjoints { get; init; }

    /// <summary>With a struct or tuple argument: how the primal call rebuilds each parameter from the leaves in the arguments (empty otherwise).</summary>
    public EquatableArray<ArgumentTemplate> Templates { get; init; }

    /// <summary>A [Differentiable(Hessian = true)] callee: it has the generated <c>{Name}Jvp</c> and <c>{Name}JvpBackward</c> second order calls.</summary>
    public bool HasHessian { get; init; }

    /// <summary>
    /// Whether a [Differentiable] callee has the generated <c>{Name}Tangent</c> (false for one from an assembly built
    /// before forward mode existed: forward mode then calls its backward as a pullback).
    /// </summary>
    public bool HasTangent { get; init; } = true;

    /// <summary>
    /// A callee in this compilation whose attribute leaves <c>Forward</c> unset: whether it has <c>{Name}Tangent</c>
    /// is the project default's (<c>StaticGradForward</c>), which the generator applies to <see cref="HasTangent"/>.
    /// </summary>
    public bool TangentFollowsProjectDefault { get; init; }

    /// <summary>A callee returning a struct or tuple, called once per leaf: the primal call reads this member (<c>.X</c>) of its value.</summary>
    public string ResultMember { get; init; } = string.Empty;

    /// <summary>A user operator (<c>op_Addition</c>): the primal call is written <c>(a + b)</c>, since C# cannot call an operator by its name.</summary>
    public string OperatorToken { get; init; } = string.Empty;

    /// <summary>A callee whose derivative the rule table writes from its value (<c>Derivatives.ResultRules</c>, e.g. <c>Logistic</c>), or empty.</summary>
    public string ResultForm { get; init; } = string.Empty;

    /// <summary>
    /// A generic callee's type argument list (<c>&lt;double&gt;</c>), or empty. Printed after every generated name built
    /// from <see cref="Callee"/> (<c>CosineBackward&lt;double&gt;</c>, <c>CosineTangent&lt;double&gt;</c>): C# cannot
    /// infer <c>T</c> from arrays passed to span parameters (CS0411), so the generated code never relies on inference.
    /// </summary>
    public string TypeArguments { get; init; } = string.Empty;

    /// <summary>
    /// The callee's generated <c>{Name}BackwardPair</c> (two calls of its backward with seed 1 in one pass, see
    /// <see cref="Forward.PairBackward"/>), or empty when it has none: a static, non-generic method of this compilation
    /// with one floating parameter and a result of its type (<see cref="Lowering.PairBackwardEligibility"/>).
    /// </summary>
    public string PairBackward { get; init; } = string.Empty;
}

/// <summary>How one parameter's adjoint is passed (a record so that arrays of it compare by value).</summary>
public sealed record ParameterPassing(AdjointPassing Passing, string Name);
