using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// Writes the forward-mode file of one [Differentiable] method (<c>{hint}.Tangent.g.cs</c>): <c>{Name}Tangent</c>, and
/// for a method with [NoGrad] floating parameters also <c>{Name}TangentIncludingNoGrad</c> (with a tangent for those
/// too), which generated callers use when their argument for such a parameter carries a derivative.
/// </summary>
public static class TangentEmitter
{
    public static string HintName(DifferentiableMethodSpec spec) => spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + ".Tangent.g.cs";

    /// <summary>The file's source, or null when the method has errors (the analyzer reports them).</summary>
    public static string? Emit(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        if (spec.HasErrors || spec.TakenMemberNames.Contains(spec.Method.Name + "Tangent"))
        {
            return null;
        }

        var method = Differentiator.ResolveRules(spec.Method, rules);
        if (ForwardFeasibility.IsRefused(method))
        {
            return null;
        }

        var w = new IndentedWriter();
        PartialTypeWriter.Open(w, spec);
        WriteMethod(w, spec, method, string.Empty);
        StructBoundaryEmitter.WriteTangent(w, spec);
        if (method.Parameters.Any(p => !p.IsDifferentiable && (p.Type.IsFloating || p.Type.IsFloatingCollection)))
        {
            w.WriteLine();
            var all = method with { Parameters = method.Parameters.Select(p => p with { IsDifferentiable = p.Type.IsFloating || p.Type.IsFloatingCollection }).ToEquatableArray() };
            WriteMethod(w, spec, all, BackwardEmitter.IncludingNoGradSuffix);
        }

        PartialTypeWriter.Close(w, spec);
        return LiftedFunctionEmitter.With(GenericRetyping.Apply(StructBoundaryEmitter.FixReferences(w.ToString(), spec), spec), spec, lifted => Emit(lifted, rules));
    }

    private static void WriteMethod(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, string suffix)
    {
        var (tangent, transformer) = TangentTransformer.Transform(TangentBody.Of(method), TangentMode.FirstOrder, ReverseModeTransformer.AdjointName);
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToArray();
        var keyword = method.ReturnType.ScalarKeyword;
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Forward mode (Jacobian-vector product) of <see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(Cref)) + ")\"/>: returns its value and its");
        w.WriteLine("/// directional derivative " + (differentiable.Length == 0
            ? "(zero: no parameter is differentiable)."
            : "Σ ∂" + method.Name + "/∂p · dp over " + string.Join(", ", differentiable.Select(p => p.Name)) + ", along the tangents " + string.Join(", ", tangent.Parameters.Skip(method.Parameters.Count).Select(p => p.Name)) + "."));
        w.WriteLine("/// A tangent of an array or span parameter has one entry per element. One call gives the derivative along one");
        w.WriteLine("/// direction at about the cost of one evaluation; the generated backward gives all partial derivatives at once.");
        if (suffix.Length > 0)
        {
            w.WriteLine("/// Also has tangents for the [NoGrad] parameters: called by generated code whose argument for one of them carries a derivative.");
        }

        if (!spec.IsStatic)
        {
            w.WriteLine("/// Fields and properties of the instance are constants: no derivative flows through them.");
        }

        w.WriteLine("/// </summary>");
        if (suffix.Length > 0)
        {
            w.WriteLine(PartialTypeWriter.NeverBrowsable);
        }

        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = tangent.Parameters.Select(p => p.Declaration);
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + "(" + keyword + " Value, " + keyword + " Tangent) " + method.Name + "Tangent" + suffix + "(" + string.Join(", ", parameters) + ")");
        w.OpenBrace();
        new TangentPrinter(tangent, transformer.HeapArrayTangents).WriteBody(w);
        w.CloseBrace();
    }

    /// <summary>A parameter in a documentation reference to the user's method, with its <c>in</c> or <c>ref readonly</c>.</summary>
    internal static string Cref(ParamIR parameter) => parameter.CrefPrefix + Cref(parameter.Type);

    internal static string Cref(IrType type) => type.Shape switch
    {
        ShapeKind.Scalar => StructBoundaryEmitter.CrefText(type.ScalarKeyword),
        ShapeKind.Array => type.ScalarKeyword + "[]",
        ShapeKind.Span => "global::System.Span{" + type.ScalarKeyword + "}",
        ShapeKind.Array2D or ShapeKind.Jagged => type.CSharp,
        _ => "global::System.ReadOnlySpan{" + type.ScalarKeyword + "}",
    };
}
