using System.Reflection;
using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// <see cref="Session23GenericMathCorpus"/>, compiled once with its double twins. For each generic method, at three
/// points of its domain:
/// <list type="bullet">
/// <item>double: the generic method at <c>T = double</c> equals its double twin bit for bit (value, Backward's value and
/// every adjoint at seed 0.75), and the twin's gradient matches central differences of the twin (step 1e-6, tolerance
/// 1e-6·max(1, |fd|) + 1e-9·max(1, |f|));</item>
/// <item>float: the generic method at <c>T = float</c>, at the point rounded to float, has a value within
/// 1e-4·max(1, |f|) of the double twin's there and a gradient within 2e-3·max(1, |fd|) + 1e-4·max(1, |f|) of central
/// differences of the double twin there (float's own central differences would measure float's rounding, not the
/// derivative).</item>
/// </list>
/// The generator reports no warning and the generated code compiles warning-free; each method named <c>Refused…</c>
/// gets exactly one SG1xxx error, located inside it, whose message says what to write instead.
/// </summary>
public sealed class Session23GenericMathCorpusTests
{
    private const int Points = 3;
    private const double Seed = 0.75;

    private static readonly Lazy<(GeneratorOutput Output, Type Type)> s_batch = new(() =>
    {
        var output = GeneratorHarness.Run(Session23GenericMathCorpus.WithTwins(Session23GenericMathCorpus.Source));
        var problems = output.GeneratorDiagnostics.Concat(output.CompilationDiagnostics).ToArray();
        if (problems.Length > 0)
        {
            throw new Xunit.Sdk.XunitException("Diagnostics:\n" + string.Join("\n", problems.Select(d => d.ToString()))
                + "\n\nGenerated:\n" + string.Join("\n", output.Sources.Select(s => "// " + s.HintName + "\n" + s.Source)));
        }

        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType(Session23GenericMathCorpus.Namespace + ".G")!);
    });

    public static TheoryData<string> Methods() => new(Session23GenericMathCorpus.Methods());

    [Fact]
    public void The_corpus_has_at_least_thirty_generic_functions() => Assert.True(Session23GenericMathCorpus.Methods().Length >= 30);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Generic_method_is_its_double_twin_bit_for_bit_and_matches_central_differences(string name)
    {
        var type = s_batch.Value.Type;
        var generic = Primal(type, name);
        var twin = Primal(type, name + "D");
        var (low, high) = Session23GenericMathCorpus.Domain(name);
        Assert.True(high > low, name + ": no domain comment");
        var random = new Random(2300 + name.Length * 31 + name[0]);
        var problems = new List<string>();
        for (var k = 0; k < Points; k++)
        {
            var point = twin.GetParameters().Select(p => Draw(p.ParameterType, random, low, high)).ToArray();
            CheckDouble(name, generic.MakeGenericMethod(typeof(double)), twin, Backward(type, name, typeof(double)), Backward(type, name + "D", null), point, problems);
            CheckFloat(name, generic.MakeGenericMethod(typeof(float)), twin, Backward(type, name, typeof(float)), point, problems);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("RefusedStaticAbstractRate", "SG1002", "one floating")]
    [InlineData("RefusedRecursiveLocal", "SG1002", "make it a [Differentiable] method of the type")]
    [InlineData("RefusedSpanAlias", "SG1010", "create a local array with 'new T[n]'")]
    public void Refused_method_gets_one_located_error_with_a_rewrite(string name, string id, string rewrite)
    {
        var output = s_batch.Value.Output;
        var tree = output.OutputCompilation.SyntaxTrees.First();
        var declaration = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);
        var errors = output.AnalyzerDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree && declaration.FullSpan.Contains(d.Location.SourceSpan))
            .ToList();
        Assert.True(errors.Count == 1, name + ": " + string.Join("\n", errors.Select(d => d.ToString())));
        Assert.Equal(id, errors[0].Id);
        Assert.Contains(rewrite, errors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Accepted_methods_get_no_analyzer_diagnostic()
    {
        var output = s_batch.Value.Output;
        var tree = output.OutputCompilation.SyntaxTrees.First();
        var refused = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .Where(m => m.Identifier.Text.StartsWith("Refused", StringComparison.Ordinal)).Select(m => m.FullSpan).ToList();
        // SG1006 at T.Sign (and the twin's double.Sign) is the documented notice that no gradient flows through Sign:
        // SmoothL1BySign's gradient flows through the factor r[i] beside it.
        var others = output.AnalyzerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && !refused.Any(span => span.Contains(d.Location.SourceSpan))
            && !(d.Id == "SG1006" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(".Sign'", StringComparison.Ordinal)));
        Assert.Empty(others.Select(d => d.ToString()));
    }

    /// <summary>The method over scalars and arrays (the generator adds span and Tensor overloads beside it).</summary>
    private static MethodInfo Primal(Type type, string name) =>
        type.GetMethods().Single(m => m.Name == name && m.GetParameters().All(p => Plain(p.ParameterType)));

    /// <summary>The Backward through its array-adjoint wrapper (<see cref="Session23GenericMathCorpus.WithTwins"/>): reflection cannot pass a span.</summary>
    private static MethodInfo Backward(Type type, string name, Type? t)
    {
        var backward = type.GetMethod(name + "BackwardOverArrays")!;
        return t is null ? backward : backward.MakeGenericMethod(t);
    }

    /// <summary>double, T, their arrays (one- and two-dimensional), by reference too.</summary>
    private static bool Plain(Type type)
    {
        var element = type.IsByRef || type.IsArray ? type.GetElementType()! : type;
        return element == typeof(double) || element.IsGenericParameter;
    }

    private static void CheckDouble(string name, MethodInfo generic, MethodInfo twin, MethodInfo genericBackward, MethodInfo twinBackward, object[] point, List<string> problems)
    {
        var at = Describe(point);
        var value = (double)twin.Invoke(null, Copy(point, typeof(double)))!;
        var genericValue = (double)generic.Invoke(null, Copy(point, typeof(double)))!;
        if (!Same(value, genericValue))
        {
            problems.Add($"{name} at {at}: generic value {genericValue:R}, twin {value:R}");
        }

        var (twinResult, twinAdjoints) = RunBackward(twinBackward, point, typeof(double), Seed);
        var (genericResult, genericAdjoints) = RunBackward(genericBackward, point, typeof(double), Seed);
        if (!Same((double)twinResult, (double)genericResult) || !Same((double)twinResult, value))
        {
            problems.Add($"{name} at {at}: Backward value generic {genericResult:R}, twin {twinResult:R}, primal {value:R}");
        }

        for (var i = 0; i < point.Length; i++)
        {
            var a = Flatten(twinAdjoints[i]);
            var b = Flatten(genericAdjoints[i]);
            for (var j = 0; j < a.Length; j++)
            {
                if (!Same(a[j], b[j]))
                {
                    problems.Add($"{name} at {at}: adjoint {i}[{j}] generic {b[j]:R}, twin {a[j]:R} (not bit for bit)");
                }

                var fd = Central(twin, point, i, j);
                if (!(Math.Abs(a[j] / Seed - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)) + 1e-9 * Math.Max(1, Math.Abs(value))))
                {
                    problems.Add($"{name} at {at}: ∂/∂{i}[{j}] {a[j] / Seed:R}, central differences {fd:R}");
                }
            }
        }
    }

    private static void CheckFloat(string name, MethodInfo generic, MethodInfo twin, MethodInfo genericBackward, object[] point, List<string> problems)
    {
        // The point rounded to float, as double again: the double twin is the reference there.
        var rounded = Copy(Copy(point, typeof(float)), typeof(double));
        var at = Describe(rounded);
        var value = (double)twin.Invoke(null, Copy(rounded, typeof(double)))!;
        var floatValue = (double)(float)generic.Invoke(null, Copy(rounded, typeof(float)))!;
        var (result, adjoints) = RunBackward(genericBackward, rounded, typeof(float), (float)Seed);
        if (!(Math.Abs(floatValue - value) <= 1e-4 * Math.Max(1, Math.Abs(value))) || !Same((float)result, (float)floatValue))
        {
            problems.Add($"{name} at float {at}: value {floatValue:R} (Backward {(float)result:R}), double twin {value:R}");
        }

        for (var i = 0; i < rounded.Length; i++)
        {
            var g = Flatten(adjoints[i]);
            for (var j = 0; j < g.Length; j++)
            {
                var fd = Central(twin, rounded, i, j);
                if (!(Math.Abs(g[j] / Seed - fd) <= 2e-3 * Math.Max(1, Math.Abs(fd)) + 1e-4 * Math.Max(1, Math.Abs(value))))
                {
                    problems.Add($"{name} at float {at}: ∂/∂{i}[{j}] {g[j] / Seed:R}, central differences of the double twin {fd:R}");
                }
            }
        }
    }

    /// <summary>Backward's value and the adjoints (zero-filled, one per floating parameter, in order).</summary>
    private static (object Result, object[] Adjoints) RunBackward(MethodInfo backward, object[] point, Type t, object seed)
    {
        var inputs = Copy(point, t);
        var adjoints = inputs.Select(p => p is Array array ? Array.CreateInstance(t, Enumerable.Range(0, array.Rank).Select(array.GetLength).ToArray()) : Activator.CreateInstance(t)!).ToArray();
        var arguments = inputs.Concat(adjoints).Append(seed).ToArray();
        var result = backward.Invoke(null, arguments)!;
        return (result, arguments.Skip(inputs.Length).Take(inputs.Length).ToArray());
    }

    /// <summary>(f(x + h) − f(x − h)) / 2h of the double twin in element <paramref name="j"/> of parameter <paramref name="i"/>, h = 1e-6.</summary>
    private static double Central(MethodInfo twin, object[] point, int i, int j)
    {
        double At(double delta)
        {
            var shifted = Copy(point, typeof(double));
            if (shifted[i] is Array array)
            {
                var index = Index(array, j);
                array.SetValue((double)array.GetValue(index)! + delta, index);
            }
            else
            {
                shifted[i] = (double)shifted[i] + delta;
            }

            return (double)twin.Invoke(null, shifted)!;
        }

        const double h = 1e-6;
        return (At(h) - At(-h)) / (2 * h);
    }

    private static object Draw(Type type, Random random, double low, double high)
    {
        double Next() => low + (random.NextDouble() * (high - low));
        if (type == typeof(double[]))
        {
            return Enumerable.Range(0, 5).Select(_ => Next()).ToArray();
        }

        if (type == typeof(double[,]))
        {
            var grid = new double[3, 3];
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    grid[r, c] = Next();
                }
            }

            return grid;
        }

        Assert.Equal(typeof(double), type);
        return Next();
    }

    /// <summary>A deep copy of the point with every floating value converted to <paramref name="t"/> (double or float).</summary>
    private static object[] Copy(object[] point, Type t) => point.Select(p => Convert(p, t)).ToArray();

    private static object Convert(object value, Type t)
    {
        if (value is Array array)
        {
            var copy = Array.CreateInstance(t, Enumerable.Range(0, array.Rank).Select(array.GetLength).ToArray());
            for (var k = 0; k < array.Length; k++)
            {
                copy.SetValue(Convert(array.GetValue(Index(array, k))!, t), Index(array, k));
            }

            return copy;
        }

        var d = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        return t == typeof(float) ? (object)(float)d : d;
    }

    private static int[] Index(Array array, int flat) =>
        array.Rank == 1 ? new[] { flat } : new[] { flat / array.GetLength(1), flat % array.GetLength(1) };

    private static double[] Flatten(object value) => value is Array array
        ? Enumerable.Range(0, array.Length).Select(k => System.Convert.ToDouble(array.GetValue(Index(array, k)), System.Globalization.CultureInfo.InvariantCulture)).ToArray()
        : new[] { System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) };

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static string Describe(object[] point) =>
        "(" + string.Join(", ", point.Select(p => p is Array ? "[" + string.Join(", ", Flatten(p).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]" : System.Convert.ToDouble(p, System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + ")";
}
