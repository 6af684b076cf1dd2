using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.IR;

/// <summary>A statement of the IR. Control flow is structured; jumps are normalised away before differentiation.</summary>
public abstract record Stmt;

/// <summary><c>target = value</c> on a scalar local or parameter (declarations included).</summary>
public sealed record AssignStmt(string Target, IrType Type, Expr Value) : Stmt
{
    /// <summary>
    /// Whether the value is dead on some path through the method and live on another (set by
    /// <c>Analysis.DerivativeLiveness</c>): its reverse adds the target's adjoint times its partials only when that
    /// adjoint is not zero.
    /// </summary>
    public bool DeadOnSomePath { get; init; }
}

/// <summary><c>array[index] = value</c> on a local array or span.</summary>
public sealed record StoreStmt(string Array, IrType ElementType, Expr Index, Expr Value) : Stmt
{
    /// <summary>Whether the stored value is dead on some path and live on another, as <see cref="AssignStmt.DeadOnSomePath"/>.</summary>
    public bool DeadOnSomePath { get; init; }
}

/// <summary>The creation of a local array (<c>new T[n]</c>) or span (<c>stackalloc T[n]</c>), zero-filled.</summary>
public sealed record NewArrayStmt(string Target, IrType Type, Expr Length, bool IsStackAlloc) : Stmt;

public sealed record IfStmt(Expr Condition, EquatableArray<Stmt> Then, EquatableArray<Stmt> Else) : Stmt;

/// <summary>
/// Every loop, normalised: <c>while (Condition) { Body; Step }</c>, or with <see cref="TestFirst"/> false
/// <c>do { Body; Step } while (Condition)</c>. A missing condition is <c>true</c>.
/// </summary>
public sealed record LoopStmt(Expr? Condition, EquatableArray<Stmt> Body, EquatableArray<Stmt> Step, bool TestFirst) : Stmt;

public sealed record BreakStmt : Stmt;

public sealed record ContinueStmt : Stmt;

public sealed record ReturnStmt(Expr Value) : Stmt;

/// <summary>A parameter of the differentiated method.</summary>
/// <param name="IsDifferentiable">Whether it gets an adjoint: floating (scalar or collection) and not [NoGrad].</param>
public sealed record ParamIR(string Name, IrType Type, bool IsDifferentiable)
{
    /// <summary>
    /// <c>in</c> or <c>ref readonly</c> when the user declared the parameter so (empty for a value): the generated methods
    /// take it <c>in</c> too, so a large struct is not copied, and their documentation names the method as declared.
    /// </summary>
    public string Modifier { get; init; } = string.Empty;

    /// <summary>The parameter as a generated method declares it: <c>in</c> for both read-only references.</summary>
    public string Declaration => (Modifier.Length > 0 ? "in " : string.Empty) + Type.CSharp + " " + Name;

    /// <summary>The modifier as a documentation reference to the user's method writes it.</summary>
    public string CrefPrefix => Modifier.Length > 0 ? Modifier + " " : string.Empty;
}

/// <summary>A local of the method (names are unique within the method after lowering).</summary>
public sealed record LocalIR(string Name, IrType Type);

/// <summary>A method body in IR: what the analyses and the reverse transformation read.</summary>
public sealed record MethodIR(
    string Name,
    IrType ReturnType,
    EquatableArray<ParamIR> Parameters,
    EquatableArray<LocalIR> Locals,
    EquatableArray<Stmt> Body)
{
    /// <summary>The local that holds the returned value, set by the control-flow normaliser (empty before it runs).</summary>
    public string Result { get; init; } = string.Empty;

    /// <summary>
    /// The flag the control-flow normaliser sets where a <c>return</c> was (empty when it needed none): once it is
    /// set, nothing but the method's end runs, so only <see cref="Result"/> is read afterwards.
    /// </summary>
    public string ReturnedFlag { get; init; } = string.Empty;

    /// <summary>The flags the normaliser sets where a <c>return</c>, <c>break</c> or <c>continue</c> was.</summary>
    public EquatableArray<string> JumpFlags { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether the body had a <c>return</c> before its end, a <c>break</c> or a <c>continue</c> (set by the normaliser).</summary>
    public bool HasJumps { get; init; }

    /// <summary>
    /// Whether the project compiles with overflow checking (<c>CheckForOverflowUnderflow</c>): the generated code then
    /// throws <c>OverflowException</c> wherever its integer arithmetic overflows, so it must not evaluate an index
    /// expression the user's code would not have evaluated yet (the forward row spans' guard).
    /// </summary>
    public bool CheckedArithmetic { get; init; }
}
