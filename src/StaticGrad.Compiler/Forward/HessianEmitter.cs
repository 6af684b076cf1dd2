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

        // A lifted local function's struct-array members are not recorded: its dense Hessian is never called (only
        // its Jvp and JvpBackward are, by the method's own), so it is left out rather than guessed.
        if (directions.All(d => LayoutOf(d.Parameter) != Layout.Structs || spec.StructArrays.Any(p => p.Name == d.Parameter.Name)))
        {
            w.WriteLine();
            WriteHessian(w, spec, method, directions);
        }
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
        "<see cref=\"" + method.Name + "(" + string.Join(", ", method.Parameters.Select(TangentEmitter.Cref)) + ")\"/>";

    private static void WriteJvp(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp, TangentTransformer transformer)
    {
        w.WriteLine("/// <summary>");
        w.WriteLine("/// The directional derivative of " + SeeMethod(method) + " along the tangents (every floating parameter has one):");
        w.WriteLine("/// the forward-mode code second order differentiates again. Called by generated code.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.NeverBrowsable);
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        w.WriteLine(Signature(spec, method.ReturnType.ScalarKeyword, jvp.Name, jvp.Parameters.Select(p => p.Declaration)));
        w.OpenBrace();
        new TangentPrinter(jvp, transformer.HeapArrayTangents).WriteBody(w);
        w.CloseBrace();
    }

    private static void WriteJvpBackward(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp)
    {
        var (normalized, activity) = DerivativeLiveness.Analyze(ControlFlowNormalizer.Normalize(jvp));
        var recording = RecordingAnalysis.Run(normalized, activity);
        var keyword = method.ReturnType.ScalarKeyword;
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Gradient of " + jvp.Name + " with respect to the parameters and the tangents: the reverse mode of the forward mode of");
        w.WriteLine("/// " + SeeMethod(method) + ". Adds seed times each partial derivative to its adjoint. Called by generated code.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.NeverBrowsable);
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var transformer = new ReverseModeTransformer(normalized, activity, recording, normalized.Result);
        var parameters = jvp.Parameters.Select(p => p.Declaration)
            .Concat(jvp.Parameters.Where(p => p.IsDifferentiable).Select(p => (p.Type.IsMultiDimensional ? p.Type.CSharp : p.Type.IsCollection ? "global::System.Span<" + p.Type.ScalarKeyword + ">" : "ref " + p.Type.ScalarKeyword) + " " + transformer.SignatureAdjoint(p.Name)))
            .Concat(new[] { keyword + " " + transformer.Seed + " = " + (method.ReturnType.Scalar == ScalarKind.Float ? "1f" : "1.0") });
        w.WriteLine(Signature(spec, keyword, jvp.Name + "Backward", parameters));
        w.OpenBrace();
        transformer.WriteBody(w);
        w.CloseBrace();
    }

    /// <summary>A differentiable parameter of the public methods with the names of its direction and product.</summary>
    private sealed record Direction(ParamIR Parameter, string V, string Hv);

    /// <summary>How a parameter's direction and product are passed: the shape of its adjoint.</summary>
    private enum Layout
    {
        Scalar,

        /// <summary>A one-dimensional array or span of floating scalars: spans over its elements.</summary>
        Flat,

        /// <summary><c>T[,]</c> and <c>T[][]</c>: arrays of the parameter's own type, allocated by the caller.</summary>
        Grid,
        Jagged,

        /// <summary>An array or span of differentiable structs: spans of the struct.</summary>
        Structs,
    }

    private static Layout LayoutOf(ParamIR parameter) => parameter.Type.Shape switch
    {
        ShapeKind.Scalar => Layout.Scalar,
        ShapeKind.Array2D => Layout.Grid,
        ShapeKind.Jagged => Layout.Jagged,
        _ => parameter.Type.StructName.Length > 0 ? Layout.Structs : Layout.Flat,
    };

    private const string Grids = "global::StaticGrad.CompilerServices.FlatGrids";

    private static (string Direction, string Product) PublicTypes(ParamIR parameter, string keyword) => LayoutOf(parameter) switch
    {
        Layout.Scalar => (keyword, "ref " + keyword),
        Layout.Flat => ("global::System.ReadOnlySpan<" + keyword + ">", "global::System.Span<" + keyword + ">"),
        Layout.Structs => ("global::System.ReadOnlySpan<" + parameter.Type.StructName + ">", "global::System.Span<" + parameter.Type.StructName + ">"),
        _ => (parameter.Type.CSharp, parameter.Type.CSharp),
    };

    private static List<Direction> WriteHessianVector(IndentedWriter w, DifferentiableMethodSpec spec, MethodIR method, MethodIR jvp)
    {
        var keyword = method.ReturnType.ScalarKeyword;
        var taken = new NameScope(method.Parameters.Select(p => p.Name));
        string Fresh(string baseName) => taken.Fresh(baseName);

        var directions = method.Parameters.Where(p => p.IsDifferentiable).Select(p => new Direction(p, Fresh("v" + Capitalized(p.Name)), Fresh("hv" + Capitalized(p.Name)))).ToList();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// Hessian-vector product of " + SeeMethod(method) + ": adds H·v to " + (directions.Count == 0 ? "nothing (no parameter is differentiable)" : string.Join(", ", directions.Select(d => d.Hv))) + ",");
        w.WriteLine("/// where H is the matrix of second partial derivatives with respect to " + (directions.Count == 0 ? "no parameter" : string.Join(", ", directions.Select(d => d.Parameter.Name))) + " and v is (" + string.Join(", ", directions.Select(d => d.V)) + ").");
        if (directions.Any(d => LayoutOf(d.Parameter) is Layout.Grid or Layout.Jagged or Layout.Structs))
        {
            w.WriteLine("/// A direction and its product have the shape of their parameter (a grid's or a jagged array's own type, a span of the struct).");
        }

        w.WriteLine("/// Products accumulate (the caller zeroes them). Returns the directional derivative ⟨∇f, v⟩.");
        w.WriteLine("/// Computed reverse-over-forward: the reverse mode of the forward-mode code, ∇ₓ⟨∇f(x), v⟩ = H·v, at a small");
        w.WriteLine("/// constant times the cost of one evaluation (the order of forward-over-reverse), for the whole body language.");
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = method.Parameters.Select(p => p.Declaration)
            .Concat(directions.Select(d => PublicTypes(d.Parameter, keyword).Direction + " " + d.V))
            .Concat(directions.Select(d => PublicTypes(d.Parameter, keyword).Product + " " + d.Hv));
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

            // A zeroed value of the parameter's adjoint type: pooled for spans, allocated for grids (the caller's lengths).
            string Zeros(string baseName)
            {
                var name = Fresh(baseName);
                switch (LayoutOf(parameter))
                {
                    case Layout.Scalar:
                        w.WriteLine(element + " " + name + " = " + parameterZero + ";");
                        return "ref " + name;
                    case Layout.Grid or Layout.Jagged:
                        w.WriteLine("var " + name + " = " + Grids + ".ZerosLike(" + parameter.Name + ");");
                        return name;
                    case Layout.Structs:
                        w.WriteLine("var " + name + " = " + Pool + ".Rent<" + parameter.Type.StructName + ">(" + parameter.Name + ".Length);");
                        break;
                    default:
                        w.WriteLine("var " + name + " = " + Pool + ".Rent" + (isFloatParameter ? "Singles" : "Doubles") + "(" + parameter.Name + ".Length);");
                        break;
                }

                scratch.Add(name);
                return name;
            }

            if (direction is not null)
            {
                tangents.Add(direction.V);
                adjoints.Add((parameter.Type.IsCollection ? string.Empty : "ref ") + direction.Hv);
            }
            else
            {
                // A [NoGrad] parameter: no direction (zero tangent), and its adjoint is not wanted.
                tangents.Add(parameter.Type.IsCollection ? Zeros("_zeros") : parameterZero);
                adjoints.Add(Zeros("_scratch"));
            }

            tangentAdjoints.Add(Zeros("_scratch"));
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
        if (directions.Any(d => LayoutOf(d.Parameter) is Layout.Grid or Layout.Jagged or Layout.Structs))
        {
            w.WriteLine("/// parameter order; a two-dimensional array row by row, a jagged one row after row, an element of a struct array once per");
            w.WriteLine("/// floating member). Made of n Hessian-vector products with unit vectors: meant for small inputs.");
        }
        else
        {
            w.WriteLine("/// parameter order). Made of n Hessian-vector products with unit vectors: meant for small inputs.");
        }
        w.WriteLine("/// </summary>");
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        var parameters = method.Parameters.Select(p => p.Declaration).Concat(new[] { "global::System.Span<" + keyword + "> " + hessian });
        w.WriteLine(Signature(spec, "void", method.Name + "Hessian", parameters));
        w.OpenBrace();
        var size = Fresh("_n");
        w.WriteLine("var " + size + " = 0;");
        var offsets = new Dictionary<Direction, string>();
        var counts = new Dictionary<Direction, string>();
        foreach (var direction in directions)
        {
            var name = direction.Parameter.Name;
            var offset = Fresh("_o" + Capitalized(name));
            offsets[direction] = offset;
            switch (LayoutOf(direction.Parameter))
            {
                case Layout.Scalar:
                    counts[direction] = "1";
                    break;
                case Layout.Jagged:
                    counts[direction] = Fresh("_c" + Capitalized(name));
                    w.WriteLine("var " + counts[direction] + " = " + Grids + ".ElementCount(" + name + ");");
                    break;
                case Layout.Structs:
                    counts[direction] = name + ".Length * " + Members(spec, direction).Count.ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    counts[direction] = name + ".Length";
                    break;
            }

            w.WriteLine("var " + offset + " = " + size + ";");
            w.WriteLine(size + " += " + counts[direction] + ";");
        }

        w.WriteLine("if (" + hessian + ".Length < " + size + " * " + size + ")");
        w.OpenBrace();
        w.WriteLine("throw new global::System.ArgumentException(\"The Hessian needs \" + (" + size + " * " + size + ").ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" entries.\", nameof(" + hessian + "));");
        w.CloseBrace();
        w.WriteLine(hessian + ".Slice(0, " + size + " * " + size + ").Clear();");

        // Unit directions, and for grids and structs the products, live in buffers of the parameter's shape; the
        // products of grids and structs are moved into the Hessian's row after each call (zeroed for the next).
        var buffers = new Dictionary<Direction, string>();
        var products = new Dictionary<Direction, string>();
        var pooled = new List<string>();
        foreach (var direction in directions.Where(d => d.Parameter.Type.IsCollection))
        {
            var name = direction.Parameter.Name;
            var buffer = Fresh("_v" + Capitalized(name));
            buffers[direction] = buffer;
            switch (LayoutOf(direction.Parameter))
            {
                case Layout.Grid or Layout.Jagged:
                    products[direction] = Fresh("_hv" + Capitalized(name));
                    w.WriteLine("var " + buffer + " = " + Grids + ".ZerosLike(" + name + ");");
                    w.WriteLine("var " + products[direction] + " = " + Grids + ".ZerosLike(" + name + ");");
                    break;
                case Layout.Structs:
                    products[direction] = Fresh("_hv" + Capitalized(name));
                    w.WriteLine("var " + buffer + " = " + Pool + ".Rent<" + direction.Parameter.Type.StructName + ">(" + name + ".Length);");
                    w.WriteLine("var " + products[direction] + " = " + Pool + ".Rent<" + direction.Parameter.Type.StructName + ">(" + name + ".Length);");
                    pooled.Add(buffer);
                    pooled.Add(products[direction]);
                    break;
                default:
                    w.WriteLine("var " + buffer + " = " + Pool + ".Rent" + (isFloat ? "Singles" : "Doubles") + "(" + name + ".Length);");
                    pooled.Add(buffer);
                    break;
            }
        }

        var row = Fresh("_row");
        w.WriteLine("var " + row + " = 0;");
        string Argument(Direction d, Direction? unit) => LayoutOf(d.Parameter) switch
        {
            Layout.Scalar => d == unit ? one : zero,
            Layout.Flat => "new global::System.ReadOnlySpan<" + keyword + ">(" + buffers[d] + ", 0, " + d.Parameter.Name + ".Length)",
            Layout.Structs => "new global::System.ReadOnlySpan<" + d.Parameter.Type.StructName + ">(" + buffers[d] + ", 0, " + d.Parameter.Name + ".Length)",
            _ => buffers[d],
        };
        string Product(Direction d) => LayoutOf(d.Parameter) switch
        {
            Layout.Scalar => "ref " + hessian + "[" + row + " + " + offsets[d] + "]",
            Layout.Flat => hessian + ".Slice(" + row + " + " + offsets[d] + ", " + d.Parameter.Name + ".Length)",
            Layout.Structs => "new global::System.Span<" + d.Parameter.Type.StructName + ">(" + products[d] + ", 0, " + d.Parameter.Name + ".Length)",
            _ => products[d],
        };
        void Call(Direction? unit)
        {
            w.WriteLine(spec.Member(method.Name + "HessianVector") + "(" + string.Join(", ", method.Parameters.Select(p => p.Name)
                .Concat(directions.Select(d => Argument(d, unit)))
                .Concat(directions.Select(Product))) + ");");
            foreach (var d in directions.Where(products.ContainsKey))
            {
                if (LayoutOf(d.Parameter) != Layout.Structs)
                {
                    w.WriteLine(Grids + ".MoveTo(" + products[d] + ", " + hessian + ".Slice(" + row + " + " + offsets[d] + ", " + counts[d] + "));");
                    continue;
                }

                var element = Fresh("_k");
                var members = Members(spec, d);
                w.WriteLine("for (var " + element + " = 0; " + element + " < " + d.Parameter.Name + ".Length; " + element + "++)");
                w.OpenBrace();
                for (var m = 0; m < members.Count; m++)
                {
                    var cast = members[m].Type == keyword ? string.Empty : "(" + keyword + ")";
                    w.WriteLine(hessian + "[" + row + " + " + offsets[d] + " + " + element + " * " + members.Count.ToString(CultureInfo.InvariantCulture) + " + " + m.ToString(CultureInfo.InvariantCulture) + "] = " + cast + products[d] + "[" + element + "]" + members[m].Access + ";");
                }

                w.WriteLine(products[d] + "[" + element + "] = default;");
                w.CloseBrace();
            }
        }

        void Unit(string target, string value, string reset)
        {
            w.WriteLine(target + " = " + value + ";");
            Call(null);
            w.WriteLine(target + " = " + reset + ";");
            w.WriteLine(row + " += " + size + ";");
        }

        foreach (var direction in directions)
        {
            var name = direction.Parameter.Name;
            var buffer = buffers.TryGetValue(direction, out var b) ? b : string.Empty;
            var elementOne = direction.Parameter.Type.Scalar == ScalarKind.Float ? "1f" : "1.0";
            var elementZero = direction.Parameter.Type.Scalar == ScalarKind.Float ? "0f" : "0.0";
            var i = LayoutOf(direction.Parameter) is Layout.Scalar or Layout.Flat ? string.Empty : Fresh("_k");
            var j = LayoutOf(direction.Parameter) is Layout.Grid or Layout.Jagged ? Fresh("_k") : string.Empty;
            switch (LayoutOf(direction.Parameter))
            {
                case Layout.Scalar:
                    Call(direction);
                    w.WriteLine(row + " += " + size + ";");
                    break;
                case Layout.Flat:
                    var k = Fresh("_k");
                    w.WriteLine("for (var " + k + " = 0; " + k + " < " + name + ".Length; " + k + "++)");
                    w.OpenBrace();
                    Unit(buffer + "[" + k + "]", one, zero);
                    w.CloseBrace();
                    break;
                case Layout.Grid or Layout.Jagged:
                    var grid = LayoutOf(direction.Parameter) == Layout.Grid;
                    w.WriteLine("for (var " + i + " = 0; " + i + " < " + name + (grid ? ".GetLength(0)" : ".Length") + "; " + i + "++)");
                    w.OpenBrace();
                    w.WriteLine("for (var " + j + " = 0; " + j + " < " + name + (grid ? ".GetLength(1)" : "[" + i + "].Length") + "; " + j + "++)");
                    w.OpenBrace();
                    Unit(buffer + (grid ? "[" + i + ", " + j + "]" : "[" + i + "][" + j + "]"), elementOne, elementZero);
                    w.CloseBrace();
                    w.CloseBrace();
                    break;
                case Layout.Structs:
                    w.WriteLine("for (var " + i + " = 0; " + i + " < " + name + ".Length; " + i + "++)");
                    w.OpenBrace();
                    foreach (var member in Members(spec, direction))
                    {
                        Unit(buffer + "[" + i + "]" + member.Access, member.Type == "float" ? "1f" : "1.0", member.Type == "float" ? "0f" : "0.0");
                    }

                    w.CloseBrace();
                    break;
            }
        }

        foreach (var buffer in pooled)
        {
            w.WriteLine(Pool + ".Return(" + buffer + ");");
        }

        w.CloseBrace();
    }

    /// <summary>The floating members of a struct-array parameter's elements, in the dense Hessian's order.</summary>
    private static IReadOnlyList<BoundaryLeaf> Members(DifferentiableMethodSpec spec, Direction direction) =>
        spec.StructArrays.First(p => p.Name == direction.Parameter.Name).Leaves;
}
