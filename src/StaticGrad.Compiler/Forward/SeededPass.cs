using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// The seed-carrying pass of a forward-mode backward (<see cref="UnitTangent.Seeded"/>): its statements, the input's
/// tangent to declare with the seed (when the unit pass folded it away), and with a first-statement unit the input's
/// tangent and g's tangent rule (the first statement's value, reading it), through which the result goes last.
/// </summary>
internal sealed record SeededPass(EquatableArray<Stmt> Body, IrType Type, string? Declared, string? Input, Expr? Chain);
