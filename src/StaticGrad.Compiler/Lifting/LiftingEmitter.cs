using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lifting;

/// <summary>
/// Writes the <c>Tensor</c> overload of a lifted method: a call of the runtime's <c>Lifted</c> helper with two lambdas,
/// one calling the method and one calling its generated backward, so that all graph bookkeeping stays in the runtime.
/// </summary>
internal static class LiftingEmitter
{
    private const string TensorType = "global::StaticGrad.Tensor";
    private const string LiftedType = "global::StaticGrad.CompilerServices.Lifted";

    public static string Emit(DifferentiableMethodSpec spec)
    {
        var method = spec.Method;
        var floating = method.ReturnType.Scalar;
        var kinds = method.Parameters.Select(p => TensorLifting.KindOf(p.Type, floating)).ToArray();
        var overSpans = kinds.Contains(ParameterKind.Vector);
        var names = new LambdaNames(method.Parameters.Select(p => p.Name));
        var keyword = method.ReturnType.ScalarKeyword;

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

        var tensorNames = method.Parameters.Where((_, i) => kinds[i] != ParameterKind.PassedThrough).Select(p => p.Name).ToArray();
        w.WriteLine("/// <summary>");
        if (overSpans)
        {
            w.WriteLine("/// <see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.CrefPrefix + Cref(p.Type))) + ")\"/> on tensors: each array or span parameter takes a 1-D tensor,");
            w.WriteLine("/// each scalar a one-element tensor; the result is a 0-d " + DTypeName(floating) + " tensor.");
        }
        else
        {
            w.WriteLine("/// <see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.CrefPrefix + Cref(p.Type))) + ")\"/> applied elementwise to tensors that broadcast as in PyTorch;");
            w.WriteLine("/// the result is a " + DTypeName(floating) + " tensor of the broadcast shape.");
        }

        w.WriteLine("/// In grad mode, when " + string.Join(" or ", method.Parameters.Where((p, i) => kinds[i] != ParameterKind.PassedThrough && p.IsDifferentiable).Select(p => p.Name).DefaultIfEmpty("a differentiable input")) +
            " requires grad, records one node, <c>" + method.Name + "Backward</c>, whose backward calls the generated " + method.Name + "Backward" + (overSpans ? "." : " per element."));
        w.WriteLine("/// Otherwise (<c>Autograd.NoGrad()</c>, or no such input requires grad) it records nothing and returns an untracked leaf.");
        var frozen = method.Parameters.Where(p => !p.IsDifferentiable && (p.Type.IsFloating || p.Type.IsFloatingCollection)).Select(p => p.Name).ToArray();
        if (frozen.Length > 0)
        {
            w.WriteLine("/// [NoGrad] parameters (" + string.Join(", ", frozen) + ") get no gradient.");
        }

        w.WriteLine("/// </summary>");
        w.WriteLine("[global::System.CodeDom.Compiler.GeneratedCode(\"StaticGrad.Generator\", \"" + typeof(LiftingEmitter).Assembly.GetName().Version!.ToString(3) + "\")]");
        var signature = method.Parameters.Select((p, i) => (kinds[i] == ParameterKind.PassedThrough ? p.Type.CSharp : TensorType) + " " + p.Name);
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + TensorType + " " + method.Name + "(" + string.Join(", ", signature) + ")");
        w.OpenBrace();

        // Lambdas that capture nothing are static: the compiler caches them, so a call allocates no delegate.
        var lambdaModifier = spec.IsStatic && !kinds.Contains(ParameterKind.PassedThrough) ? "static " : string.Empty;
        var tensorIndex = TensorIndices(kinds);
        var arguments = method.Parameters.Select((p, i) => Argument(p, kinds[i], tensorIndex[i], names, overSpans)).ToArray();
        var adjoints = method.Parameters
            .Select((p, i) => (Parameter: p, Index: tensorIndex[i]))
            .Where(x => x.Parameter.IsDifferentiable)
            .Select(x => Adjoint(x.Parameter, x.Index, names, overSpans));
        var flags = method.Parameters.Where((_, i) => kinds[i] != ParameterKind.PassedThrough).ToArray();
        w.WriteLine("return " + LiftedType + "." + (overSpans ? "OverSpans" : "Elementwise") + "<" + keyword + ">(");
        w.Indent();
        w.WriteLine("\"" + method.Name + "\",");
        if (overSpans)
        {
            w.WriteLine("new[] { " + string.Join(", ", tensorNames.Select(n => "\"" + Naming.NameScope.Unescaped(n) + "\"")) + " },");
        }

        w.WriteLine("new " + TensorType + "[] { " + string.Join(", ", tensorNames) + " },");
        if (overSpans)
        {
            w.WriteLine("new[] { " + string.Join(", ", flags.Select(p => p.Type.IsCollection ? "true" : "false")) + " },");
        }

        w.WriteLine("new[] { " + string.Join(", ", flags.Select(p => p.IsDifferentiable ? "true" : "false")) + " },");
        w.WriteLine(lambdaModifier + names.Args + " => " + spec.Member(method.Name) + "(" + string.Join(", ", arguments) + "),");
        w.WriteLine(lambdaModifier + "(" + names.Args + ", " + names.Adjoints + ", " + names.Seed + ") => " + spec.Member(method.Name + "Backward") + "(" +
            string.Join(", ", arguments.Concat(adjoints).Concat(new[] { names.Seed })) + "));");
        w.Unindent();
        w.CloseBrace();

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

    /// <summary>For each parameter, its position among the tensor arguments (-1 for a value passed through).</summary>
    private static int[] TensorIndices(ParameterKind[] kinds)
    {
        var result = new int[kinds.Length];
        var next = 0;
        for (var i = 0; i < kinds.Length; i++)
        {
            result[i] = kinds[i] == ParameterKind.PassedThrough ? -1 : next++;
        }

        return result;
    }

    // A 'ref readonly' parameter is passed 'in' (without it, C# warns); every argument here is a variable.
    private static string Argument(ParamIR parameter, ParameterKind kind, int index, LambdaNames names, bool overSpans) => (parameter.Modifier == "ref readonly" ? "in " : string.Empty) + kind switch
    {
        ParameterKind.PassedThrough => parameter.Name,
        ParameterKind.Vector => names.Args + "[" + index + "]",
        _ => names.Args + "[" + index + "]" + (overSpans ? "[0]" : string.Empty),
    };

    private static string Adjoint(ParamIR parameter, int index, LambdaNames names, bool overSpans) =>
        parameter.Type.IsCollection
            ? names.Adjoints + "[" + index + "]"
            : "ref " + names.Adjoints + "[" + index + "]" + (overSpans ? "[0]" : string.Empty);

    private static string DTypeName(ScalarKind floating) => floating == ScalarKind.Float ? "float32" : "float64";

    private static string Cref(IrType type) => type.Shape switch
    {
        ShapeKind.Scalar => type.ScalarKeyword,
        ShapeKind.Array => type.ScalarKeyword + "[]",
        ShapeKind.Span => "global::System.Span{" + type.ScalarKeyword + "}",
        _ => "global::System.ReadOnlySpan{" + type.ScalarKeyword + "}",
    };

    /// <summary>Names of the lambdas' parameters that no parameter of the method uses (lambda parameters may not shadow them).</summary>
    private sealed class LambdaNames
    {
        public LambdaNames(IEnumerable<string> taken)
        {
            var scope = new Naming.NameScope(taken);
            Args = scope.Fresh("_args");
            Adjoints = scope.Fresh("_adjoints");
            Seed = scope.Fresh("_seed");
        }

        public string Args { get; }

        public string Adjoints { get; }

        public string Seed { get; }
    }
}
