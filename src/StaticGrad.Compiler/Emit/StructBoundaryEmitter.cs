using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// The contract's methods for a method with differentiable struct parameters. Its IR is scalarised (one parameter per
/// leaf), so the transformers emit <c>{Name}Backward</c> and <c>{Name}Tangent</c> over the leaves; these overloads take
/// the structs as declared, with adjoints and tangents of the same types, and unpack them around one call of those.
/// </summary>
public static class StructBoundaryEmitter
{
    /// <summary><c>{Name}Backward(T p, …, ref T dP, …, seed)</c>: passes each floating field of an adjoint by reference, or rebuilds read-only ones with <c>with</c>.</summary>
    public static void WriteBackward(IndentedWriter w, DifferentiableMethodSpec spec)
    {
        // An adjoint that cannot receive its partials is SG1004 at the parameter; the overload over the leaves, which
        // callers in the body language use, stays valid, so only this one is left out (it would not compile).
        if (spec.Boundary.Count == 0 || spec.Boundary.Any(p => p.AdjointUnwritable))
        {
            return;
        }

        var method = spec.Method;
        var keyword = method.ReturnType.ScalarKeyword;
        var scope = new NameScope(spec.Boundary.Select(p => p.Name));
        var adjointNames = spec.Boundary.Where(p => p.IsDifferentiable).ToDictionary(p => p.Name, p => scope.Adjoint(p.Name));
        var seed = scope.Fresh("seed");

        var primals = new List<string>();
        var adjoints = new List<string>();
        var declarations = new List<string>();
        var rebuilds = new List<string>();
        var additions = new List<string>();
        foreach (var parameter in spec.Boundary)
        {
            var adjoint = parameter.IsDifferentiable ? adjointNames[parameter.Name] : string.Empty;
            if (parameter.Leaves.Count == 0)
            {
                primals.Add(parameter.Name);
                if (parameter.IsDifferentiable)
                {
                    adjoints.Add(IsCollection(spec, parameter.Name) ? adjoint : "ref " + adjoint);
                }

                continue;
            }

            var assignments = new List<(string[] Path, string Value)>();
            foreach (var leaf in parameter.Leaves)
            {
                primals.Add(parameter.Name + leaf.Access);
                if (!leaf.IsFloating)
                {
                    continue;
                }

                if (leaf.Write == AdjointWrite.Ref)
                {
                    adjoints.Add("ref " + adjoint + leaf.Access);
                    continue;
                }

                var temporary = scope.Fresh("_" + adjoint + leaf.Access.Replace('.', '_'));
                declarations.Add(leaf.Type + " " + temporary + " = " + (leaf.Type == "float" ? "0f" : "0.0") + ";");
                adjoints.Add("ref " + temporary);
                if (leaf.Write == AdjointWrite.Add)
                {
                    additions.Add(adjoint + leaf.Access + " += " + temporary + ";");
                    continue;
                }

                assignments.Add((leaf.Access.Substring(1).Split('.'), adjoint + leaf.Access + " + " + temporary));
            }

            if (assignments.Count > 0)
            {
                rebuilds.Add(parameter.Type == "global::System.Numerics.Complex"
                    ? adjoint + " = new global::System.Numerics.Complex(" + string.Join(", ", assignments.Select(a => a.Value)) + ");"
                    : adjoint + " = " + With(adjoint, assignments, 0) + ";");
            }
        }

        var seedLeaves = SeedLeaves(spec).ToList();
        var one = method.ReturnType.Scalar == ScalarKind.Float ? "1f" : "1.0";
        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Gradient of the result of " + See(spec) + " with respect to " + string.Join(", ", spec.Boundary.Where(p => p.IsDifferentiable).Select(p => p.Name)) + ".");
        w.WriteLine("/// Returns the value and adds seed times each partial derivative to its adjoint, which has its parameter's type: each floating");
        w.WriteLine("/// field of a struct's adjoint receives the partial derivative of that field, other fields are left alone (the caller zeroes adjoints).");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = spec.Boundary.Select(p => p.Declaration)
            .Concat(spec.Boundary.Where(p => p.IsDifferentiable).Select(p => (p.Leaves.Count == 0 && IsCollection(spec, p.Name) ? AdjointCollection(spec, p.Name) : "ref " + p.Type) + " " + adjointNames[p.Name]))
            .Concat(new[] { spec.Result is { } result ? result.Type + " " + seed : keyword + " " + seed + " = " + one });
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + (spec.Result?.Type ?? keyword) + " " + method.Name + "Backward(" + string.Join(", ", parameters) + ")");
        w.OpenBrace();
        foreach (var declaration in declarations)
        {
            w.WriteLine(declaration);
        }

