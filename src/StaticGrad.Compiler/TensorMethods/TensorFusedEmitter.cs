using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Writes <c>{Name}Fused</c>: the method as ONE node of the runtime graph (a <c>StaticGrad.CustomFunction</c> named
/// <c>{Name}Backward</c>). The forward runs once, unrecorded; the node saves the forward's values and its backward is
/// the reverse sweep of <c>{Name}Backward</c> over them, so nothing is computed twice.
/// </summary>
internal static class TensorFusedEmitter
{
    private const string Tensor = "global::StaticGrad.Tensor";
    private const string NoGrad = "global::StaticGrad.Autograd.NoGrad()";

    public static void Write(IndentedWriter w, TensorMethodSpec spec)
    {
        var node = spec.Name + "FusedNode";
        var names = spec.Values.Select(v => v.Name).ToArray();

        // A method that returns a parameter would hand the caller's own tensor to the node: record an alias instead.
        var output = names[spec.Result] + (spec.Values[spec.Result].Op == TensorOp.Parameter ? ".Detach()" : string.Empty);
        var differentiable = spec.Parameters.Where(p => p.Differentiable).Select(p => p.Name).ToList();
        var records = differentiable.Count > 0 && TensorActivity.Useful(spec)[spec.Result];

        w.WriteLine("/// <summary>");
        w.WriteLine("/// <see cref=\"" + spec.Name + "(" + spec.CrefParameters + ")\"/> as one node of the runtime graph: the forward runs under");
        w.WriteLine("/// <c>Autograd.NoGrad()</c>; when grad mode is on and a differentiable input requires grad, the result's");
        w.WriteLine("/// <c>GradFn</c> is one node named <c>" + spec.Name + "Backward</c> whose backward is the reverse sweep of <see cref=\"" + spec.Name + "Backward\"/>.");
        w.WriteLine("/// Otherwise the result is an untracked leaf.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <remarks>");
        w.WriteLine("/// The node saves the Tensor inputs and the forward's values (a backward pass without retainGraph frees them;");
        w.WriteLine("/// changing a saved tensor in place before the backward pass is an error). Its backward is not recorded, so it has");
        w.WriteLine("/// no second derivative. [NoGrad] Tensor parameters get no gradient.");
        w.WriteLine("/// </remarks>");
        w.WriteLine(TensorMethodEmitter.GeneratedCodeAttribute);
        w.WriteLine(TensorMethodEmitter.Modifiers(spec) + Tensor + " " + spec.Name + "Fused(" + string.Join(", ", spec.Parameters.Select(p => p.TypeText + " " + p.Name)) + ")");
        var scope = TensorMethodEmitter.Scope(spec);
        w.OpenBrace();
        if (!records)
        {
            // No gradient can flow to any parameter: like a built-in op on inputs that do not require grad.
            w.WriteLine("using (" + NoGrad + ")");
            w.OpenBrace();
            TensorMethodEmitter.WriteForward(w, spec);
            w.WriteLine("return " + output + ";");
            w.CloseBrace();
            w.CloseBrace();
            return;
        }

        // Decided before the NoGrad scope, which would make it false; the node records after the scope for the same reason.
        var (record, result, instance) = (scope.Fresh("_record"), scope.Fresh("_output"), scope.Fresh("_node"));
        w.WriteLine("var " + record + " = global::StaticGrad.CustomFunction.ShouldRecord(" + string.Join(", ", differentiable) + ");");
        w.WriteLine(Tensor + " " + result + ";");
        w.WriteLine(node + "? " + instance + " = null;");
        w.WriteLine("using (" + NoGrad + ")");
        w.OpenBrace();
        TensorMethodEmitter.WriteForward(w, spec);
        w.WriteLine(result + " = " + output + ";");
        w.WriteLine("if (" + record + ")");
        w.OpenBrace();
        var arguments = spec.Parameters.Select(p => p.Name).Concat(Computed(spec).Select(i => names[i]));
        w.WriteLine(instance + " = new " + node + "(" + string.Join(", ", arguments) + ");");
        w.CloseBrace();
        w.CloseBrace();
        w.WriteLine();
        w.WriteLine("return " + instance + " is null ? " + result + " : " + instance + ".Record(" + result + ");");
        w.CloseBrace();
        w.WriteLine();
        WriteNode(w, spec, node);
    }

    /// <summary>The indices of the values the body computes (all saved: the reverse sweep and its shape queries read them).</summary>
    private static int[] Computed(TensorMethodSpec spec) =>
        Enumerable.Range(0, spec.Values.Count).Where(i => spec.Values[i].Op != TensorOp.Parameter).ToArray();

    private static void WriteNode(IndentedWriter w, TensorMethodSpec spec, string node)
    {
        var names = spec.Values.Select(v => v.Name).ToArray();
        var tensors = spec.Parameters.Where(p => p.IsTensor).ToList();
        var scalars = spec.Parameters.Where(p => !p.IsTensor).ToList();
        var computed = Computed(spec);

        // The node's members are in scope in its constructor and Backward, whose locals are the method's names.
        var scope = TensorMethodEmitter.Scope(spec);
        var fields = scalars.ToDictionary(p => p.Name, p => scope.Fresh("_" + NameScope.Unescaped(p.Name) + "Argument"));
        var (gradOutput, gradInputs) = (scope.Fresh("gradOutput"), scope.Fresh("gradInputs"));
        w.WriteLine("/// <summary>The graph node of <see cref=\"" + spec.Name + "Fused\"/>: its backward is the reverse sweep of <see cref=\"" + spec.Name + "Backward\"/>.</summary>");
        w.WriteLine(TensorMethodEmitter.GeneratedCodeAttribute);
        w.WriteLine("private sealed class " + node + " : global::StaticGrad.CustomFunction");
        w.OpenBrace();
        foreach (var scalar in scalars)
        {
            w.WriteLine("private readonly " + scalar.TypeText + " " + fields[scalar.Name] + ";");
        }

        if (scalars.Count > 0)
        {
            w.WriteLine();
        }

        var constructorParameters = spec.Parameters.Select(p => p.TypeText + " " + p.Name).Concat(computed.Select(i => Tensor + " " + names[i]));

        // A [NoGrad] input is passed detached: it gets no edge, so no gradient flows to it.
        var inputs = string.Join(", ", tensors.Select(p => p.Differentiable ? p.Name : p.Name + ".Detach()"));
        w.WriteLine("public " + node + "(" + string.Join(", ", constructorParameters) + ")");
        w.Indent();
        w.WriteLine(": base(\"" + spec.Name + "Backward\", " + inputs + ")");
        w.Unindent();
        w.OpenBrace();
        foreach (var scalar in scalars)
        {
            w.WriteLine(fields[scalar.Name] + " = " + scalar.Name + ";");
        }

        w.WriteLine("this.SaveForBackward(" + string.Join(", ", new[] { inputs }.Concat(computed.Select(i => names[i]))) + ");");
        w.CloseBrace();
        w.WriteLine();
        w.WriteLine("protected override void Backward(" + Tensor + " " + gradOutput + ", " + Tensor + "?[] " + gradInputs + ")");
        w.OpenBrace();
        var saved = 0;
        foreach (var parameter in spec.Parameters)
        {
            w.WriteLine("var " + parameter.Name + " = " + (parameter.IsTensor ? "this.Saved(" + Text(saved++) + ")" : fields[parameter.Name]) + ";");
        }

        foreach (var i in computed)
        {
            w.WriteLine("var " + names[i] + " = this.Saved(" + Text(saved++) + ");");
        }

        w.WriteLine("using (" + NoGrad + ")");
        w.OpenBrace();
        var inputIndex = tensors.Select((p, k) => (p.Name, k)).ToDictionary(t => t.Name, t => t.k);
        TensorMethodEmitter.WriteReverse(w, spec, scope, gradOutput, (parameter, adjoint) =>
            gradInputs + "[" + Text(inputIndex[names[parameter]]) + "] = " + adjoint + ";");
        w.CloseBrace();
        w.CloseBrace();
        w.CloseBrace();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
