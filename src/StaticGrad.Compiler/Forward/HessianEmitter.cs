using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// Writes the second-order file of a <c>[Differentiable(Hessian = true)]</c> method (<c>{hint}.Hessian.g.cs</c>).
/// Reverse-over-forward: the tangent transformation turns the method into its JVP <c>{Name}Jvp(x, t) = ⟨∇f(x), t⟩</c>
/// as ordinary IR, and the existing reverse transformation differentiates that (<c>{Name}JvpBackward</c>), so
/// ∇ₓ⟨∇f(x), v⟩ = H·v. It has the cost order of forward-over-reverse (a small constant times one evaluation) and
/// reuses the reverse mode unchanged for the whole body language (loops, early returns, arrays, calls), where
/// forward-over-reverse would need a tangent version of every construct the reverse sweep emits (tape pushes and
/// pops, recorded branches). The dense <c>{Name}Hessian</c> is n Hessian-vector products with unit vectors.
/// </summary>
public static class HessianEmitter
{
    private const string Pool = "global::StaticGrad.CompilerServices.AdTape";

    public static string HintName(DifferentiableMethodSpec spec) => spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + ".Hessian.g.cs";

    /// <summary>The file's source, or null when the method has errors or a call has no second derivative (SG1012).</summary>
    public static string? Emit(DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules)
    {
        // Hessian directions are spans; a two-dimensional or jagged array parameter has none (docs/differentiable-bodies.md).
        if (spec.Method.Parameters.Any(p => p.Type.IsMultiDimensional))
        {
            return null;
        }

        if (spec.HasErrors || !spec.Hessian)
        {
            return null;
        }

        var method = Differentiator.ResolveRules(spec.Method, rules);
        if (ForwardFeasibility.IsRefused(method))
        {
            return null;
        }

        // The Jvp has a tangent for every floating parameter ([NoGrad] ones too), so that a caller can pass the
        // derivative of its argument through any of them; HessianVector passes zero for the [NoGrad] ones.
        var all = method with { Parameters = method.Parameters.Select(p => p with { IsDifferentiable = p.Type.IsFloating || p.Type.IsFloatingCollection }).ToEquatableArray() };
        var taken = NameScope.Of(method);
        foreach (var parameter in all.Parameters.Where(p => p.IsDifferentiable))
        {
            taken.Reserve(ReverseModeTransformer.AdjointName(parameter.Name));
        }

        var (jvp, transformer) = TangentTransformer.Transform(all, TangentMode.SecondOrder, p => TangentName(p, taken));
        if (transformer.Unsupported)
        {
            return null;
        }

        jvp = jvp with { Name = method.Name + TangentTransformer.JvpSuffix };
        var w = new IndentedWriter();
        PartialTypeWriter.Open(w, spec);
        WriteJvp(w, spec, method, jvp, transformer);
        w.WriteLine();
        WriteJvpBackward(w, spec, method, jvp);
        w.WriteLine();
        var directions = WriteHessianVector(w, spec, method, jvp);
        w.WriteLine();
        WriteHessian(w, spec, method, directions);
        PartialTypeWriter.Close(w, spec);
        return LiftedFunctionEmitter.With(GenericRetyping.Apply(StructBoundaryEmitter.FixReferences(w.ToString(), spec), spec), spec, lifted => Emit(lifted, rules));
    }

    private static string Capitalized(string name)
    {
        name = NameScope.Unescaped(name);
        return name.Length == 1 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>A Jvp tangent's name, free together with its own adjoint's (the JvpBackward has both).</summary>
    private static string TangentName(string parameter, NameScope taken)
    {
        var baseName = "t" + Capitalized(parameter);
        var name = baseName;
        for (var i = 1; taken.Contains(name) || taken.Contains(ReverseModeTransformer.AdjointName(name)); i++)
        {
            name = baseName + "_" + i.ToString(CultureInfo.InvariantCulture);
        }

        taken.Reserve(name);
        taken.Reserve(ReverseModeTransformer.AdjointName(name));
        return name;
    }

    private static string Signature(DifferentiableMethodSpec spec, string returnType, string name, IEnumerable<string> parameters) =>
        spec.Accessibility + (spec.IsStatic ? " static " : " ") + returnType + " " + name + "(" + string.Join(", ", parameters) + ")";

    private static string SeeMethod(MethodIR method) =>
        "<see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => TangentEmitter.Cref(p.Type))) + ")\"/>";

