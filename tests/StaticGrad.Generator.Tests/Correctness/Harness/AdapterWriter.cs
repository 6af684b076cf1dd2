using System.Text;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>
/// Writes, for each method under test, a class <c>__Adapter{i}</c> that calls the original method, its generated
/// backward (with exactly the contract's signature: a wrong signature is a compile error in the adapter) and its
/// finite-difference reference through one array-based shape, so tests can call any signature, spans included,
/// without reflection on by-ref-like types.
/// </summary>
public static class AdapterWriter
{
    public const string Namespace = "StaticGradTestAdapters";

    /// <summary>
    /// Members of the adapters' conversion class for <c>T[,]</c> and <c>T[][]</c> parameters: the harness's flat
    /// values (row after row) to the parameter's type with <c>c</c> columns, and adjoints back.
    /// </summary>
    public const string RowConversions = """
            public static double[,] M(double[] a, int c) { var r = new double[a.Length / c, c]; for (var i = 0; i < a.Length; i++) r[i / c, i % c] = a[i]; return r; }
            public static float[,] MF(double[] a, int c) { var r = new float[a.Length / c, c]; for (var i = 0; i < a.Length; i++) r[i / c, i % c] = (float)a[i]; return r; }
            public static double[][] J(double[] a, int c) { var r = new double[a.Length / c][]; for (var i = 0; i < r.Length; i++) r[i] = a[(i * c)..((i + 1) * c)]; return r; }
            public static void Back(double[,] m, double[] into) { var c = m.GetLength(1); for (var i = 0; i < into.Length; i++) into[i] = m[i / c, i % c]; }
            public static void Back(float[,] m, double[] into) { var c = m.GetLength(1); for (var i = 0; i < into.Length; i++) into[i] = m[i / c, i % c]; }
            public static void Back(double[][] m, double[] into) { var k = 0; foreach (var row in m) { foreach (var v in row) { into[k++] = v; } } }

        """;

    public static string ClassName(int index) => "__Adapter" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Write(IEnumerable<(int Index, MethodUnderTest Method)> methods, bool includeBackward = true)
    {
        var w = new StringBuilder();
        w.AppendLine("#nullable disable");
        w.AppendLine("namespace " + Namespace + ";");
        w.AppendLine("internal static class __Convert");
        w.AppendLine("{");
        w.AppendLine("    public static float[] F(double[] a) { var r = new float[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = (float)a[i]; return r; }");
        w.AppendLine("    public static void Back(float[] a, double[] into) { for (var i = 0; i < a.Length; i++) into[i] = a[i]; }");
        w.Append(RowConversions);
        w.AppendLine("}");
        foreach (var (index, method) in methods)
        {
            WriteAdapter(w, index, method, includeBackward);
        }

        return w.ToString();
    }

    private static void WriteAdapter(StringBuilder w, int index, MethodUnderTest m, bool includeBackward)
    {
        var target = m.IsStatic ? m.FullTypeName : "new " + m.FullTypeName + "()";
        var args = m.Parameters.Select((p, i) => Argument(p, "p[" + i + "]")).ToArray();
        w.AppendLine("public static class " + ClassName(index));
        w.AppendLine("{");

        // The original method may write its parameter arrays (the generated methods must not): it gets copies, so that
        // finite differences around a point see that point.
        var copies = m.Parameters.Select((p, i) => Argument(p, "((double[])p[" + i + "].Clone())")).ToArray();
        w.AppendLine("    public static double Primal(double[][] p) => " + target + "." + m.Name + "(" + string.Join(", ", copies) + ");");

        if (includeBackward)
        {
            WriteBackward(w, m, target, args);
        }

        if (m.HasFdReference)
        {
            var baseCopies = m.Parameters.Select((p, i) => Argument(p, "((double[])p0[" + i + "].Clone())"));
            w.AppendLine("    public static double FdReference(double[][] p, double[][] p0) => " + target + "." + m.Name + "_FdReference(" + string.Join(", ", copies.Concat(baseCopies)) + ");");
        }

        w.AppendLine("}");
    }

    private static void WriteBackward(StringBuilder w, MethodUnderTest m, string target, string[] args)
    {
        w.AppendLine("    public static double Backward(double[][] p, double[][] d, double seed)");
        w.AppendLine("    {");
        var adjoints = new List<string>();
        var after = new List<string>();
        for (var i = 0; i < m.Parameters.Count; i++)
        {
            var p = m.Parameters[i];
            if (!p.IsDifferentiable)
            {
                continue;
            }

            var local = "a" + i;
            switch (p.Kind)
            {
                case ParameterKind.Double:
                    w.AppendLine($"        double {local} = d[{i}][0];");
                    adjoints.Add("ref " + local);
                    after.Add($"d[{i}][0] = {local};");
                    break;
                case ParameterKind.Float:
                    w.AppendLine($"        float {local} = (float)d[{i}][0];");
                    adjoints.Add("ref " + local);
                    after.Add($"d[{i}][0] = {local};");
                    break;
                case ParameterKind.FloatArray or ParameterKind.FloatSpan or ParameterKind.FloatReadOnlySpan:
                    w.AppendLine($"        float[] {local} = __Convert.F(d[{i}]);");
                    adjoints.Add($"new global::System.Span<float>({local})");
                    after.Add($"__Convert.Back({local}, d[{i}]);");
                    break;
                case ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged:
                    w.AppendLine($"        var {local} = {Argument(p, $"d[{i}]")};");
                    adjoints.Add(local);
                    after.Add($"__Convert.Back({local}, d[{i}]);");
                    break;
                default:
                    adjoints.Add($"new global::System.Span<double>(d[{i}])");
                    break;
            }
        }

        var seed = m.ReturnsFloat ? "(float)seed" : "seed";
        w.AppendLine("        double result = " + target + "." + m.Name + "Backward(" + string.Join(", ", args.Concat(adjoints).Append(seed)) + ");");
        foreach (var line in after)
        {
            w.AppendLine("        " + line);
        }

        w.AppendLine("        return result;");
        w.AppendLine("    }");
    }

    /// <summary>The argument for <paramref name="p"/> from its flat values, converted by the class <paramref name="convert"/> (which holds <c>F</c> and <see cref="RowConversions"/>).</summary>
    public static string Argument(ParameterShape p, string value, string convert = "__Convert") => p.Kind switch
    {
        ParameterKind.Double => value + "[0]",
        ParameterKind.Float => "(float)" + value + "[0]",
        ParameterKind.Int => "(int)" + value + "[0]",
        ParameterKind.Bool => value + "[0] != 0",
        ParameterKind.DoubleArray => value,
        ParameterKind.DoubleSpan => "new global::System.Span<double>(" + value + ")",
        ParameterKind.DoubleReadOnlySpan => "new global::System.ReadOnlySpan<double>(" + value + ")",
        ParameterKind.FloatArray => convert + ".F(" + value + ")",
        ParameterKind.FloatSpan => "new global::System.Span<float>(" + convert + ".F(" + value + "))",
        ParameterKind.FloatReadOnlySpan => "new global::System.ReadOnlySpan<float>(" + convert + ".F(" + value + "))",
        ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged => Rows(convert, p, value),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>A <c>T[,]</c> or <c>T[][]</c> argument built from flat values by the conversion class <paramref name="convert"/>.</summary>
    public static string Rows(string convert, ParameterShape p, string value) =>
        convert + (p.Kind switch { ParameterKind.DoubleMatrix => ".M(", ParameterKind.FloatMatrix => ".MF(", _ => ".J(" }) + value + ", "
        + p.Columns.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
}
