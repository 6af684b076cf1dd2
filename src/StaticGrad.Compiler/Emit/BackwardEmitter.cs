using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Emit;

/// <summary>One backward method of a file: the contract's, or the one that also differentiates [NoGrad] parameters.</summary>
public sealed record BackwardVariant(string Suffix, MethodIR Method, MethodIR Normalized, ActivityAnalysis Activity, RecordingAnalysis Recording);

/// <summary>Writes the generated file of one [Differentiable] method: the partial type declarations around its backward.</summary>
public static class BackwardEmitter
{
    /// <summary>The suffix of the backward that also differentiates [NoGrad] parameters (for callers that need it).</summary>
    public const string IncludingNoGradSuffix = "IncludingNoGrad";

    public static string Emit(DifferentiableMethodSpec spec, IReadOnlyList<BackwardVariant> variants) => InPartialTypes(spec, w =>
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (i > 0)
            {
                w.WriteLine();
            }

            WriteMethod(w, spec, variants[i]);
        }

        // The struct-boundary overloads go with the contract's backward, not with the IncludingNoGrad file.
        if (variants[0].Suffix.Length == 0)
        {
            StructBoundaryEmitter.WriteBackward(w, spec);
            JacobianEmitter.Write(w, spec, variants[0]);
            PrimaryParameterAccessors.Write(w, spec);
        }
    });

    /// <summary>The file of <c>{Name}BackwardPair</c> (<see cref="PairBackward"/>), generated where a caller needs it.</summary>
    public static string EmitPair(DifferentiableMethodSpec spec, BackwardVariant variant) => InPartialTypes(spec, w => PairBackward.Write(w, spec, variant));

    /// <summary>A generated file: the header, the namespace and the partial declarations of the containing types around <paramref name="members"/>.</summary>
    private static string InPartialTypes(DifferentiableMethodSpec spec, System.Action<IndentedWriter> members)
    {
        var w = new IndentedWriter();
        PartialTypeWriter.WriteHeader(w);
        if (spec.Namespace is not null)
        {
            w.WriteLine("namespace " + spec.Namespace);
            w.OpenBrace();
        }

        foreach (var type in spec.ContainingTypes)
        {
            w.WriteLine((type.IsStatic ? "static partial " : "partial ") + type.Declaration);
            w.OpenBrace();
        }

        members(w);
        foreach (var _ in spec.ContainingTypes)
        {
            w.CloseBrace();
        }

        if (spec.Namespace is not null)
        {
            w.CloseBrace();
        }

        return w.ToString();
    }

    private static void WriteMethod(IndentedWriter w, DifferentiableMethodSpec spec, BackwardVariant variant)
    {
        var method = variant.Method;
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToArray();
        var seedType = method.ReturnType.ScalarKeyword;
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Gradient of the result of <see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(TangentEmitter.Cref)) + ")\"/> with respect to " +
            (differentiable.Length == 0 ? "nothing (no parameter is differentiable)" : string.Join(", ", differentiable.Select(p => p.Name))) + ".");
        w.WriteLine("/// Returns the value and adds seed times each partial derivative to its adjoint (adjoints accumulate; the caller zeroes them).");
        if (variant.Suffix.Length > 0)
        {
            w.WriteLine("/// Also differentiates the [NoGrad] parameters: called by generated code whose argument for one of them carries a derivative.");
        }

        if (!spec.IsStatic)
        {
            w.WriteLine("/// Fields and properties of the instance are constants: no derivative flows through them.");
        }

        w.WriteLine("/// </summary>");
        if (variant.Suffix.Length > 0)
        {
            w.WriteLine("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        }

        w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"StaticGrad.Generator\", \"" + typeof(BackwardEmitter).Assembly.GetName().Version!.ToString(3) + "\")]");
        // Only the contract's backward pairs calls: its callers' demand (PairDemand) is read from this method's IR.
        var transformer = new ReverseModeTransformer(variant.Normalized, variant.Activity, variant.Recording, variant.Normalized.Result) { PairsCalls = variant.Suffix.Length == 0 };
        var parameters = method.Parameters.Select(p => p.Declaration)
            .Concat(differentiable.Select(p => (p.Type.IsMultiDimensional ? p.Type.CSharp : p.Type.IsCollection ? "global::System.Span<" + p.Type.ScalarKeyword + ">" : "ref " + p.Type.ScalarKeyword) + " " + transformer.SignatureAdjoint(p.Name)))
            .Concat(new[] { seedType + " " + transformer.Seed + " = " + (method.ReturnType.Scalar == ScalarKind.Float ? "1f" : "1.0") });
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + seedType + " " + method.Name + "Backward" + variant.Suffix + "(" + string.Join(", ", parameters) + ")");
        w.OpenBrace();
        if (TangentBackward.Applies(variant))
        {
            TangentBackward.WriteBody(w, variant, transformer);
        }
        else
        {
            transformer.WriteBody(w);
        }

        w.CloseBrace();
    }
}
