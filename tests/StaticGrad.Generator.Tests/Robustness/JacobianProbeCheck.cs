using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// A Jacobian probe of the adversarial classes (<c>Value</c>: the result's floating fields; <c>Rows</c>: the Jacobian's
/// value, then its rows field-major) against central differences of the method's own result, at four points drawn from
/// the case's name (every other one with its first input negated, for the branches' other side): double h = 1e-6,
/// |J − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2, 2e-2·max(1, |fd|); the value to 1e-9 (float 1e-5) relative.
/// </summary>
internal static class JacobianProbeCheck
{
    /// <summary>The problems found (empty when every entry matches).</summary>
    public static List<string> Problems(string name, int seed, Func<double[], double[]> value, Func<double[], double[]> rows, int inputs, int fields, bool isFloat)
    {
        var random = new Random(name.Aggregate(seed, (h, c) => unchecked((h * 31) + c)));
        var h = isFloat ? 1e-2 : 1e-6;
        var tolerance = isFloat ? 2e-2 : 1e-6;
        var problems = new List<string>();
        for (var trial = 0; trial < 4; trial++)
        {
            var point = Enumerable.Range(0, inputs).Select(_ => 0.3 + random.NextDouble()).ToArray();
            if (trial % 2 == 1)
            {
                point[0] = -point[0];
            }

            var expected = value(point);
            var actual = rows(point);
            if (actual.Length != fields + (fields * inputs))
            {
                problems.Add($"{actual.Length} entries, expected {fields + (fields * inputs)}");
                return problems;
            }

            for (var f = 0; f < fields; f++)
            {
                if (Math.Abs(actual[f] - expected[f]) > (isFloat ? 1e-5 : 1e-9) * Math.Max(1, Math.Abs(expected[f])))
                {
                    problems.Add($"value field {f}: Jacobian returned {actual[f]:R}, the method {expected[f]:R}");
                }
            }

            for (var i = 0; i < inputs; i++)
            {
                var plus = (double[])point.Clone();
                var minus = (double[])point.Clone();
                plus[i] += h;
                minus[i] -= h;
                var up = value(plus);
                var down = value(minus);
                for (var f = 0; f < fields; f++)
                {
                    var fd = (up[f] - down[f]) / (2 * h);
                    var j = actual[fields + (f * inputs) + i];
                    if (!(Math.Abs(j - fd) <= tolerance * Math.Max(1, Math.Abs(fd))))
                    {
                        problems.Add($"∂field{f}/∂input{i} at [{string.Join(", ", point)}]: Jacobian {j:R}, central differences {fd:R}");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>The problems of case <paramref name="name"/> of <paramref name="type"/>, through its probes <c>{name}Value</c> and <c>{name}Rows</c>.</summary>
    public static List<string> Problems(Type type, string name, int seed, int inputs, int fields, bool isFloat) =>
        Problems(name, seed, type.GetMethod(name + "Value")!.CreateDelegate<Func<double[], double[]>>(), type.GetMethod(name + "Rows")!.CreateDelegate<Func<double[], double[]>>(), inputs, fields, isFloat);

    /// <summary>
    /// The probes <c>{name}Value</c> and <c>{name}Rows</c> of cases <c>T name(T x, T[] a)</c> with three elements in
    /// <c>a</c> (inputs x then a[0..2]; T float when <paramref name="isFloat"/>), for <see cref="Problems(Type, string, int, int, int, bool)"/>.
    /// </summary>
    public static string ScalarArrayProbes(IEnumerable<string> names, bool isFloat) => string.Concat(names.Select(name => isFloat
        ? $$"""
                public static double[] {{name}}Value(double[] p) => new double[] { {{name}}((float)p[0], new[] { (float)p[1], (float)p[2], (float)p[3] }) };

                public static double[] {{name}}Rows(double[] p)
                {
                    var g = new float[4];
                    var v = {{name}}Backward((float)p[0], new[] { (float)p[1], (float)p[2], (float)p[3] }, ref g[0], g.AsSpan(1));
                    return new double[] { v }.Concat(g.Select(e => (double)e)).ToArray();
                }

        """
        : $$"""
                public static double[] {{name}}Value(double[] p) => new[] { {{name}}(p[0], new[] { p[1], p[2], p[3] }) };

                public static double[] {{name}}Rows(double[] p)
                {
                    var g = new double[4];
                    var v = {{name}}Backward(p[0], new[] { p[1], p[2], p[3] }, ref g[0], g.AsSpan(1));
                    return new[] { v }.Concat(g).ToArray();
                }

        """));

    /// <summary>
    /// The probes <c>{name}Value</c> and <c>{name}Rows</c> (members of the case's class) of a case of two scalar inputs of
    /// <paramref name="type"/> and a scalar result, through its <c>{name}Backward(x, y, ref dx, ref dy)</c>.
    /// </summary>
    public static string TwoInputProbes(string name, string type) => $$"""

                public static double[] {{name}}Value(double[] p) => new double[] { {{name}}(({{type}})p[0], ({{type}})p[1]) };

                public static double[] {{name}}Rows(double[] p)
                {
                    var g = new {{type}}[2];
                    var v = {{name}}Backward(({{type}})p[0], ({{type}})p[1], ref g[0], ref g[1]);
                    return new double[] { v, g[0], g[1] };
                }

        """;

    /// <summary>One generator run over an adversarial class's source (its cases in one compilation), checked clean and loaded, with the generated sources by hint name.</summary>
    public static (Assembly Assembly, Dictionary<string, string> Sources) Compile(string source)
    {
        var output = GeneratorHarness.Run(source);
        GeneratorHarness.AssertClean(output);
        return (GeneratorHarness.Load(output.OutputCompilation), output.Sources.ToDictionary(s => s.HintName, s => s.Source));
    }
}

/// <summary>
/// Compiles the adversarial classes' probe trees against a compiled batch's image and loads them: a tree that does not
/// compile is dropped and its errors recorded under its case name, so one broken probe fails only its own test.
/// </summary>
internal static class ProbeCompilation
{
    public static (Assembly? Assembly, Dictionary<string, string> Failures) Load(CompiledBatch batch, Dictionary<SyntaxTree, string> trees, string name, out AssemblyLoadContext? context)
    {
        context = null;
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"),
            trees.Keys,
            TestReferences.All.Append(MetadataReference.CreateFromImage(batch.Output!.Value.Image)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        for (var round = 0; round < 40; round++)
        {
            using var stream = new MemoryStream();
            var emit = compilation.Emit(stream);
            if (emit.Success)
            {
                stream.Position = 0;
                var batchAssembly = batch.Output.Value.Assembly;
                var loaded = new AssemblyLoadContext(name, isCollectible: true);
                context = loaded;
                loaded.Resolving += (_, assembly) => assembly.Name == batchAssembly.GetName().Name ? batchAssembly
                    : assembly.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly : null;
                return (loaded.LoadFromStream(stream), failures);
            }

            foreach (var group in emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).GroupBy(d => d.Location.SourceTree!))
            {
                failures[trees[group.Key]] = string.Join("\n", group);
                compilation = compilation.RemoveSyntaxTrees(group.Key);
            }
        }

        return (null, failures);
    }
}
