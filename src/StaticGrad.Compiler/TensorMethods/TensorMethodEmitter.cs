using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Writes the generated file of one Tensor-bodied method: <c>{Name}Backward</c>, a static backward of tensor-level
/// vector-Jacobian products, and <c>{Name}Fused</c>, the method as one node of the runtime graph.
/// </summary>
public static class TensorMethodEmitter
{
    private const string Tensor = "global::StaticGrad.Tensor";

    /// <param name="fused">Also write <c>{Name}Fused</c> (opted in with <c>Tensor = true</c> or <c>StaticGradTensor</c>).</param>
    public static string Emit(TensorMethodSpec spec, bool fused = true)
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

        WriteBackward(w, spec);
        if (fused && !spec.FusedNameTaken)
        {
            w.WriteLine();
            TensorFusedEmitter.Write(w, spec);
        }

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

    /// <summary>The stem of a differentiable parameter's adjoint: <c>x</c> → <c>dX</c> (made fresh in the method's scope).</summary>
    public static string AdjointParameter(string name)
    {
        name = NameScope.Unescaped(name);
        return "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);
    }

    /// <summary>A scope for one emitted method of the spec: its parameters and the names of the body's values.</summary>
    internal static NameScope Scope(TensorMethodSpec spec) =>
        new(spec.Parameters.Select(p => p.Name).Concat(spec.Values.Select(v => v.Name)));

    public static string Modifiers(TensorMethodSpec spec) => spec.Accessibility + (spec.IsStatic ? " static " : " ");

    public static string GeneratedCodeAttribute =>
        "[global::System.CodeDom.Compiler.GeneratedCode(\"StaticGrad.Generator\", \"" + typeof(TensorMethodEmitter).Assembly.GetName().Version!.ToString(3) + "\")]";

    /// <summary>The original parameters, then one <c>ref Tensor?</c> adjoint per differentiable Tensor parameter, then the seed.</summary>
    private static string BackwardParameterList(TensorMethodSpec spec, IReadOnlyDictionary<string, string> adjoints, string seed) =>
        string.Join(", ", spec.Parameters.Select(p => p.TypeText + " " + p.Name)
            .Concat(spec.Parameters.Where(p => p.Differentiable).Select(p => "ref " + Tensor + "? " + adjoints[p.Name]))
            .Concat(new[] { Tensor + "? " + seed + " = null" }));

