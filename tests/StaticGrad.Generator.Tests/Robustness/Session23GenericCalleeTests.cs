using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Generic [Differentiable] callees are printed with their type arguments in the generated code: C# cannot infer
/// <c>T</c> from arrays passed to <c>ReadOnlySpan&lt;T&gt;</c> parameters, so gen23 printed <c>Cosine(a, b)</c> for the
/// user's <c>Cosine&lt;T&gt;(a, b)</c> and the generated file did not compile (CS0411). Cases: span-only helpers called
/// with arrays (explicit <c>&lt;T&gt;</c>, <c>&lt;double&gt;</c>, <c>&lt;float&gt;</c>) and with spans (inferred),
/// from generic and from non-generic methods, nested helpers, a callee in another class, a caller whose type parameter
/// is not named <c>T</c>, hostile names (<c>dx</c>, <c>seed</c>, <c>_result</c>, <c>_tape</c>, <c>_t0</c>,
/// <c>_col</c>), every output on (Tangent, Hessian). The generated code compiles with no diagnostic at C# 11 and latest,
/// warning level 9999, warnings as errors. At five points (elements in 0.2..1, four per array): at double the
/// Backward's value is the primal's bit for bit, its gradient matches central differences (step 1e-6, tolerance
/// 1e-6·max(1, |fd|)) and the Tangent along a random direction is the gradient's dot product with it (1e-9·max(1, |g·v|));
/// at float (the point rounded to float) the gradient is within 2e-3·max(1, |fd|) + 1e-4·max(1, |f|) of the double
/// method's central differences there. Arrays of different lengths make the primal throw IndexOutOfRangeException in
/// the helper's loop: the Backward throws it too. A generic local function stays refused with one located error.
/// </summary>
public sealed class Session23GenericCalleeTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session23GenericCallee;

        public static partial class Shapes
        {
            [Differentiable(Hessian = true)]
            public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : IFloatingPointIeee754<T>
            {
                T s = T.Zero;
                for (int i = 0; i < a.Length; i++)
                {
                    s += a[i] * b[i];
                }

                return s;
            }
        }

        public static partial class G
        {
            [Differentiable(Hessian = true)]
            private static T Cosine<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : IFloatingPointIeee754<T>
            {
                T dot = T.Zero, aa = T.Zero, bb = T.Zero;
                for (int i = 0; i < a.Length; i++)
                {
                    dot += a[i] * b[i];
                    aa += a[i] * a[i];
                    bb += b[i] * b[i];
                }

                return dot / T.Sqrt(aa * bb);
            }

            // Spans passed on: T inferred in the user's code, printed in the generated code.
            [Differentiable(Hessian = true)]
            private static T Norm<T>(ReadOnlySpan<T> a) where T : IFloatingPointIeee754<T> => T.Sqrt(Shapes.Dot(a, a));

            [Differentiable(Hessian = true)]
            private static T Projection<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : IFloatingPointIeee754<T> => Shapes.Dot(a, b) / Norm(b);

            [Differentiable(Hessian = true)]
            public static T CosineOfArrays<T>(T[] a, T[] b) where T : IFloatingPointIeee754<T> => Cosine<T>(a, b);

            [Differentiable(Hessian = true)]
            public static T Nested<T>(T[] a, T[] b) where T : IFloatingPointIeee754<T> => Projection<T>(a, b) + T.CreateChecked(0.5) * Norm<T>(a);

            [Differentiable(Hessian = true)]
            public static TScalar OtherClass<TScalar>(TScalar[] a, TScalar[] b) where TScalar : IFloatingPointIeee754<TScalar> =>
                Shapes.Dot<TScalar>(a, b) * Shapes.Dot<TScalar>(b, b);

            [Differentiable(Hessian = true)]
            public static double CosineDouble(double[] a, double[] b) => Cosine<double>(a, b) + Norm<double>(a) * Shapes.Dot<double>(a, b);

            [Differentiable(Hessian = true)]
            public static float CosineFloat(float[] a, float[] b) => Cosine<float>(a, b) + Norm<float>(a) * Shapes.Dot<float>(a, b);

            [Differentiable(Hessian = true)]
            public static T Hostile<T>(T[] dx, T[] seed) where T : IFloatingPointIeee754<T>
            {
                T _tape = Cosine<T>(dx, seed);
                T _t0 = Shapes.Dot<T>(seed, dx);
                T _result = Norm<T>(seed);
                T _col = _tape * _t0 + _result * _result;
                return _col;
            }

            public static T CosineOfArraysOverArrays<T>(T[] a, T[] b, T[] d_a, T[] d_b, T wrapperSeed) where T : IFloatingPointIeee754<T> => CosineOfArraysBackward(a, b, d_a, d_b, wrapperSeed);
            public static T NestedOverArrays<T>(T[] a, T[] b, T[] d_a, T[] d_b, T wrapperSeed) where T : IFloatingPointIeee754<T> => NestedBackward(a, b, d_a, d_b, wrapperSeed);
            public static T OtherClassOverArrays<T>(T[] a, T[] b, T[] d_a, T[] d_b, T wrapperSeed) where T : IFloatingPointIeee754<T> => OtherClassBackward(a, b, d_a, d_b, wrapperSeed);
            public static T HostileOverArrays<T>(T[] a, T[] b, T[] d_a, T[] d_b, T wrapperSeed) where T : IFloatingPointIeee754<T> => HostileBackward(a, b, d_a, d_b, wrapperSeed);
            public static double CosineDoubleOverArrays(double[] a, double[] b, double[] d_a, double[] d_b, double wrapperSeed) => CosineDoubleBackward(a, b, d_a, d_b, wrapperSeed);
            public static float CosineFloatOverArrays(float[] a, float[] b, float[] d_a, float[] d_b, float wrapperSeed) => CosineFloatBackward(a, b, d_a, d_b, wrapperSeed);

            public static T CosineOfArraysTangentOverArrays<T>(T[] a, T[] b, T[] t_a, T[] t_b) where T : IFloatingPointIeee754<T> => CosineOfArraysTangent(a, b, t_a, t_b).Tangent;
            public static T NestedTangentOverArrays<T>(T[] a, T[] b, T[] t_a, T[] t_b) where T : IFloatingPointIeee754<T> => NestedTangent(a, b, t_a, t_b).Tangent;
            public static T OtherClassTangentOverArrays<T>(T[] a, T[] b, T[] t_a, T[] t_b) where T : IFloatingPointIeee754<T> => OtherClassTangent(a, b, t_a, t_b).Tangent;
            public static T HostileTangentOverArrays<T>(T[] a, T[] b, T[] t_a, T[] t_b) where T : IFloatingPointIeee754<T> => HostileTangent(a, b, t_a, t_b).Tangent;
            public static double CosineDoubleTangentOverArrays(double[] a, double[] b, double[] t_a, double[] t_b) => CosineDoubleTangent(a, b, t_a, t_b).Tangent;
            public static float CosineFloatTangentOverArrays(float[] a, float[] b, float[] t_a, float[] t_b) => CosineFloatTangent(a, b, t_a, t_b).Tangent;
        }
        """;

    private const string RefusedSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session23GenericCalleeRefused;

        public static partial class R
        {
            [Differentiable]
            public static double RefusedGenericLocal(double[] a)
            {
                return Square<double>(a[0]) + a[1];

                static U Square<U>(U v) where U : INumber<U> => v * v;
            }
        }
        """;

    private const double Seed = 0.75;

    private static readonly Lazy<(GeneratorOutput Output, Type Type)> s_batch = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Session23GenericCallee.G")!);
    });

    public static TheoryData<string> Generic() => new() { "CosineOfArrays", "Nested", "OtherClass", "Hostile" };

    [Fact]
    public void Generic_callees_are_printed_with_their_type_arguments()
    {
        var output = s_batch.Value.Output;
        var generic = output.Source("Session23GenericCallee.G.CosineOfArrays.g.cs");
        Assert.Contains("CosineBackward<T>(", generic, StringComparison.Ordinal);
        var other = output.Source("Session23GenericCallee.G.OtherClass.g.cs");
        Assert.Contains("global::Session23GenericCallee.Shapes.DotBackward<TScalar>(", other, StringComparison.Ordinal);
        var forDouble = output.Source("Session23GenericCallee.G.CosineDouble.g.cs");
        Assert.Contains("CosineBackward<double>(", forDouble, StringComparison.Ordinal);
        var forFloat = output.Source("Session23GenericCallee.G.CosineFloat.g.cs");
        Assert.Contains("CosineBackward<float>(", forFloat, StringComparison.Ordinal);
        var nested = output.Source("Session23GenericCallee.G.Projection.g.cs");
        Assert.Contains("NormBackward<T>(", nested, StringComparison.Ordinal);
        var tangent = output.Sources.Where(s => s.HintName.EndsWith(".Tangent.g.cs", StringComparison.Ordinal) && s.HintName.Contains(".Nested.", StringComparison.Ordinal)).Select(s => s.Source).Single();
        Assert.Contains("ProjectionTangent<T>(", tangent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.Latest)]
    public void Generated_code_compiles_with_no_diagnostic_under_the_strictest_options(LanguageVersion version)
    {
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        var compilation = CSharpCompilation.Create(
            "Session23GenericCalleeStrict" + version,
            new[] { CSharpSyntaxTree.ParseText(Source, parseOptions, path: "Source0.cs") },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999, generalDiagnosticOption: ReportDiagnostic.Error));
        var driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: parseOptions, optionsProvider: BuildProperties.AllOutputs);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var generated = output.SyntaxTrees.Skip(1).ToHashSet();
        Assert.Contains(generated, t => t.FilePath.EndsWith(".Hessian.g.cs", StringComparison.Ordinal));
        var diagnostics = output.GetDiagnostics();
        var findings = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden && (d.Location.SourceTree is not { } tree || generated.Contains(tree))).ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(10)));
        var userErrors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError).ToList();
        Assert.True(userErrors.Count == 0, string.Join("\n", userErrors.Take(10)));
    }

    [Theory]
    [MemberData(nameof(Generic))]
    public void Generic_caller_matches_central_differences_at_double_and_float(string name)
    {
        var type = s_batch.Value.Type;
        var problems = new List<string>();
        var random = new Random(2323 + name.Length);
        for (var k = 0; k < 5; k++)
        {
            var (a, b) = (Draw(random), Draw(random));
            var primal = Method(type, name).MakeGenericMethod(typeof(double));
            CheckDouble(name, primal, Method(type, name + "OverArrays").MakeGenericMethod(typeof(double)), Method(type, name + "TangentOverArrays").MakeGenericMethod(typeof(double)), a, b, random, problems);
            CheckFloat(name, primal, Method(type, name + "OverArrays").MakeGenericMethod(typeof(float)), a, b, problems);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Double_and_float_callers_match_central_differences()
    {
        var type = s_batch.Value.Type;
        var problems = new List<string>();
        var random = new Random(2324);
        for (var k = 0; k < 5; k++)
        {
            var (a, b) = (Draw(random), Draw(random));
            var primal = Method(type, "CosineDouble");
            CheckDouble("CosineDouble", primal, Method(type, "CosineDoubleOverArrays"), Method(type, "CosineDoubleTangentOverArrays"), a, b, random, problems);
            CheckFloat("CosineFloat", primal, Method(type, "CosineFloatOverArrays"), a, b, problems);
            var af = a.Select(x => (float)x).ToArray();
            var bf = b.Select(x => (float)x).ToArray();
            var value = (float)Method(type, "CosineFloat").Invoke(null, new object[] { af, bf })!;
            var tangent = (float)Method(type, "CosineFloatTangentOverArrays").Invoke(null, new object[] { af, bf, new float[4], new float[4] })!;
            if (tangent != 0f || !(Math.Abs(value - (double)primal.Invoke(null, new object[] { a, b })!) <= 1e-4 * Math.Max(1, Math.Abs(value))))
            {
                problems.Add($"CosineFloat: value {value:R}, tangent along zero {tangent:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("CosineOfArrays", typeof(double))]
    [InlineData("CosineOfArrays", typeof(float))]
    [InlineData("Hostile", typeof(double))]
    [InlineData("CosineDouble", null)]
    public void An_index_the_helper_reads_out_of_range_throws_in_the_backward_as_in_the_primal(string name, Type? t)
    {
        var type = s_batch.Value.Type;
        var element = t ?? typeof(double);
        var primal = Method(type, name);
        var backward = Method(type, name + "OverArrays");
        if (t is not null)
        {
            (primal, backward) = (primal.MakeGenericMethod(t), backward.MakeGenericMethod(t));
        }

        var a = Array.CreateInstance(element, 4);
        var b = Array.CreateInstance(element, 3);
        for (var i = 0; i < 4; i++)
        {
            a.SetValue(Convert.ChangeType(0.3 + 0.1 * i, element, System.Globalization.CultureInfo.InvariantCulture), i);
            if (i < 3)
            {
                b.SetValue(Convert.ChangeType(0.5 - 0.1 * i, element, System.Globalization.CultureInfo.InvariantCulture), i);
            }
        }

        var primalError = Assert.Throws<TargetInvocationException>(() => primal.Invoke(null, new object[] { a, b })).InnerException;
        var seed = Convert.ChangeType(Seed, element, System.Globalization.CultureInfo.InvariantCulture);
        var backwardError = Assert.Throws<TargetInvocationException>(() => backward.Invoke(null, new[] { a, b, Array.CreateInstance(element, 4), Array.CreateInstance(element, 3), seed })).InnerException;
        Assert.IsType<IndexOutOfRangeException>(primalError);
        Assert.IsType<IndexOutOfRangeException>(backwardError);
    }

    /// <summary>Refused (SG1002 at the U-typed parts of the local function), never printed as code that does not compile.</summary>
    [Fact]
    public void A_generic_local_function_is_refused_with_located_errors()
    {
        var output = GeneratorHarness.Run(RefusedSource);
        var errors = output.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var local = RefusedSource.IndexOf("static U Square", StringComparison.Ordinal);
        Assert.True(errors.Count >= 1 && errors.All(d => d.Id == "SG1002" && d.Location.SourceSpan.Start >= local), string.Join("\n", errors));
        Assert.DoesNotContain(output.Sources, s => s.HintName.Contains("RefusedGenericLocal", StringComparison.Ordinal) && s.Source.Contains("RefusedGenericLocalBackward(", StringComparison.Ordinal));
        Assert.Empty(output.CompilationDiagnostics.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
    }

    private static double[] Draw(Random random) => Enumerable.Range(0, 4).Select(_ => 0.2 + 0.8 * random.NextDouble()).ToArray();

    private static MethodInfo Method(Type type, string name) => type.GetMethods().Single(m => m.Name == name && m.GetParameters().All(p => p.ParameterType.IsArray || p.ParameterType.IsGenericParameter || p.ParameterType.IsPrimitive));

    private static void CheckDouble(string name, MethodInfo primal, MethodInfo backward, MethodInfo tangent, double[] a, double[] b, Random random, List<string> problems)
    {
        var at = string.Join(", ", a.Concat(b).Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var value = (double)primal.Invoke(null, new object[] { a.ToArray(), b.ToArray() })!;
        var (da, db) = (new double[4], new double[4]);
        var result = (double)backward.Invoke(null, new object[] { a.ToArray(), b.ToArray(), da, db, Seed })!;
        if (BitConverter.DoubleToInt64Bits(result) != BitConverter.DoubleToInt64Bits(value))
        {
            problems.Add($"{name} at {at}: Backward value {result:R}, primal {value:R}");
        }

        var gradient = da.Concat(db).Select(g => g / Seed).ToArray();
        for (var j = 0; j < 8; j++)
        {
            var fd = Central(primal, a, b, j);
            if (!(Math.Abs(gradient[j] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd))))
            {
                problems.Add($"{name} at {at}: ∂/∂x{j} {gradient[j]:R}, central differences {fd:R}");
            }
        }

        var direction = Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5).ToArray();
        var directional = (double)tangent.Invoke(null, new object[] { a.ToArray(), b.ToArray(), direction[..4], direction[4..] })!;
        var expected = gradient.Zip(direction, (g, v) => g * v).Sum();
        if (!(Math.Abs(directional - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected))))
        {
            problems.Add($"{name} at {at}: Tangent {directional:R}, gradient · direction {expected:R}");
        }
    }

    private static void CheckFloat(string name, MethodInfo primal, MethodInfo backward, double[] a, double[] b, List<string> problems)
    {
        var af = a.Select(x => (float)x).ToArray();
        var bf = b.Select(x => (float)x).ToArray();
        var (ar, br) = (af.Select(x => (double)x).ToArray(), bf.Select(x => (double)x).ToArray());
        var value = (double)primal.Invoke(null, new object[] { ar.ToArray(), br.ToArray() })!;
        var (da, db) = (new float[4], new float[4]);
        var result = (float)backward.Invoke(null, new object[] { af, bf, da, db, (float)Seed })!;
        if (!(Math.Abs(result - value) <= 1e-4 * Math.Max(1, Math.Abs(value))))
        {
            problems.Add($"{name} at float: Backward value {result:R}, double {value:R}");
        }

        var gradient = da.Concat(db).Select(g => g / Seed).ToArray();
        for (var j = 0; j < 8; j++)
        {
            var fd = Central(primal, ar, br, j);
            if (!(Math.Abs(gradient[j] - fd) <= 2e-3 * Math.Max(1, Math.Abs(fd)) + 1e-4 * Math.Max(1, Math.Abs(value))))
            {
                problems.Add($"{name} at float: ∂/∂x{j} {gradient[j]:R}, central differences of the double method {fd:R}");
            }
        }
    }

    /// <summary>(f(x + h) − f(x − h)) / 2h in element <paramref name="j"/> of (a, b), h = 1e-6.</summary>
    private static double Central(MethodInfo primal, double[] a, double[] b, int j)
    {
        double At(double delta)
        {
            var (x, y) = (a.ToArray(), b.ToArray());
            if (j < 4)
            {
                x[j] += delta;
            }
            else
            {
                y[j - 4] += delta;
            }

            return (double)primal.Invoke(null, new object[] { x, y })!;
        }

        const double h = 1e-6;
        return (At(h) - At(-h)) / (2 * h);
    }
}
