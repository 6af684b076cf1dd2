using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// A backward in forward mode. With one scalar input carrying a derivative and a scalar result, the gradient is one
/// number, which a tangent sweep gives in the same pass as the value: the input's tangent starts at <c>seed</c>, each
/// statement updates its target's tangent before its value (a Horner step <c>p = p * z + c</c> becomes
/// <c>dp = dp * z + p * dz</c>, then <c>p = p * z + c</c>), and the result's tangent is added to the adjoint. Nothing
/// is saved, restored or pushed on the tape. Black–Scholes' <c>NormalCdf</c> (13 overwriting polynomial steps): 0.61 of
/// the reverse sweep's time, with no stack operand left in its loop-free body (docs/benchmarks.md, session 18). The
/// body is the public <c>{Name}Tangent</c>'s (<see cref="TangentTransformer"/>, <see cref="TangentBody"/>), so both
/// follow one set of rules.
/// </summary>
/// <remarks>
/// Used only where the reverse sweep has something to undo: a value it must save, or a loop (trip counts, the tape).
/// A straight-line body without overwrites costs the same either way, and its reverse keeps what was tuned for it (the
/// quotient from the target, a logistic callee's σ(1 − σ) read by callers).
/// </remarks>
internal static class TangentBackward
{
    public static bool Applies(BackwardVariant variant)
    {
        var method = variant.Method;
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        if (differentiable.Count != 1 || !IsPlainScalar(differentiable[0].Type) || !IsPlainScalar(method.ReturnType)
            || differentiable[0].Type.Scalar != method.ReturnType.Scalar)
        {
            return false;
        }

        var statements = IrWalker.Statements(variant.Normalized.Body).ToList();

        if (statements.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).OfType<MethodCallExpr>().Any(c => !IsPullbackCall(c)))
        {
            return false;
        }

        return statements.Any(s => s is LoopStmt || variant.Recording.SaveOf(s) != Storage.None);
    }

    /// <summary>Writes the body: the tangent of the input starts at <c>seed</c>; the return adds the result's tangent to the adjoint.</summary>
    public static void WriteBody(IndentedWriter w, BackwardVariant variant, ReverseModeTransformer reverse)
    {
        var parameter = variant.Method.Parameters.Single(p => p.IsDifferentiable);
        var adjoint = reverse.SignatureAdjoint(parameter.Name);
        var (tangent, body, input, unit, inputFolded, transformer) = UnitPassOf(variant, reverse);
        var scale = unit == input ? reverse.Seed : unit;
        w.WriteLine("// Forward mode: " + parameter.Name + " is the only input with a derivative, so its tangent is carried along with the");
        w.WriteLine("// value in one pass, and no value is saved for a reverse sweep. The pass carries the derivative for a unit");
        w.WriteLine("// tangent (" + unit + " = 1), and the result's tangent is scaled once by " + scale + ".");
        if (!inputFolded)
        {
            // Assigned in the body (the unit is its start), or read only by the first statement, whose target is the unit.
            w.WriteLine(parameter.Type.ScalarKeyword + " " + input + " = " + (unit == input ? (parameter.Type.Scalar == ScalarKind.Float ? "1f" : "1.0") : reverse.Seed) + ";");
        }

        var seeded = UnitTangent.Seeded(tangent.Body, input, unit, inputFolded, parameter.Type, reverse.Seed);
        new TangentPrinter(tangent with { Body = body }, transformer.HeapArrayTangents, adjoint, scale, reverse.Seed, seeded).WriteBody(w);
    }

    /// <summary>
    /// The tangent method of the backward's one input, and its body with the unit tangent folded in
    /// (<see cref="UnitTangent.Fold"/>): what <see cref="WriteBody"/> prints, and what <see cref="PairBackward"/> prints
    /// over two lanes.
    /// </summary>
    public static UnitPass UnitPassOf(BackwardVariant variant, ReverseModeTransformer reverse)
    {
        var parameter = variant.Method.Parameters.Single(p => p.IsDifferentiable);
        var adjoint = reverse.SignatureAdjoint(parameter.Name);
        var (tangent, transformer) = TangentTransformer.Transform(TangentBody.Of(WithPullbackCalls(variant.Method)), TangentMode.FirstOrder, _ => "_" + adjoint, new[] { adjoint, reverse.Seed });
        var input = tangent.Parameters[tangent.Parameters.Count - 1].Name;
        var (body, unit, inputFolded) = UnitTangent.Fold(tangent.Body, input, parameter.Type);
        return new UnitPass(tangent, body, input, unit, inputFolded, transformer);
    }

    private static bool IsPlainScalar(IrType type) => type.IsFloating && type.StructName.Length == 0;

    /// <summary>
    /// A call the tangent takes through the callee's backward with seed 1, the gradient dotted with the arguments'
    /// tangents (<see cref="TangentPrinter"/>): scalar and one-dimensional arguments, a scalar result. A callee's own
    /// <c>{Name}Tangent</c> exists only where it opted in (a lifted local function's only where the method did), and
    /// a tangent passed to a [NoGrad] parameter needs the …IncludingNoGrad backward, generated only on the reverse
    /// sweep's demand; bodies with other calls (struct or grid arguments, struct results) keep the reverse sweep.
    /// </summary>
    private static bool IsPullbackCall(MethodCallExpr call) =>
        call.Target.BackwardIncludingNoGrad is null && call.Target.Templates.Count == 0 && call.Target.ResultMember.Length == 0
        && call.Type.StructName.Length == 0 && call.Args.All(a => a.Type.StructName.Length == 0 && a.Type.Shape is not (ShapeKind.Array2D or ShapeKind.Jagged));

    /// <summary>Every call of the body as a pullback call (<see cref="IsPullbackCall"/>), never through a callee's Tangent.</summary>
    private static MethodIR WithPullbackCalls(MethodIR method) => method with
    {
        Body = IrWalker.Rewrite(method.Body, e => e is MethodCallExpr { Target.HasTangent: true } call ? call with { Target = call.Target with { HasTangent = false } } : e),
    };
}

/// <summary>A one-input backward's unit pass (<see cref="TangentBackward.UnitPassOf"/>).</summary>
/// <param name="Tangent">The tangent method (its parameters end with the input's tangent).</param>
/// <param name="Body">Its body with the unit folded in.</param>
/// <param name="Input">The input's tangent.</param>
/// <param name="Unit">The tangent the unit stands for: the input's, or the first statement's target (the scale).</param>
/// <param name="InputFolded">Whether the input's tangent was folded away (the printer declares it otherwise).</param>
/// <param name="Transformer">The transformer that built the tangent (its rented array tangents).</param>
internal sealed record UnitPass(MethodIR Tangent, EquatableArray<Stmt> Body, string Input, string Unit, bool InputFolded, TangentTransformer Transformer);