        var value = scope.Fresh("value");
        if (spec.Result is null)
        {
            w.WriteLine("var " + value + " = " + spec.Member(method.Name + "Backward") + "(" + string.Join(", ", primals.Concat(adjoints).Concat(new[] { seed })) + ");");
        }
        else
        {
            // The scalar backward returns seed · result, and writes the value into the span it is given.
            w.WriteLine("var " + value + " = default(" + spec.Result.Type + ");");
            w.WriteLine(spec.Member(method.Name + "Backward") + "(" + string.Join(", ", primals.Concat(seedLeaves.Select(l => seed + l.Access)).Concat(new[] { ValueSpan(value) }).Concat(adjoints).Concat(new[] { one })) + ");");
        }

        foreach (var rebuild in additions.Concat(rebuilds))
        {
            w.WriteLine(rebuild);
        }

        w.WriteLine("return " + value + ";");
        w.CloseBrace();
    }

    /// <summary><c>{Name}Tangent(T p, …, T dP, …)</c>: the tangent of a struct has its type; its fields are the leaves' tangents.</summary>
    public static void WriteTangent(IndentedWriter w, DifferentiableMethodSpec spec)
    {
        if (spec.Boundary.Count == 0)
        {
            return;
        }

        var method = spec.Method;
        var keyword = method.ReturnType.ScalarKeyword;
        var primals = new List<string>();
        var tangents = new List<string>();
        var scope = new NameScope(spec.Boundary.Select(p => p.Name));
        var tangentNames = spec.Boundary.Where(p => p.IsDifferentiable).ToDictionary(p => p.Name, p => scope.Adjoint(p.Name));
        foreach (var parameter in spec.Boundary)
        {
            var tangent = parameter.IsDifferentiable ? tangentNames[parameter.Name] : string.Empty;
            if (parameter.Leaves.Count == 0)
            {
                primals.Add(parameter.Name);
                if (parameter.IsDifferentiable)
                {
                    tangents.Add(tangent);
                }

                continue;
            }

            primals.AddRange(parameter.Leaves.Select(l => parameter.Name + l.Access));
            tangents.AddRange(parameter.Leaves.Where(l => l.IsFloating).Select(l => tangent + l.Access));
        }

        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Forward mode of " + See(spec) + ": its value and its directional derivative along the tangents, each of its parameter's type.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = spec.Boundary.Select(p => p.Declaration)
            .Concat(spec.Boundary.Where(p => p.IsDifferentiable).Select(p => (p.Leaves.Count == 0 && IsCollection(spec, p.Name) ? TangentCollection(spec, p.Name) : p.Type) + " " + tangentNames[p.Name]));
        var resultType = spec.Result?.Type ?? keyword;
        w.WriteLine(spec.Accessibility + (spec.IsStatic ? " static " : " ") + "(" + resultType + " Value, " + resultType + " Tangent) " + method.Name + "Tangent(" + string.Join(", ", parameters) + ")");
        if (spec.Result is not { } result)
        {
            w.Indent();
            w.WriteLine("=> " + spec.Member(method.Name + "Tangent") + "(" + string.Join(", ", primals.Concat(tangents)) + ");");
            w.Unindent();
            return;
        }

        // One forward pass per floating field of the result, seeded with that field's unit vector; the first also writes the value.
        w.OpenBrace();
        var seeds = SeedLeaves(spec).ToList();
        var fields = new List<string>();
        var value = scope.Fresh("value");
        w.WriteLine("var " + value + " = default(" + result.Type + ");");
        var valueWritten = false;
        foreach (var leaf in result.Leaves)
        {
            if (!leaf.IsFloating)
            {
                fields.Add(leaf.Type == "bool" ? "false" : "0");
                continue;
            }

            var name = scope.Fresh("_tangent" + leaf.Access.Replace('.', '_'));
            var unit = seeds.Select(s => s == leaf ? (s.Type == "float" ? "1f" : "1.0") : (s.Type == "float" ? "0f" : "0.0"));
            var output = valueWritten ? "default" : ValueSpan(value);
            valueWritten = true;
            w.WriteLine("var " + name + " = " + spec.Member(method.Name + "Tangent") + "(" + string.Join(", ", primals.Concat(unit).Concat(new[] { output }).Concat(tangents)) + ").Tangent;");

            // A float field of a result that also has double fields: the scalar tangent is double.
            fields.Add(leaf.Type == keyword ? name : "(" + leaf.Type + ")" + name);
        }

        w.WriteLine("return (" + value + ", " + Construct(result, fields) + ");");
        w.CloseBrace();
    }

    /// <summary>
    /// The documentation of the scalar methods names the method over its leaves, which does not exist: this points it
    /// at the method as declared.
    /// </summary>
    public static string? FixReferences(string? source, DifferentiableMethodSpec spec)
    {
        if (source is null || spec.Boundary.Count == 0)
        {
            return source;
        }

        var scalar = "<see cref=\"" + spec.Method.Name + "(" + string.Join(", ", spec.Method.Parameters.Select(TangentEmitter.Cref)) + ")\"/>";
        return source.Replace(scalar, See(spec));
    }

    /// <summary>
    /// <c>d with { A = …, B = d.B with { X = … } }</c>: a member of a nested struct reached through a property is
    /// rebuilt with its own <c>with</c> (<c>d with { B.X = … }</c> is not C#).
    /// </summary>
    private static string With(string instance, IReadOnlyList<(string[] Path, string Value)> assignments, int depth) =>
        instance + " with { " + string.Join(", ", assignments.GroupBy(a => a.Path[depth]).Select(g =>
            g.Key + " = " + (g.Count() == 1 && g.First().Path.Length == depth + 1 ? g.First().Value : With(instance + "." + g.Key, g.ToList(), depth + 1)))) + " }";

    private static string ValueSpan(string value) => "global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + value + ", 1)";

    private static IEnumerable<BoundaryLeaf> SeedLeaves(DifferentiableMethodSpec spec) =>
        spec.Result is { } result ? result.Leaves.Where(l => l.IsFloating) : Enumerable.Empty<BoundaryLeaf>();

    private static string Construct(BoundaryResult result, IReadOnlyList<string> fields) =>
        ArgumentTemplate.Apply(new[] { new ArgumentTemplate(fields.Count, result.Construction) }, fields).Single();

    private static string See(DifferentiableMethodSpec spec) =>
        "<see cref=\"" + spec.Method.Name + "(" + string.Join(", ", spec.Boundary.Select(p => p.CrefPrefix + (p.Leaves.Count == 0 ? TangentEmitter.Cref(IrTypeOf(spec, p.Name)) : CrefText(p.Type)))) + ")\"/>";

    internal static string CrefText(string type) => type.TrimEnd('?').Replace('<', '{').Replace('>', '}');

    private static IrType IrTypeOf(DifferentiableMethodSpec spec, string name) => spec.Method.Parameters.First(p => p.Name == name).Type;

    private static bool IsCollection(DifferentiableMethodSpec spec, string name) => IrTypeOf(spec, name).IsCollection;

    // A grid or jagged parameter's adjoint (and tangent) has the parameter's own type, as in the scalar-result backward.
    private static string AdjointCollection(DifferentiableMethodSpec spec, string name) =>
        IrTypeOf(spec, name) is { IsMultiDimensional: true } grid ? grid.CSharp : "global::System.Span<" + IrTypeOf(spec, name).ScalarKeyword + ">";

    private static string TangentCollection(DifferentiableMethodSpec spec, string name) =>
        IrTypeOf(spec, name) is { IsMultiDimensional: true } grid ? grid.CSharp : "global::System.ReadOnlySpan<" + IrTypeOf(spec, name).ScalarKeyword + ">";
}
