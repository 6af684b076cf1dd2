namespace StaticGrad.Compiler.Model;

/// <summary>
/// A [Differentiable] method generic over one floating type parameter (<c>T : IFloatingPointIeee754&lt;T&gt;</c> or a
/// narrower generic-math interface): it is differentiated as if <c>T</c> were <c>double</c>, and its generated
/// methods are then written over <c>T</c> (see <c>Emit.GenericRetyping</c>).
/// </summary>
/// <param name="TypeParameter">The type parameter's name, e.g. <c>T</c>.</param>
/// <param name="Constraints">Its constraint clause as the generated methods repeat it, e.g. <c>where T : global::System.Numerics.IFloatingPointIeee754&lt;T&gt;</c>.</param>
public sealed record GenericMathSpec(string TypeParameter, string Constraints);