    private static void WriteJvp(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp, TangentTransformer transformer)
    {
        w.WriteLine("/// <summary>");
        w.WriteLine("/// The directional derivative of " + SeeMethod(method) + " along the tangents (every floating parameter has one):");
        w.WriteLine("/// the forward-mode code second order differentiates again. Called by generated code.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.NeverBrowsable);
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        w.WriteLine(Signature(spec, method.ReturnType.ScalarKeyword, jvp.Name, jvp.Parameters.Select(p => p.Type.CSharp + " " + p.Name)));
        w.OpenBrace();
        new TangentPrinter(jvp, transformer.HeapArrayTangents).WriteBody(w);
        w.CloseBrace();
    }

    private static void WriteJvpBackward(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp)
    {
        var normalized = ControlFlowNormalizer.Normalize(jvp);
        var activity = ActivityAnalysis.Run(normalized, normalized.Result);
        var recording = RecordingAnalysis.Run(normalized, activity);
        var keyword = method.ReturnType.ScalarKeyword;
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Gradient of " + jvp.Name + " with respect to the parameters and the tangents: the reverse mode of the forward mode of");
        w.WriteLine("/// " + SeeMethod(method) + ". Adds seed times each partial derivative to its adjoint. Called by generated code.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.NeverBrowsable);
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var transformer = new ReverseModeTransformer(normalized, activity, recording, normalized.Result);
        var parameters = jvp.Parameters.Select(p => p.Type.CSharp + " " + p.Name)
            .Concat(jvp.Parameters.Where(p => p.IsDifferentiable).Select(p => (p.Type.IsMultiDimensional ? p.Type.CSharp : p.Type.IsCollection ? "global::System.Span<" + p.Type.ScalarKeyword + ">" : "ref " + p.Type.ScalarKeyword) + " " + transformer.SignatureAdjoint(p.Name)))
            .Concat(new[] { keyword + " " + transformer.Seed + " = " + (method.ReturnType.Scalar == ScalarKind.Float ? "1f" : "1.0") });
        w.WriteLine(Signature(spec, keyword, jvp.Name + "Backward", parameters));
        w.OpenBrace();
        transformer.WriteBody(w);
        w.CloseBrace();
    }

    /// <summary>A differentiable parameter of the public methods with the names of its direction and product.</summary>
    private sealed record Direction(ParamIR Parameter, string V, string Hv);

    private static List<Direction> WriteHessianVector(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp)
    {
        var keyword = method.ReturnType.ScalarKeyword;
        var taken = new NameScope(method.Parameters.Select(p => p.Name));
        string Fresh(string baseName) => taken.Fresh(baseName);

        var directions = method.Parameters.Where(p => p.IsDifferentiable).Select(p => new Direction(p, Fresh("v" + Capitalized(p.Name)), Fresh("hv" + Capitalized(p.Name)))).ToList();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Hessian-vector product of " + SeeMethod(method) + ": adds H·v to " + (directions.Count == 0 ? "nothing (no parameter is differentiable)" : string.Join(", ", directions.Select(d => d.Hv))) + ",");
        w.WriteLine("/// where H is the matrix of second partial derivatives with respect to " + (directions.Count == 0 ? "no parameter" : string.Join(", ", directions.Select(d => d.Parameter.Name))) + " and v is (" + string.Join(", ", directions.Select(d => d.V)) + ").");
        w.WriteLine("/// Products accumulate (the caller zeroes them). Returns the directional derivative ⟨∇f, v⟩.");
        w.WriteLine("/// Computed reverse-over-forward: the reverse mode of the forward-mode code, ∇ₓ⟨∇f(x), v⟩ = H·v, at a small");
        w.WriteLine("/// constant times the cost of one evaluation (the order of forward-over-reverse), for the whole body language.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = method.Parameters.Select(p => p.Type.CSharp + " " + p.Name)
            .Concat(directions.Select(d => (d.Parameter.Type.IsCollection ? "global::System.ReadOnlySpan<" + keyword + ">" : keyword) + " " + d.V))
            .Concat(directions.Select(d => (d.Parameter.Type.IsCollection ? "global::System.Span<" + keyword + ">" : "ref " + keyword) + " " + d.Hv));
        w.WriteLine(Signature(spec, keyword, method.Name + "HessianVector", parameters));
        w.OpenBrace();
        var scratch = new List<string>();
        var tangents = new List<string>();
        var adjoints = new List<string>();
        var tangentAdjoints = new List<string>();
        foreach (var parameter in method.Parameters.Where(p => p.Type.IsFloating || p.Type.IsFloatingCollection))
        {
            var direction = directions.FirstOrDefault(d => d.Parameter == parameter);
            var element = parameter.Type.ScalarKeyword;

            // Scratch and zero tangents have the parameter's precision, which may differ from the result's.
            var isFloatParameter = parameter.Type.Scalar == ScalarKind.Float;
            var parameterZero = isFloatParameter ? "0f" : "0.0";
            string Scratch()
            {
                var name = Fresh("_scratch");
                if (parameter.Type.IsCollection)
                {
                    w.WriteLine("var " + name + " = " + Pool + ".Rent" + (isFloatParameter ? "Singles" : "Doubles") + "(" + parameter.Name + ".Length);");
                    scratch.Add(name);
                    return name;
                }

                w.WriteLine(element + " " + name + " = " + parameterZero + ";");
                return "ref " + name;
            }

            if (direction is not null)
            {
                tangents.Add(direction.V);
                adjoints.Add((parameter.Type.IsCollection ? string.Empty : "ref ") + direction.Hv);
            }
            else
            {
                // A [NoGrad] parameter: no direction (zero tangent), and its adjoint is not wanted.
                if (parameter.Type.IsCollection)
                {
                    var zeros = Fresh("_zeros");
                    w.WriteLine("var " + zeros + " = " + Pool + ".Rent" + (isFloatParameter ? "Singles" : "Doubles") + "(" + parameter.Name + ".Length);");
                    scratch.Add(zeros);
                    tangents.Add(zeros);
                }
                else
                {
                    tangents.Add(parameterZero);
                }

                adjoints.Add(Scratch());
            }

            tangentAdjoints.Add(Scratch());
        }

        var call = spec.Member(jvp.Name + "Backward") + "(" + string.Join(", ", method.Parameters.Select(p => p.Name).Concat(tangents).Concat(adjoints).Concat(tangentAdjoints)) + ")";
        if (scratch.Count == 0)
        {
            w.WriteLine("return " + call + ";");
        }
        else
        {
            var value = Fresh("_value");
            w.WriteLine("var " + value + " = " + call + ";");
            foreach (var buffer in scratch)
            {
                w.WriteLine(Pool + ".Return(" + buffer + ");");
            }

            w.WriteLine("return " + value + ";");
        }

        w.CloseBrace();
        return directions;
    }

    private static void WriteHessian(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, List<Direction> directions)
    {
        var keyword = method.ReturnType.ScalarKeyword;
        var isFloat = method.ReturnType.Scalar == ScalarKind.Float;
        var one = isFloat ? "1f" : "1.0";
        var zero = isFloat ? "0f" : "0.0";
        var taken = new NameScope(method.Parameters.Select(p => p.Name));
        string Fresh(string baseName) => taken.Fresh(baseName);

        var hessian = Fresh("hessian");
        w.WriteLine("/// <summary>");
        w.WriteLine("/// The dense Hessian of " + SeeMethod(method) + " with respect to " + (directions.Count == 0 ? "no parameter" : string.Join(", ", directions.Select(d => d.Parameter.Name))) + ", written row by row");
        w.WriteLine("/// into <paramref name=\"" + hessian + "\"/> (n·n entries; n counts a scalar once and an array or span once per element, in");
        w.WriteLine("/// parameter order). Made of n Hessian-vector products with unit vectors: meant for small inputs.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = method.Parameters.Select(p => p.Type.CSharp + " " + p.Name).Concat(new[] { "global::System.Span<" + keyword + "> " + hessian });
        w.WriteLine(Signature(spec, "void", method.Name + "Hessian", parameters));
        w.OpenBrace();
        var size = Fresh("_n");
        w.WriteLine("var " + size + " = 0;");
        var offsets = new List<string>();
        foreach (var direction in directions)
        {
            var offset = Fresh("_o" + Capitalized(direction.Parameter.Name));
            offsets.Add(offset);
            w.WriteLine("var " + offset + " = " + size + ";");
            w.WriteLine(size + " += " + (direction.Parameter.Type.IsCollection ? direction.Parameter.Name + ".Length" : "1") + ";");
        }

        w.WriteLine("if (" + hessian + ".Length < " + size + " * " + size + ")");
        w.OpenBrace();
        w.WriteLine("throw new global::System.ArgumentException(\"The Hessian needs \" + (" + size + " * " + size + ").ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" entries.\", nameof(" + hessian + "));");
        w.CloseBrace();
        w.WriteLine(hessian + ".Slice(0, " + size + " * " + size + ").Clear();");
        var buffers = new Dictionary<Direction, string>();
        foreach (var direction in directions.Where(d => d.Parameter.Type.IsCollection))
        {
            var buffer = Fresh("_v" + Capitalized(direction.Parameter.Name));
            buffers[direction] = buffer;
            w.WriteLine("var " + buffer + " = " + Pool + ".Rent" + (isFloat ? "Singles" : "Doubles") + "(" + direction.Parameter.Name + ".Length);");
        }

        var row = Fresh("_row");
        w.WriteLine("var " + row + " = 0;");
        string Call(Direction? unit) =>
            spec.Member(method.Name + "HessianVector") + "(" + string.Join(", ", method.Parameters.Select(p => p.Name)
                .Concat(directions.Select(d => d.Parameter.Type.IsCollection
                    ? "new global::System.ReadOnlySpan<" + keyword + ">(" + buffers[d] + ", 0, " + d.Parameter.Name + ".Length)"
                    : d == unit ? one : zero))
                .Concat(directions.Select((d, i) => d.Parameter.Type.IsCollection
                    ? hessian + ".Slice(" + row + " + " + offsets[i] + ", " + d.Parameter.Name + ".Length)"
                    : "ref " + hessian + "[" + row + " + " + offsets[i] + "]"))) + ");";
        foreach (var direction in directions)
        {
            if (direction.Parameter.Type.IsCollection)
            {
                var k = Fresh("_k");
                var buffer = buffers[direction];
                w.WriteLine("for (var " + k + " = 0; " + k + " < " + direction.Parameter.Name + ".Length; " + k + "++)");
                w.OpenBrace();
                w.WriteLine(buffer + "[" + k + "] = " + one + ";");
                w.WriteLine(Call(null));
                w.WriteLine(buffer + "[" + k + "] = " + zero + ";");
                w.WriteLine(row + " += " + size + ";");
                w.CloseBrace();
            }
            else
            {
                w.WriteLine(Call(direction));
                w.WriteLine(row + " += " + size + ";");
            }
        }

        foreach (var buffer in buffers.Values)
        {
            w.WriteLine(Pool + ".Return(" + buffer + ");");
        }

        w.CloseBrace();
    }
}
