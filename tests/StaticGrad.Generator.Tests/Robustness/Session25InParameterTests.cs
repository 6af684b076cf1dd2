using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 25: <c>in</c>, <c>ref readonly</c> and <c>scoped in</c> parameters, on a [Differentiable] method itself
/// (double, float's Vector3, a user struct, generic T) and on what its body calls (a [Differentiable] callee in a loop
/// over array elements and their fields, local functions), read as values; the generated methods take them <c>in</c>.
/// Checked through a consumer that calls the generated methods as a user does (<see cref="Session25InParameterSources"/>):
/// the Backward's value is the primal's bit for bit, and every partial derivative matches central differences within
/// <c>tolerance·max(1, |fd|)</c> (double: step 1e-6, tolerance 1e-6; float: step 1e-3, tolerance 2e-3), the Tangent
/// matches the gradient along a direction, the Hessian-vector product matches differences of the gradient. The two
/// ways an <c>in</c> parameter could change during the call are refused, each with one located SG1002.
/// </summary>
public sealed class Session25InParameterTests
{
    private static readonly Lazy<Type> s_consumer = new(() => Load("Session25In.Consumer", Session25InParameterSources.Source, Session25InParameterSources.GenericSource));
    private static readonly Lazy<Type> s_refReadOnly = new(() => Load("Session25RefReadOnly.Consumer", Session25InParameterSources.RefReadOnlySource));

    private static readonly double[] s_energy = { 0.7, 1.3 };
    private static readonly double[] s_dot3 = { 0.3, -0.4, 0.8, 0.5, 0.2, -0.6 };
    private static readonly double[] s_arrays = { 0.3, -0.2, 0.5, 0.1, 0.7, 0.6 };

    private static readonly Dictionary<string, double[]> s_points = new()
    {
        ["Dot3"] = s_dot3,
        ["StateEnergy"] = new[] { 0.6, -0.9, 1.4 },
        ["Cube"] = new[] { 0.8, -0.3 },
        ["CubeFloat"] = new[] { 0.8, -0.3 },
        ["Hygiene"] = new[] { 0.4, 0.9, -0.7, 0.2, 0.5, 0.3, 1.1 },
    };

    [Fact]
    public void In_double_value_gradient_tangent_and_hessian()
    {
        AssertGradient(s_consumer.Value, "Energy", s_energy, 1e-6, 1e-6);
        AssertTangent(s_consumer.Value, "Energy", s_energy, 1e-12);
        AssertHessianVector(s_consumer.Value, s_energy);
    }

    /// <summary>
    /// <c>in Vector3</c> (float: step 1e-3, tolerance 2e-3), <c>in State</c> (a user struct: its int field's adjoint
    /// must stay 0, which StateEnergyGradient checks), <c>in T</c> over double and float, and parameters named like
    /// generated names (dx, seed, _result, da, _tape).
    /// </summary>
    [Theory]
    [InlineData("Dot3", 1e-3, 2e-3, 1e-5)]
    [InlineData("StateEnergy", 1e-6, 1e-6, 1e-12)]
    [InlineData("Cube", 1e-6, 1e-6, 1e-12)]
    [InlineData("CubeFloat", 1e-3, 2e-3, 0)]
    [InlineData("Hygiene", 1e-3, 2e-3, 1e-5)]
    public void In_struct_generic_and_hygiene_value_gradient_and_tangent(string name, double h, double tolerance, double tangentTolerance)
    {
        var point = s_points[name];
        AssertGradient(s_consumer.Value, name, point, h, tolerance);
        if (tangentTolerance > 0)
        {
            AssertTangent(s_consumer.Value, name, point, tangentTolerance);
        }
    }

    [Fact]
    public void Backward_tangent_and_hessian_take_the_in_parameters_in()
    {
        var m = s_consumer.Value.Assembly.GetType("Session25In.M")!;
        static bool IsIn(ParameterInfo p) => p.ParameterType.IsByRef && p.IsIn;
        foreach (var name in new[] { "Energy", "EnergyBackward", "EnergyTangent", "EnergyHessianVector", "EnergyHessian", "Dot3Backward", "StateEnergyBackward", "GuardedBackward", "HygieneBackward" })
        {
            var all = m.GetMethods().Where(x => x.Name == name).ToList();
            Assert.NotEmpty(all);

            // The overload a user calls (the one over whole structs, for struct parameters) takes the first parameter 'in'.
            Assert.Contains(all, x => IsIn(x.GetParameters()[0]));
        }

        var backward = m.GetMethods().Single(x => x.Name == "EnergyBackward" && IsIn(x.GetParameters()[0]));
        Assert.Equal(new[] { true, false, false, false, false }, backward.GetParameters().Select(IsIn));
    }

