using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>A parameter of a Tensor-bodied method.</summary>
/// <param name="TypeText">The parameter's type as written in generated code (fully qualified).</param>
/// <param name="IsTensor">A <c>Tensor</c> (otherwise a scalar, never differentiated).</param>
/// <param name="Differentiable">A Tensor parameter without [NoGrad]: it gets an adjoint in the backward.</param>
public sealed record TensorParameter(string Name, string TypeText, bool IsTensor, bool Differentiable);

/// <summary>
/// One value of the method in single-assignment form: a tensor operation applied to earlier values. A local that
/// is reassigned gets a new value per assignment, so every value is computed once and never overwritten, which is
/// what lets the reverse sweep read any of them without saving anything.
/// </summary>
/// <param name="Name">The name of the value in generated code (a user local's name where there is one).</param>
/// <param name="Operands">Indices of earlier values.</param>
/// <param name="Scalars">Scalar arguments as C# source (exponent, scalar operand, dim, keepDim).</param>
public sealed record TensorValue(string Name, TensorOp Op, EquatableArray<int> Operands, EquatableArray<string> Scalars);

/// <summary>Everything the emitter needs to write one Tensor-bodied method's backward and fused node.</summary>
/// <param name="HintName">The generated file's hint name (<c>….Tensor.g.cs</c>).</param>
/// <param name="CrefParameters">The parameter types for the XML doc's cref, fully qualified (the generated file has no usings), e.g. <c>global::StaticGrad.Tensor, double</c>.</param>
/// <param name="Values">Parameters first (op <see cref="TensorOp.Parameter"/>), then the body's operations in order.</param>
/// <param name="Result">The index of the returned value.</param>
/// <param name="SelfType">The containing type as named inside itself (e.g. <c>Model&lt;T&gt;</c>), for the fused node of an instance method.</param>
public sealed record TensorMethodSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Accessibility,
    bool IsStatic,
    string Name,
    string CrefParameters,
    EquatableArray<TensorParameter> Parameters,
    EquatableArray<TensorValue> Values,
    int Result,
    string SelfType)
{
    /// <summary>A user member already has <c>{Name}Fused</c> or <c>{Name}FusedNode</c> and the project default decides: no fused node.</summary>
    public bool FusedNameTaken { get; init; }
}

/// <summary>The result of lowering a Tensor-bodied method: the spec (null when it has errors) and its diagnostics.</summary>
public sealed record TensorLoweringResult(TensorMethodSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
