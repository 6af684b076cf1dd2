using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// <c>{Name}Jacobian(parameters, d{Field}d{Parameter}…)</c> of a <c>[Differentiable(Jacobian = true)]</c> method
/// returning a tuple or struct: returns the value and adds the partial derivatives of each floating field of the result
/// into that field's adjoint set (field-major: every parameter's adjoint for the first field, then for the next). One
/// forward sweep serves every field where the body allows it (<see cref="ReverseModeTransformer.WriteJacobianBody"/>);
/// otherwise each field costs one call of the scalar backward, seeded with that field alone.
/// </summary>
public static class JacobianEmitter
{
    public static void Write(IndentedWriter w, DifferentiableMethodSpec spec, BackwardVariant variant)
    {
        if (!spec.Jacobian || spec.Result is not { } result)
        {
            return;
        }

        var method = variant.Method;
        var transformer = new ReverseModeTransformer(variant.Normalized, variant.Activity, variant.Recording, variant.Normalized.Result);
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        var floating = result.Leaves.Where(l => l.IsFloating).ToList();

        // The IR's parameters are the user's, then one seed per floating leaf of the result, then the output span.
        var seeds = method.Parameters.Skip(method.Parameters.Count - 1 - floating.Count).Take(floating.Count).ToList();
        var valueSpan = method.Parameters[method.Parameters.Count - 1].Name;
        var fields = floating.Select((leaf, i) =>
        {
            var title = FieldTitle(result.Type, leaf.Access.Substring(1));
            var adjoints = differentiable.ToDictionary(p => p.Name, p => transformer.JacobianName("d" + title.Replace(".", string.Empty) + NameScope.AdjointStem(p.Name)));
            return new JacobianField(title, seeds[i].Name, adjoints);
        }).ToList();
        var value = transformer.JacobianName("value");

        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Jacobian of the result of <see cref=\"" + method.Name + "(" + string.Join(", ", spec.Boundary.Select(p => StructBoundaryEmitter.CrefText(p.Type))) + ")\"/> with respect to " + string.Join(", ", differentiable.Select(p => p.Name)) + ", one row per floating field:");
        w.WriteLine("/// returns the value and adds the partial derivatives of each field into its own adjoints (" + string.Join(", ", fields.Select(f => string.Join("/", f.Adjoints.Values.Take(1)) + "…")) + "; the caller zeroes them).");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = spec.Boundary.Select(p => p.Declaration)
            .Concat(fields.SelectMany(f => differentiable.Select(p => AdjointType(p.Type) + " " + f.Adjoints[p.Name])));
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + result.Type + " " + method.Name + "Jacobian(" + string.Join(", ", parameters) + ")");
        w.OpenBrace();
        var body = new IndentedWriter();
        body.Indent(w.Level);
        if (!transformer.WriteJacobianBody(body, fields, valueSpan, result.Type, value))
        {
            body = new IndentedWriter();
            body.Indent(w.Level);
            WriteBackwardPerField(body, spec, fields, seeds, value, result.Type);
        }

        w.Append(body);
        w.CloseBrace();
    }

    /// <summary>A body the reverse sweeps cannot restart from cheaply (tape, loops, array writes): the backward once per field.</summary>
    private static void WriteBackwardPerField(IndentedWriter w, DifferentiableMethodSpec spec, IReadOnlyList<JacobianField> fields, IReadOnlyList<ParamIR> seeds, string value, string resultType)
    {
        var method = spec.Method;
        var primals = spec.Boundary.Select(p => p.Name).ToList();
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        w.WriteLine("// The body records values on the tape or writes arrays: each field's row is one backward call seeded with that field alone.");
        w.WriteLine("var " + value + " = default(" + resultType + ");");
        for (var i = 0; i < fields.Count; i++)
        {
            var unit = seeds.Select((s, k) => k == i ? (s.Type.Scalar == ScalarKind.Float ? "1f" : "1.0") : (s.Type.Scalar == ScalarKind.Float ? "0f" : "0.0"));
            var output = i == 0 ? "global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + value + ", 1)" : "default";
            var adjoints = differentiable.Select(p => (p.Type.IsCollection ? string.Empty : "ref ") + fields[i].Adjoints[p.Name]);
            var one = method.ReturnType.Scalar == ScalarKind.Float ? "1f" : "1.0";
            w.WriteLine(spec.Member(method.Name + "Backward") + "(" + string.Join(", ", primals.Concat(unit).Concat(new[] { output }).Concat(adjoints).Concat(new[] { one })) + ");");
        }

        w.WriteLine("return " + value + ";");
    }

    /// <summary>A field of a named tuple by its name (<c>X</c>, not <c>Item1</c>): the leaves of a tuple are its ItemN.</summary>
    private static string FieldTitle(string type, string access)
    {
        if (!type.StartsWith("(", System.StringComparison.Ordinal) || !access.StartsWith("Item", System.StringComparison.Ordinal) || !int.TryParse(access.Substring(4), out var position))
        {
            return access;
        }

        var elements = new List<string>();
        var depth = 0;
        var start = 1;
        for (var i = 1; i < type.Length - 1; i++)
        {
            depth += type[i] is '(' or '<' ? 1 : type[i] is ')' or '>' ? -1 : 0;
            if (depth == 0 && type[i] == ',')
            {
                elements.Add(type.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }

        elements.Add(type.Substring(start, type.Length - 1 - start).Trim());
        var words = position <= elements.Count ? elements[position - 1].Split(' ') : new string[0];
        return words.Length == 2 ? words[1] : access;
    }

    private static string AdjointType(IrType type) =>
        type.IsMultiDimensional ? type.CSharp : type.IsCollection ? "global::System.Span<" + type.ScalarKeyword + ">" : "ref " + type.ScalarKeyword;
}