    [Fact]
    public void Callee_with_in_parameters_called_in_a_loop_with_array_elements()
    {
        AssertGradient(s_consumer.Value, "Springs", s_arrays, 1e-3, 2e-3);
    }

    [Fact]
    public void Callee_with_in_parameters_called_with_fields_of_struct_array_elements_and_plain_values()
    {
        AssertGradient(s_consumer.Value, "Chain", s_arrays, 1e-6, 1e-6);
    }

    [Fact]
    public void Local_functions_with_in_parameters_expression_and_statement_bodied()
    {
        AssertGradient(s_consumer.Value, "LocalFunctions", s_arrays, 1e-6, 1e-6);
    }

    [Theory]
    [InlineData(0.4, 3.5, 0.9)] // nested loops, no early return
    [InlineData(0.4, 0.5, 0.9)] // zero trips: (int)p.Y == 0
    [InlineData(0.4, 3.5, 9.0)] // early return from the inner loop
    public void In_struct_with_nested_loops_zero_trips_and_early_return(double x, double y, double z) =>
        AssertGradient(s_consumer.Value, "Guarded", new[] { x, y, z, 0.5, 0.8, 1.2, 0.3 }, 1e-3, 2e-3);

    [Theory]
    [InlineData(-0.5, 2.5, "System.ArgumentOutOfRangeException")]
    [InlineData(0.5, 6.5, "System.IndexOutOfRangeException")]
    public void Exceptions_are_the_primals(double x, double y, string exception)
    {
        var p = new[] { x, y, 0.1, 0.5, 0.8, 1.2, 0.3 };
        var primal = Outcome(() => Call(s_consumer.Value, "GuardedValue", p));
        Assert.StartsWith(exception, primal, StringComparison.Ordinal);
        Assert.Equal(primal, Outcome(() => Call(s_consumer.Value, "GuardedGradient", p, new double[p.Length])));
    }


    [Fact]
    public void Ref_readonly_and_scoped_in_parameters_and_a_caller_passing_them()
    {
        AssertGradient(s_refReadOnly.Value, "Norm", s_energy, 1e-6, 1e-6);
        AssertTangent(s_refReadOnly.Value, "Norm", s_energy, 1e-12);
        AssertGradient(s_refReadOnly.Value, "Length", s_dot3, 1e-3, 2e-3);
        AssertGradient(s_refReadOnly.Value, "Caller", new[] { 0.3, -0.2, 0.5, 0.1, 0.7 }, 1e-3, 2e-3);
    }

