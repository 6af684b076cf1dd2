using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// First-order forward mode only: <c>(value, tangent) = callee's Tangent(args…, tangents…)</c>, or for a callee with a
/// [DerivativeOf] rule, the value and the rule's gradient dotted with the tangents. One statement, so that the
/// callee runs once; <see cref="Tangents"/> has one entry per argument, null where the argument carries none.
/// </summary>
public sealed record TangentCallStmt(
    string ValueTarget,
    string TangentTarget,
    IrType Type,
    CallTarget Target,
    bool IncludingNoGrad,
    EquatableArray<Expr> Args,
    EquatableArray<OptionalExpr> Tangents) : Stmt;

/// <summary>An expression or nothing (a record, so that arrays of it compare by value).</summary>
public sealed record OptionalExpr(Expr? Value);

/// <summary>First-order forward mode only: <c>return (value, tangent)</c>.</summary>
public sealed record ReturnPairStmt(Expr Value, Expr Tangent) : Stmt;
