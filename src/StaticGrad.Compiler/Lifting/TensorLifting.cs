using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lifting;

/// <summary>
/// Decides which [Differentiable] methods get a <c>Tensor</c> overload (the lifting) and writes it. A lifted method
/// runs on tensors as ONE node of the runtime graph, <c>{Name}Backward</c>, whose backward calls the generated
/// <c>{Name}Backward</c>: per element for a method whose parameters are scalars (the tensors broadcast), once for a
/// method over arrays or read-only spans (each a 1-D tensor; scalars take one-element tensors; the result is 0-d).
/// </summary>
/// <remarks>
/// A method is lifted only when the overload is sure to compile and to mean what the method means; otherwise it is
/// skipped silently (the scalar method and its backward are unaffected). Skipped: methods with errors or without a
/// generated backward; parameters other than <c>double</c>/<c>float</c> values, arrays and read-only spans of the
/// method's floating type (a <c>Span</c> may be written by the method, which a tensor argument would not see) and
/// <c>int</c>/<c>long</c>/<c>bool</c> values (passed through unchanged); a mix of <c>double</c> and <c>float</c>;
/// no floating parameter at all; instance methods of structs (a lambda cannot capture <c>this</c> of a struct) and
/// interface members; and methods whose type declares another method of the same name and parameter count, which
/// the overload could collide with.
/// </remarks>
public static class TensorLifting
{
    /// <summary>What the hint name of a method's lifted overload ends with, after the method's own hint without <c>.g.cs</c>.</summary>
    public const string HintSuffix = ".Tensor.g.cs";

    /// <summary>Whether <paramref name="spec"/>'s declaration can be lifted (the cheap test, before its backward is known to exist).</summary>
    public static bool CanLift(DifferentiableMethodSpec spec)
    {
        if (spec.HasErrors || spec.HasOverloadOfSameArity || !spec.Method.ReturnType.IsFloating || spec.Boundary.Count > 0 || spec.Generic is not null)
        {
            return false;
        }

        if (spec.ContainingTypes.Count > 0)
        {
            var declaration = spec.ContainingTypes[spec.ContainingTypes.Count - 1].Declaration;
            if (declaration.StartsWith("interface ", System.StringComparison.Ordinal) ||
                (!spec.IsStatic && (declaration.StartsWith("struct ", System.StringComparison.Ordinal) || declaration.StartsWith("record struct ", System.StringComparison.Ordinal))))
            {
                return false;
            }
        }

        var floating = spec.Method.ReturnType.Scalar;
        var tensors = 0;
        foreach (var parameter in spec.Method.Parameters)
        {
            switch (KindOf(parameter.Type, floating))
            {
                case ParameterKind.Unsupported:
                    return false;
                case ParameterKind.PassedThrough:
                    break;
                default:
                    tensors++;
                    break;
            }
        }

        return tensors > 0;
    }

    /// <summary>
    /// The lifted overload's file, or null when the method is not lifted (see <see cref="CanLift"/>) or its backward
    /// is not generated (a call without a derivative receives a derivative: SG1001).
    /// </summary>
    public static string? Emit(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        if (!CanLift(spec) || !HasBackward(spec, rules))
        {
            return null;
        }

        return LiftingEmitter.Emit(spec);
    }

    /// <summary>The hint name of the lifted overload of the method whose own file is <paramref name="methodHintName"/>.</summary>
    public static string HintName(string methodHintName) =>
        (methodHintName.EndsWith(".g.cs", System.StringComparison.Ordinal) ? methodHintName.Substring(0, methodHintName.Length - ".g.cs".Length) : methodHintName) + HintSuffix;

    internal static ParameterKind KindOf(IrType type, ScalarKind floating)
    {
        if (type.Scalar is ScalarKind.Int or ScalarKind.Long or ScalarKind.Bool)
        {
            return type.Shape == ShapeKind.Scalar ? ParameterKind.PassedThrough : ParameterKind.Unsupported;
        }

        if (type.Scalar != floating || type.StructName.Length > 0)
        {
            return ParameterKind.Unsupported;
        }

        return type.Shape switch
        {
            ShapeKind.Scalar => ParameterKind.Scalar,
            ShapeKind.Array or ShapeKind.ReadOnlySpan => ParameterKind.Vector,
            _ => ParameterKind.Unsupported,
        };
    }

    /// <summary>
    /// The backward is generated unless the method has errors or SG1001; only a call without a derivative can cause
    /// SG1001, so the full analysis runs just for methods that contain one.
    /// </summary>
    private static bool HasBackward(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        var resolved = Differentiator.ResolveRules(spec.Method, rules);
        var hasOpaqueCall = IrWalker.Statements(resolved.Body)
            .SelectMany(IrWalker.Expressions)
            .SelectMany(IrWalker.Descendants)
            .Any(e => e is MethodCallExpr { Target.Kind: CallKind.Opaque });
        return !hasOpaqueCall || Differentiator.Differentiate(spec, rules).Source is not null;
    }
}

/// <summary>How a parameter of a lifted method is passed.</summary>
internal enum ParameterKind
{
    Unsupported,

    /// <summary>A floating scalar: a tensor (broadcast, or one element beside spans).</summary>
    Scalar,

    /// <summary>A floating array or read-only span: a 1-D tensor.</summary>
    Vector,

    /// <summary>An <c>int</c>, <c>long</c> or <c>bool</c>: the same value in the overload.</summary>
    PassedThrough,
}
