using System.Linq;
using StaticGrad.Compiler.Emit;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Writes <c>{Name}Fused</c>: the method as ONE node of the runtime graph (a <c>StaticGrad.CustomFunction</c> named
/// <c>{Name}Backward</c>) whose backward calls the static <c>{Name}Backward</c>. The node saves only its inputs and
/// recomputes the forward values in its backward, as activation checkpointing does.
/// </summary>
internal static class TensorFusedEmitter
{
    private const string Tensor = "global::StaticGrad.Tensor";

    public static void Write(IndentedWriter w, TensorMethodSpec spec)
    {
        var node = spec.Name + "FusedNode";
        var parameterList = string.Join(", ", spec.Parameters.Select(p => p.TypeText + " " + p.Name));
        var arguments = string.Join(", ", spec.Parameters.Select(p => p.Name));

        w.WriteLine("/// <summary>");
        w.WriteLine("/// <see cref=\"" + spec.Name + "(" + spec.CrefParameters + ")\"/> as one node of the runtime graph: the forward runs under");
        w.WriteLine("/// <c>Autograd.NoGrad()</c>; when grad mode is on and a differentiable input requires grad, the result's");
        w.WriteLine("/// <c>GradFn</c> is one node named <c>" + spec.Name + "Backward</c> whose backward calls <see cref=\"" + spec.Name + "Backward\"/>.");
        w.WriteLine("/// Otherwise the result is an untracked leaf.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <remarks>");
        w.WriteLine("/// The node saves its Tensor inputs (a backward pass without retainGraph frees them; changing one in place before");
        w.WriteLine("/// the backward pass is an error) and recomputes the forward values in its backward. Its backward is not recorded,");
        w.WriteLine("/// so it has no second derivative. [NoGrad] Tensor parameters get no gradient.");
        w.WriteLine("/// </remarks>");
        w.WriteLine(TensorMethodEmitter.GeneratedCodeAttribute);
        w.WriteLine(TensorMethodEmitter.Modifiers(spec) + Tensor + " " + spec.Name + "Fused(" + parameterList + ")");
        w.OpenBrace();
        w.WriteLine(Tensor + " _result;");
        w.WriteLine("using (global::StaticGrad.Autograd.NoGrad())");
        w.OpenBrace();

        // A method that returns a parameter would hand the caller's own tensor to the node: record an alias instead.
        var returnsParameter = spec.Values[spec.Result].Op == TensorOp.Parameter;
        w.WriteLine("_result = " + spec.Name + "(" + arguments + ")" + (returnsParameter ? ".Detach()" : string.Empty) + ";");
        w.CloseBrace();
        w.WriteLine();
        var differentiable = spec.Parameters.Where(p => p.Differentiable).Select(p => p.Name).ToList();
        if (differentiable.Count == 0)
        {
            w.WriteLine("return _result;");
            w.CloseBrace();
            return;
        }

        w.WriteLine("if (!global::StaticGrad.CustomFunction.ShouldRecord(" + string.Join(", ", differentiable) + "))");
        w.OpenBrace();
        w.WriteLine("return _result;");
        w.CloseBrace();
        w.WriteLine();
        w.WriteLine("return new " + node + "(" + string.Join(", ", (spec.IsStatic ? Enumerable.Empty<string>() : new[] { "this" }).Concat(spec.Parameters.Select(p => p.Name))) + ").Record(_result);");
        w.CloseBrace();
        w.WriteLine();
        WriteNode(w, spec, node);
    }

    private static void WriteNode(IndentedWriter w, TensorMethodSpec spec, string node)
    {
        var tensors = spec.Parameters.Where(p => p.IsTensor).ToList();
        var scalars = spec.Parameters.Where(p => !p.IsTensor).ToList();
        w.WriteLine("/// <summary>The graph node of <see cref=\"" + spec.Name + "Fused\"/>: its backward is <see cref=\"" + spec.Name + "Backward\"/>.</summary>");
        w.WriteLine(TensorMethodEmitter.GeneratedCodeAttribute);
        w.WriteLine("private sealed class " + node + " : global::StaticGrad.CustomFunction");
        w.OpenBrace();
        if (!spec.IsStatic)
        {
            w.WriteLine("private readonly " + spec.SelfType + " _self;");
        }

        foreach (var scalar in scalars)
        {
            w.WriteLine("private readonly " + scalar.TypeText + " _" + scalar.Name + ";");
        }

        if (!spec.IsStatic || scalars.Count > 0)
        {
            w.WriteLine();
        }

        var constructorParameters = (spec.IsStatic ? Enumerable.Empty<string>() : new[] { spec.SelfType + " self" })
            .Concat(spec.Parameters.Select(p => p.TypeText + " " + p.Name));

        // A [NoGrad] input is passed detached: it gets no edge, so no gradient flows to it.
        var inputs = string.Join(", ", tensors.Select(p => p.Differentiable ? p.Name : p.Name + ".Detach()"));
        w.WriteLine("public " + node + "(" + string.Join(", ", constructorParameters) + ")");
        w.Indent();
        w.WriteLine(": base(\"" + spec.Name + "Backward\", " + inputs + ")");
        w.Unindent();
        w.OpenBrace();
        if (!spec.IsStatic)
        {
            w.WriteLine("_self = self;");
        }

        foreach (var p in scalars)
        {
            w.WriteLine("_" + p.Name + " = " + p.Name + ";");
        }

        w.WriteLine("SaveForBackward(" + inputs + ");");
        w.CloseBrace();
        w.WriteLine();
        w.WriteLine("protected override void Backward(" + Tensor + " gradOutput, " + Tensor + "?[] gradInputs)");
        w.OpenBrace();
        var index = 0;
        var arguments = spec.Parameters.Select(p => p.IsTensor ? "Saved(" + (index++).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "_" + p.Name).ToList();
        var adjoints = spec.Parameters.Where(p => p.Differentiable).Select(p => TensorMethodEmitter.AdjointParameter(p.Name)).ToList();
        foreach (var adjoint in adjoints)
        {
            w.WriteLine(Tensor + "? " + adjoint + " = null;");
        }

        var target = spec.IsStatic ? string.Empty : "_self.";
        w.WriteLine(target + spec.Name + "Backward(" + string.Join(", ", arguments.Concat(adjoints.Select(a => "ref " + a)).Concat(new[] { "gradOutput" })) + ");");
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Differentiable)
            {
                var text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.WriteLine("gradInputs[" + text + "] = NeedsInputGrad(" + text + ") ? " + TensorMethodEmitter.AdjointParameter(tensors[i].Name) + " : null;");
            }
        }

        w.CloseBrace();
        w.CloseBrace();
    }
}
