using System.Globalization;
using System.Reflection;
using System.Text;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>A method's generated Hessian methods through the harness's flat shape (one double[] per parameter).</summary>
/// <param name="Vector">
/// <c>(p, v, hv)</c>: calls <c>{Name}HessianVector</c> at <c>p</c> along <c>v</c>, adds H·v to <c>hv</c> and returns ⟨∇f, v⟩.
/// </param>
/// <param name="Dense"><c>(p, h)</c>: calls <c>{Name}Hessian</c> and writes the n·n entries to <c>h</c>, row by row.</param>
public sealed record HessianRunner(Func<double[][], double[][], double[][], double> Vector, Action<double[][], double[]> Dense);

/// <summary>
/// Adapters <c>__Hessian{i}</c> for the generated <c>{Name}HessianVector</c> and <c>{Name}Hessian</c> of methods compiled
/// in a batch, compiled against its image (as <see cref="TangentAdapters.CompileAgainst"/> does for Tangents). An
/// adapter spells the contract's signature (docs/configuration.md): a scalar parameter's direction is a scalar of the
/// result's precision and its product a <c>ref</c>, an array's or span's are spans, a grid's and a jagged array's
/// have the parameter's own type; so a generated signature that breaks it is a compile error here.
/// </summary>
public static class HessianAdapters
{
    private const string Namespace = "StaticGradHessianAdapters";

    public static Dictionary<string, HessianRunner> CompileAgainst(CompiledBatch batch, IReadOnlyList<MethodUnderTest> methods)
    {
        var assembly = TangentAdapters.LoadAgainst(batch, Write(methods), "HessianAdapters", "The Hessian adapters do not compile against the batch");
        var result = new Dictionary<string, HessianRunner>(StringComparer.Ordinal);
        for (var i = 0; i < methods.Count; i++)
        {
            var type = assembly.GetType(Namespace + ".__Hessian" + i.ToString(CultureInfo.InvariantCulture))!;
            result[methods[i].Key] = new HessianRunner(
                type.GetMethod("Vector", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Func<double[][], double[][], double[][], double>>(),
                type.GetMethod("Dense", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Action<double[][], double[]>>());
        }

        return result;
    }

    private static string Write(IReadOnlyList<MethodUnderTest> methods)
    {
        var w = new StringBuilder();
        w.AppendLine("#nullable disable");
        w.AppendLine("namespace " + Namespace + ";");
        w.Append(TangentAdapters.Conversions);
        for (var index = 0; index < methods.Count; index++)
        {
            var m = methods[index];
            var keyword = m.ReturnsFloat ? "float" : "double";
            var target = m.IsStatic ? m.FullTypeName : "new " + m.FullTypeName + "()";
            var arguments = m.Parameters.Select((p, i) => AdapterWriter.Argument(p, "p[" + i + "]", "__TConvert")).ToList();
            var differentiable = m.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiable).ToList();
            var directions = differentiable.Select(x => TangentAdapters.Tangent(x.p, "v[" + x.i + "]"));
            var products = new List<string>();
            var before = new List<string>();
            var after = new List<string>();
            foreach (var (p, i) in differentiable)
            {
                var local = "h" + i.ToString(CultureInfo.InvariantCulture);
                switch (p.Kind)
                {
                    case ParameterKind.Double or ParameterKind.Float:
                        before.Add(keyword + " " + local + " = 0;");
                        products.Add("ref " + local);
                        after.Add($"hv[{i}][0] = {local};");
                        break;
                    case ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged:
                        before.Add($"var {local} = {AdapterWriter.Rows("__TConvert", p, $"new double[hv[{i}].Length]")};");
                        products.Add(local);
                        after.Add($"__TConvert.Back({local}, hv[{i}]);");
                        break;
                    case ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.DoubleReadOnlySpan when keyword == "double":
                        products.Add($"new global::System.Span<double>(hv[{i}])");
                        break;
                    default:
                        before.Add($"var {local} = new {keyword}[hv[{i}].Length];");
                        products.Add($"new global::System.Span<{keyword}>({local})");
                        after.Add($"__TConvert.Back({local}, hv[{i}]);");
                        break;
                }
            }

            w.AppendLine("public static class __Hessian" + index.ToString(CultureInfo.InvariantCulture));
            w.AppendLine("{");
            w.AppendLine("    public static double Vector(double[][] p, double[][] v, double[][] hv)");
            w.AppendLine("    {");
            before.ForEach(line => w.AppendLine("        " + line));
            w.AppendLine("        double r = " + target + "." + m.Name + "HessianVector(" + string.Join(", ", arguments.Concat(directions).Concat(products)) + ");");
            after.ForEach(line => w.AppendLine("        " + line));
            w.AppendLine("        return r;");
            w.AppendLine("    }");
            w.AppendLine("    public static void Dense(double[][] p, double[] h)");
            w.AppendLine("    {");
            w.AppendLine("        var e = new " + keyword + "[h.Length];");
            w.AppendLine("        " + target + "." + m.Name + "Hessian(" + string.Join(", ", arguments.Append("e")) + ");");
            w.AppendLine("        for (var k = 0; k < h.Length; k++) h[k] = e[k];");
            w.AppendLine("    }");
            w.AppendLine("}");
        }

        return w.ToString();
    }
}