    [Fact]
    public void A_local_function_writing_the_variable_passed_in_is_one_located_error()
    {
        var errors = Errors(Session25InParameterSources.AliasingSource);
        var error = Assert.Single(errors, e => e.Message.Contains("Bump", StringComparison.Ordinal));
        Assert.Equal(("SG1002", "in total"), (error.Id, error.Text));
        Assert.Contains("'in' arguments that the local function writes ('Bump' writes 'total', which its parameter 'v' refers to, so 'v' would change with the write; declare it by value, 'double v', or pass a copy: 'var before = total; Bump(before, …)')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_in_parameter_of_a_method_writing_its_array_parameter_is_one_located_error()
    {
        var errors = Errors(Session25InParameterSources.AliasingSource);
        var error = Assert.Single(errors, e => e.Message.Contains("ArrayWrite", StringComparison.Ordinal));
        Assert.Equal(("SG1002", "x"), (error.Id, error.Text));
        Assert.Contains("'in' parameters in a method that writes to the elements of its parameter 'a' (a caller may pass one of those elements by reference, 'ArrayWrite(in a[0], …)', and the write would change 'x' while the method reads it; declare it by value, 'double x', or write a local copy of 'a')", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_ref_readonly_argument_of_a_call_is_one_located_error_saying_declare_it_in()
    {
        var error = Assert.Single(Errors(Session25InParameterSources.AliasingSource), e => e.Message.Contains("'ref readonly' arguments", StringComparison.Ordinal));
        Assert.Equal(("SG1002", "in a[0]"), (error.Id, error.Text));
        Assert.Contains("'ref readonly' arguments of calls ('Norm' takes 'x' by 'ref readonly'; declare it 'in double x', which is read the same way and accepted here, or by value)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The generated code with every output on, compiled as the strictest consumer does, C# 9 to the newest (ref readonly from 12).</summary>
    [Theory]
    [InlineData("9", false)]
    [InlineData("10", true)]
    [InlineData("11", false)]
    [InlineData("12", true)]
    [InlineData("latest", true)]
    public void Generated_code_compiles_warning_free_from_CSharp_9(string languageVersion, bool nullable)
    {
        Assert.True(LanguageVersionFacts.TryParse(languageVersion, out var version));
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        var sources = new[] { Session25InParameterSources.Source }
            .Concat(version >= LanguageVersion.CSharp11 ? new[] { Session25InParameterSources.GenericSource } : Array.Empty<string>())
            .Concat(version >= LanguageVersion.CSharp12 ? new[] { Session25InParameterSources.RefReadOnlySource } : Array.Empty<string>());
        var compilation = CSharpCompilation.Create(
            "Strict25" + languageVersion,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: "Source" + i + ".cs")),
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable, warningLevel: 9999, generalDiagnosticOption: ReportDiagnostic.Error));
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: parseOptions, optionsProvider: BuildProperties.AllOutputs)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var generated = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).ToHashSet();
        Assert.Contains(generated, t => t.FilePath.EndsWith("M.Energy.Hessian.g.cs", StringComparison.Ordinal));
        var findings = output.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden && (d.Location.SourceTree is null || generated.Contains(d.Location.SourceTree) || d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError)).ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(10)));
    }

    private static List<(string Id, string Severity, string Text, string Message)> Errors(string source) =>
        GeneratorHarness.Run(source).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();

    private static Type Load(string consumer, params string[] sources)
    {
        var output = GeneratorHarness.Run(sources);
        GeneratorHarness.AssertClean(output);
        return GeneratorHarness.Load(output.OutputCompilation).GetType(consumer)!;
    }

    private static double Call(Type consumer, string name, params object[] arguments) =>
        (double)consumer.GetMethod(name)!.Invoke(null, arguments)!;

    private static string Outcome(Func<double> run)
    {
        try
        {
            return "value " + run().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            return inner.GetType().FullName + ": " + inner.Message;
        }
    }

    /// <summary>Value bit for bit the primal's; each partial within <paramref name="tolerance"/>·max(1, |fd|) of central differences of step <paramref name="h"/>.</summary>
    private static void AssertGradient(Type consumer, string name, double[] point, double h, double tolerance)
    {
        var gradient = new double[point.Length];
        var value = Call(consumer, name + "Gradient", point, gradient);
        var primal = Call(consumer, name + "Value", point);
        Assert.True(BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(value), $"{name}: Backward value {value:R}, primal {primal:R}");
        for (var i = 0; i < point.Length; i++)
        {
            var (up, down) = ((double[])point.Clone(), (double[])point.Clone());
            up[i] += h;
            down[i] -= h;
            var fd = (Call(consumer, name + "Value", up) - Call(consumer, name + "Value", down)) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name}: d/dp[{i}] {gradient[i]:R}, central differences {fd:R}");
        }
    }

    /// <summary>The Tangent along v = (1, −0.5, 0.25, …) is the gradient's dot product with v, within <paramref name="tolerance"/> relative.</summary>
    private static void AssertTangent(Type consumer, string name, double[] point, double tolerance)
    {
        var direction = point.Select((_, i) => Math.Pow(-0.5, i)).ToArray();
        var gradient = new double[point.Length];
        Call(consumer, name + "Gradient", point, gradient);
        var expected = gradient.Zip(direction, (g, v) => g * v).Sum();
        var tangent = Call(consumer, name + "Tangent", point, direction);
        Assert.True(Math.Abs(tangent - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{name}: tangent {tangent:R}, gradient·v {expected:R}");
    }

    /// <summary>Energy's Hessian-vector product against central differences of its gradient (step 1e-5, tolerance 1e-6); it returns the gradient along v.</summary>
    private static void AssertHessianVector(Type consumer, double[] point)
    {
        var v = new[] { 1.0, -0.5 };
        var hv = new double[2];
        var directional = (double)consumer.GetMethod("EnergyHessianVector")!.Invoke(null, new object[] { point, v, hv })!;
        var (up, down) = (new double[2], new double[2]);
        Call(consumer, "EnergyGradient", point, up);
        Assert.True(Math.Abs(directional - ((up[0] * v[0]) + (up[1] * v[1]))) <= 1e-12, $"Energy: HessianVector returned {directional:R}, gradient·v {(up[0] * v[0]) + (up[1] * v[1]):R}");
        const double h = 1e-5;
        Call(consumer, "EnergyGradient", point.Zip(v, (p, d) => p + (h * d)).ToArray(), up);
        Call(consumer, "EnergyGradient", point.Zip(v, (p, d) => p - (h * d)).ToArray(), down);
        for (var i = 0; i < 2; i++)
        {
            var fd = (up[i] - down[i]) / (2 * h);
            Assert.True(Math.Abs(hv[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"Energy: (Hv)[{i}] {hv[i]:R}, differences of the gradient {fd:R}");
        }
    }
}
