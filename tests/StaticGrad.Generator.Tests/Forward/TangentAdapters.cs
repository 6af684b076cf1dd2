using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// Compiles methods under test with the generator and, for each, an adapter <c>__Tangent{i}.Run(p, t)</c> that calls
/// its generated <c>{Name}Tangent</c> through the array shape of the correctness harness (the adapter spells the
/// contract's signature, so a wrong one is a compile error) and returns { value, tangent }.
/// </summary>
public static class TangentAdapters
{
    private const string Namespace = "StaticGradTangentAdapters";

    /// <summary>The compiled Tangent runners by method key, or the compile errors.</summary>
    public static Dictionary<string, Func<double[][], double[][], double[]>> Compile(IReadOnlyList<string> sources, IReadOnlyList<MethodUnderTest> methods)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources.ToArray());
        GeneratorHarness.CreateDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var adapters = CSharpSyntaxTree.ParseText(Write(methods), GeneratorHarness.ParseOptions, path: "TangentAdapters.cs");
        return Load(output.AddSyntaxTrees(adapters), methods, null, "The generated Tangent methods do not compile (generator diagnostics: " + string.Join("; ", diagnostics) + ")");
    }

    /// <summary>
    /// The Tangent runners of methods already compiled in <paramref name="batch"/> (its assembly holds the generated
    /// Tangent methods too): only the adapters are compiled, against the batch's image, which is much faster than
    /// compiling everything again. The methods' types must be public.
    /// </summary>
    public static Dictionary<string, Func<double[][], double[][], double[]>> CompileAgainst(CompiledBatch batch, IReadOnlyList<MethodUnderTest> methods)
    {
        var (batchAssembly, image) = batch.Output ?? throw new Xunit.Sdk.XunitException("The batch compiled nothing.");
        var compilation = CSharpCompilation.Create(
            "TangentAdapters" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(Write(methods), GeneratorHarness.ParseOptions, path: "TangentAdapters.cs") },
            TestReferences.All.Append(MetadataReference.CreateFromImage(image)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return Load(compilation, methods, batchAssembly, "The Tangent adapters do not compile against the batch");
    }

    private static Dictionary<string, Func<double[][], double[][], double[]>> Load(Compilation compilation, IReadOnlyList<MethodUnderTest> methods, Assembly? batchAssembly, string failure)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new Xunit.Sdk.XunitException(failure + ":\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext("Tangents" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (_, name) =>
            name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly
            : batchAssembly is not null && name.Name == batchAssembly.GetName().Name ? batchAssembly
            : null;
        var assembly = context.LoadFromStream(stream);
        var result = new Dictionary<string, Func<double[][], double[][], double[]>>(StringComparer.Ordinal);
        for (var i = 0; i < methods.Count; i++)
        {
            result[methods[i].Key] = assembly.GetType(Namespace + ".__Tangent" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))!
                .GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!
                .CreateDelegate<Func<double[][], double[][], double[]>>();
        }

        return result;
    }

    private static string Write(IReadOnlyList<MethodUnderTest> methods)
    {
        var w = new StringBuilder();
        w.AppendLine("#nullable disable");
        w.AppendLine("namespace " + Namespace + ";");
        w.AppendLine("internal static class __TConvert");
        w.AppendLine("{");
        w.AppendLine("    public static float[] F(double[] a) { var r = new float[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = (float)a[i]; return r; }");
        w.Append(AdapterWriter.RowConversions);
        w.AppendLine("}");
        for (var index = 0; index < methods.Count; index++)
        {
            var m = methods[index];
            var target = m.IsStatic ? m.FullTypeName : "new " + m.FullTypeName + "()";
            var arguments = m.Parameters.Select((p, i) => Argument(p, "p[" + i + "]")).ToList();
            var tangents = m.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiable).Select(x => Tangent(x.p, "t[" + x.i + "]"));
            w.AppendLine("public static class __Tangent" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.AppendLine("{");
            w.AppendLine("    public static double[] Run(double[][] p, double[][] t)");
            w.AppendLine("    {");
            w.AppendLine("        var r = " + target + "." + m.Name + "Tangent(" + string.Join(", ", arguments.Concat(tangents)) + ");");
            w.AppendLine("        return new double[] { r.Value, r.Tangent };");
            w.AppendLine("    }");
            w.AppendLine("}");
        }

        return w.ToString();
    }

    private static string Tangent(ParameterShape p, string value) => p.Kind switch
    {
        ParameterKind.Double => value + "[0]",
        ParameterKind.Float => "(float)" + value + "[0]",
        ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.DoubleReadOnlySpan => "new global::System.ReadOnlySpan<double>(" + value + ")",
        ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged => AdapterWriter.Rows("__TConvert", p, value),
        _ => "new global::System.ReadOnlySpan<float>(__TConvert.F(" + value + "))",
    };

    private static string Argument(ParameterShape p, string value) => p.Kind switch
    {
        ParameterKind.Double => value + "[0]",
        ParameterKind.Float => "(float)" + value + "[0]",
        ParameterKind.Int => "(int)" + value + "[0]",
        ParameterKind.Bool => value + "[0] != 0",
        ParameterKind.DoubleArray => value,
        ParameterKind.DoubleSpan => "new global::System.Span<double>(" + value + ")",
        ParameterKind.DoubleReadOnlySpan => "new global::System.ReadOnlySpan<double>(" + value + ")",
        ParameterKind.FloatArray => "__TConvert.F(" + value + ")",
        ParameterKind.FloatSpan => "new global::System.Span<float>(__TConvert.F(" + value + "))",
        ParameterKind.FloatReadOnlySpan => "new global::System.ReadOnlySpan<float>(__TConvert.F(" + value + "))",
        ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged => AdapterWriter.Rows("__TConvert", p, value),
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };
}
