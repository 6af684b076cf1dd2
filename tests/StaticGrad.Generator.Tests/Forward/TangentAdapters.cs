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

    /// <summary>The conversion class every adapter file of this kind declares: <c>F</c> (double[] → float[]) and <see cref="AdapterWriter.RowConversions"/>.</summary>
    internal const string Conversions = """
        internal static class __TConvert
        {
            public static float[] F(double[] a) { var r = new float[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = (float)a[i]; return r; }
            public static void Back(float[] a, double[] into) { for (var i = 0; i < a.Length; i++) into[i] = a[i]; }

        """ + AdapterWriter.RowConversions + "}\n";

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
        var assembly = LoadAgainst(batch, Write(methods), "TangentAdapters", "The Tangent adapters do not compile against the batch");
        return Runners(assembly, methods);
    }

    /// <summary>
    /// Adapter source compiled against the image of <paramref name="batch"/> and loaded beside it (also the Hessian
    /// adapters of the random programs, <see cref="RandomPrograms.HessianAdapters"/>).
    /// </summary>
    public static Assembly LoadAgainst(CompiledBatch batch, string source, string name, string failure)
    {
        var (batchAssembly, image) = batch.Output ?? throw new Xunit.Sdk.XunitException("The batch compiled nothing.");
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: name + ".cs") },
            TestReferences.All.Append(MetadataReference.CreateFromImage(image)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return LoadAssembly(compilation, batchAssembly, failure);
    }

    private static Dictionary<string, Func<double[][], double[][], double[]>> Load(Compilation compilation, IReadOnlyList<MethodUnderTest> methods, Assembly? batchAssembly, string failure) =>
        Runners(LoadAssembly(compilation, batchAssembly, failure), methods);

    private static Assembly LoadAssembly(Compilation compilation, Assembly? batchAssembly, string failure)
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
        return context.LoadFromStream(stream);
    }

    private static Dictionary<string, Func<double[][], double[][], double[]>> Runners(Assembly assembly, IReadOnlyList<MethodUnderTest> methods)
    {
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
        w.Append(Conversions);
        for (var index = 0; index < methods.Count; index++)
        {
            var m = methods[index];
            var target = m.IsStatic ? m.FullTypeName : "new " + m.FullTypeName + "()";
            var arguments = m.Parameters.Select((p, i) => AdapterWriter.Argument(p, "p[" + i + "]", "__TConvert")).ToList();
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

    /// <summary>A tangent (or a Hessian direction, which has the same types) from flat values, converted by <c>__TConvert</c>.</summary>
    internal static string Tangent(ParameterShape p, string value) => p.Kind switch
    {
        ParameterKind.Double => value + "[0]",
        ParameterKind.Float => "(float)" + value + "[0]",
        ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.DoubleReadOnlySpan => "new global::System.ReadOnlySpan<double>(" + value + ")",
        ParameterKind.DoubleMatrix or ParameterKind.FloatMatrix or ParameterKind.DoubleJagged => AdapterWriter.Rows("__TConvert", p, value),
        _ => "new global::System.ReadOnlySpan<float>(__TConvert.F(" + value + "))",
    };
}