    private static void WriteBackward(IndentedWriter w, TensorMethodSpec spec)
    {
        var differentiable = spec.Parameters.Where(p => p.Differentiable).Select(p => p.Name).ToList();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Gradient of the result of <see cref=\"" + spec.Name + "(" + spec.CrefParameters + ")\"/> with respect to " + (differentiable.Count == 0 ? "no parameter" : string.Join(", ", differentiable)) + ":");
        w.WriteLine("/// the forward operations, then their vector-Jacobian products in reverse order, all under <c>Autograd.NoGrad()</c>, so");
        w.WriteLine("/// that nothing is recorded in the runtime graph.");
        w.WriteLine("/// </summary>");
        w.WriteLine("/// <remarks>");
        w.WriteLine("/// Returns the value. Adds the gradient of <c>(seed * result).Sum()</c> to each adjoint: a null adjoint receives the");
        w.WriteLine("/// gradient, a non-null one is replaced by a new tensor holding the sum (never written in place), and an adjoint the");
        w.WriteLine("/// result does not depend on is left as it was. <c>seed</c> defaults to ones in the result's shape.");
        w.WriteLine("/// </remarks>");
        w.WriteLine(GeneratedCodeAttribute);
        var scope = Scope(spec);
        var adjoints = spec.Parameters.Where(p => p.Differentiable).ToDictionary(p => p.Name, p => scope.Fresh(AdjointParameter(p.Name)));
        var seed = scope.Fresh("seed");
        w.WriteLine(Modifiers(spec) + Tensor + " " + spec.Name + "Backward(" + BackwardParameterList(spec, adjoints, seed) + ")");
        w.OpenBrace();
        w.WriteLine("using (global::StaticGrad.Autograd.NoGrad())");
        w.OpenBrace();
        WriteBody(w, spec, scope, adjoints, seed);
        w.CloseBrace();
        w.CloseBrace();
    }

    private static void WriteBody(IndentedWriter w, TensorMethodSpec spec, NameScope scope, IReadOnlyDictionary<string, string> parameterAdjoints, string seed)
    {
        var names = spec.Values.Select(v => v.Name).ToArray();
        w.WriteLine("// Forward sweep: every value is assigned once, so the reverse sweep reads them without saving anything.");
        WriteForward(w, spec);
        if (!TensorActivity.Useful(spec)[spec.Result])
        {
            w.WriteLine("return " + names[spec.Result] + ";");
            return;
        }

        w.WriteLine();
        WriteReverse(w, spec, scope, seed + " ?? " + Tensor + ".OnesLike(" + names[spec.Result] + ")", (parameter, adjoint) =>
        {
            var name = parameterAdjoints[names[parameter]];
            return name + " = global::StaticGrad.CompilerServices.TensorVjp.Accumulate(" + name + ", " + adjoint + ");";
        });
        w.WriteLine("return " + names[spec.Result] + ";");
    }

    /// <summary>One <c>var name = …;</c> per operation of the body, in order.</summary>
    internal static void WriteForward(IndentedWriter w, TensorMethodSpec spec)
    {
        var names = spec.Values.Select(v => v.Name).ToArray();
        for (var i = 0; i < spec.Values.Count; i++)
        {
            if (spec.Values[i].Op != TensorOp.Parameter)
            {
                w.WriteLine("var " + names[i] + " = " + TensorVjpText.Forward(spec.Values[i], names) + ";");
            }
        }
    }

    /// <summary>
    /// The reverse sweep from <paramref name="seed"/>: each useful value's adjoint, complete before it is pulled back
    /// to its operands; then <paramref name="finish"/> (parameter's value index, its adjoint local) for each
    /// parameter that received one.
    /// </summary>
    internal static void WriteReverse(IndentedWriter w, TensorMethodSpec spec, NameScope scope, string seed, System.Func<int, string, string> finish)
    {
        var values = spec.Values;
        var names = values.Select(v => v.Name).ToArray();
        var useful = TensorActivity.Useful(spec);
        w.WriteLine("// Reverse sweep: each value's adjoint is complete before it is pulled back to its operands.");
        var adjoints = names.Select((name, i) => useful[i] ? scope.Fresh(AdjointLocal(NameScope.Unescaped(name))) : string.Empty).ToArray();
        var declared = new bool[values.Count];
        declared[spec.Result] = true;
        w.WriteLine("var " + adjoints[spec.Result] + " = " + seed + ";");
        for (var i = values.Count - 1; i >= 0; i--)
        {
            var value = values[i];
            if (!useful[i] || value.Op == TensorOp.Parameter)
            {
                continue;
            }

            for (var position = 0; position < value.Operands.Count; position++)
            {
                var operand = value.Operands[position];
                if (!useful[operand])
                {
                    continue;
                }

                // a * a: one contribution g * 2a instead of two products g * a added together.
                var squares = value.Op == TensorOp.Mul && value.Operands[0] == value.Operands[1];
                if (squares && position == 1)
                {
                    continue;
                }

                var contribution = squares
                    ? adjoints[i] + " * (" + names[operand] + " * 2.0)"
                    : TensorVjpText.Adjoint(value, position, names[i], adjoints[i], names);
                if (declared[operand])
                {
                    w.WriteLine(adjoints[operand] + " = " + adjoints[operand] + " + " + contribution + ";");
                }
                else
                {
                    w.WriteLine("var " + adjoints[operand] + " = " + contribution + ";");
                    declared[operand] = true;
                }
            }
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Op == TensorOp.Parameter && declared[i])
            {
                w.WriteLine(finish(i, adjoints[i]));
            }
        }
    }

    private static string AdjointLocal(string name) => name[0] == '_' ? "_d" + name : "_d" + char.ToUpperInvariant(name[0]) + name.Substring(1);

}
