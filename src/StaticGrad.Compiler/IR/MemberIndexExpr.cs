namespace StaticGrad.Compiler.IR;

/// <summary>
/// The index of one scalar field of an element of an array or span of structs (<c>ps[i].Position.X</c>), as the
/// <see cref="ElementExpr.Index"/> or <see cref="StoreStmt.Index"/> of the element: the adjoint, a span of the same
/// struct, is indexed alike, so every transformer that copies an element's index onto its adjoint or tangent keeps
/// the field without knowing about structs.
/// </summary>
/// <param name="Member">The field's access path, e.g. <c>.Position.X</c>.</param>
public sealed record MemberIndexExpr(Expr Index, string Member) : Expr(IrType.Int);
