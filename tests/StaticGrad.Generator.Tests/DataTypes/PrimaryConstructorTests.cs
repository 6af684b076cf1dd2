using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Primary-constructor parameters of the containing type read as configuration constants: the generated part reads
/// Roslyn's capture field through [UnsafeAccessor] (.NET 8), for a class and a struct, a parameter other members read
/// too and one only the [Differentiable] method reads, double and float, Backward and Tangent against central
/// differences of the method itself (double |a − b| ≤ 1e-6·(1 + |fd|) with step 1e-6; float 2e-2 with step 1e-2).
/// Where the route is closed (netstandard2.0, a generic type) the read is one SG1002 that says what to write instead.
/// </summary>
public sealed class PrimaryConstructorTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Samples;

        // 'scale' is also read by a property, 'weights' and 'bias' only by the [Differentiable] methods.
        public partial class Model(double scale, double[] weights, int degree, float bias)
        {
            public double Scale => scale;

            [Differentiable(Forward = true)]
            public double Energy(double x)
            {
                var e = 0.0;
                for (var i = 0; i < degree; i++)
                {
                    e += weights[i] * Math.Pow(x, i + 1);
                }

                return scale * e;
            }

            [Differentiable(Forward = true)]
            public float Energy(float x) => MathF.Tanh(bias * x) * (float)scale;
        }

        public readonly partial struct Spring(double k, double rest)
        {
            public double Stiffness => k;

            [Differentiable(Forward = true)]
            public double Potential(double x) => 0.5 * k * (x - rest) * (x - rest);
        }

        public partial struct Pendulum(float length)
        {
            [Differentiable(Forward = true)]
            public float Height(float angle) => length * (1f - MathF.Cos(angle));
        }

        public static class Check
        {
            private static readonly Model s_model = new(1.5, new[] { 0.5, -0.25, 0.125 }, 3, 0.8f);
            private static readonly Spring s_spring = new(4.0, 0.3);
            private static readonly Pendulum s_pendulum = new(2.5f);

            public static double ModelF(double x) => s_model.Energy(x);
            public static double ModelG(double x) { var d = 0.0; s_model.EnergyBackward(x, ref d); return d; }
            public static double ModelT(double x) => s_model.EnergyTangent(x, 1.0).Tangent;
            public static double ModelFloatF(double x) => s_model.Energy((float)x);
            public static double ModelFloatG(double x) { var d = 0f; s_model.EnergyBackward((float)x, ref d); return d; }
            public static double ModelFloatT(double x) => s_model.EnergyTangent((float)x, 1f).Tangent;
            public static double SpringF(double x) => s_spring.Potential(x);
            public static double SpringG(double x) { var d = 0.0; s_spring.PotentialBackward(x, ref d); return d; }
            public static double SpringT(double x) => s_spring.PotentialTangent(x, 1.0).Tangent;
            public static double PendulumF(double x) => s_pendulum.Height((float)x);
            public static double PendulumG(double x) { var d = 0f; s_pendulum.HeightBackward((float)x, ref d); return d; }
            public static double PendulumT(double x) => s_pendulum.HeightTangent((float)x, 1f).Tangent;
        }
        """;

    private static readonly Lazy<(GeneratorOutput Output, Type Check)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!);
    });

    [Theory]
    [InlineData("Model", 0.7, false)]
    [InlineData("ModelFloat", 0.4, true)]
    [InlineData("Spring", 1.1, false)]
    [InlineData("Pendulum", 0.6, true)]
    public void Backward_and_tangent_read_the_parameters_and_match_finite_differences(string name, double x, bool isFloat)
    {
        var check = s_compiled.Value.Check;
        double Call(string suffix, double at) => (double)check.GetMethod(name + suffix, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new object[] { at })!;
        var (step, tolerance) = isFloat ? (1e-2, 2e-2) : (1e-6, 1e-6);
        var fd = (Call("F", x + step) - Call("F", x - step)) / (2 * step);
        Assert.True(Math.Abs(Call("G", x) - fd) <= tolerance * (1 + Math.Abs(fd)), $"{name}: Backward gives {Call("G", x):R}, finite differences {fd:R}");
        Assert.True(Math.Abs(Call("T", x) - fd) <= tolerance * (1 + Math.Abs(fd)), $"{name}: Tangent gives {Call("T", x):R}, finite differences {fd:R}");
    }

    [Fact]
    public void Each_parameter_gets_one_accessor_of_the_compilers_capture_field()
    {
        var output = s_compiled.Value.Output;
        var energy = output.Sources.Single(s => s.HintName == "Samples.Model.Energy_double.g.cs").Source;
        Assert.Contains("Name = \"<scale>P\")]", energy, StringComparison.Ordinal);
        Assert.Contains("Name = \"<weights>P\")]", energy, StringComparison.Ordinal);
        Assert.Contains("Name = \"<degree>P\")]", energy, StringComparison.Ordinal);
        Assert.DoesNotContain("<bias>P", energy, StringComparison.Ordinal);

        // The capture field the accessor names is the one Roslyn emitted (the name is its implementation detail).
        var model = GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Model")!;
        var fields = model.GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Select(f => f.Name).ToArray();
        Assert.Equal(new[] { "<bias>P", "<degree>P", "<scale>P", "<weights>P" }, fields.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_generic_type_gets_one_error_that_says_what_to_write()
    {
        var output = GeneratorHarness.Run("""
            using StaticGrad;
            namespace Samples;
            public partial class Box<T>(double scale)
            {
                [Differentiable] public double F(double x) => x * scale;
            }
            """);
        var error = Assert.Single(output.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG1002", error.Id);
        Assert.Contains("generic type", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("private readonly double _scale = scale;", error.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("Samples.Box", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("scale = x;")]
    [InlineData("scale += x;")]
    [InlineData("scale++;")]
    public void Assigning_the_parameter_is_one_error_that_names_it_and_offers_a_local(string assignment)
    {
        // The method may read the object's configuration, not change it: the error says which parameter and the rewrite.
        var output = GeneratorHarness.Run($$"""
            using StaticGrad;
            namespace Samples;
            public partial class Model(double scale)
            {
                [Differentiable] public double F(double x) { {{assignment}} return x * scale; }
            }
            """);
        var error = Assert.Single(output.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG1002", error.Id);
        Assert.Equal("scale", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        Assert.Contains("primary-constructor parameter 'scale' of 'Model'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("var current = scale;", error.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("Samples.Model", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tensor_bodied_method_gets_one_error_and_no_broken_file()
    {
        // Its generated file declares no accessors and C# forbids naming the parameter there (CS9105, which the
        // tensor-bodied path wrote into its .g.cs before): the read is one error at the parameter.
        var output = GeneratorHarness.Run("""
            using StaticGrad;
            namespace Samples;
            public partial class Net(double scale)
            {
                [Differentiable] public Tensor Loss(Tensor w) => (w * scale).Sum();
            }
            """);
        var errors = output.AnalyzerDiagnostics.Concat(output.GeneratorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        var error = Assert.Single(errors);
        Assert.Equal("scale", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        Assert.Contains("private readonly double _scale = scale;", error.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Without_UnsafeAccessor_the_read_is_one_error_and_no_generated_file()
    {
        // A netstandard2.0 project (its own attribute, as the package's runtime targets .NET 8): no UnsafeAccessorAttribute.
        var netstandard = Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "netstandard.library", "2.0.3", "build", "netstandard2.0", "ref", "netstandard.dll");
        Assert.True(File.Exists(netstandard), "netstandard.dll of NETStandard.Library 2.0.3 (restored for the compiler's netstandard2.0 projects) not found at " + netstandard);
        var compilation = CSharpCompilation.Create(
            "Netstandard" + Guid.NewGuid().ToString("N"),
            new[]
            {
                CSharpSyntaxTree.ParseText("""
                    namespace StaticGrad
                    {
                        [System.AttributeUsage(System.AttributeTargets.Method)]
                        public sealed class DifferentiableAttribute : System.Attribute { }
                    }

                    namespace Samples
                    {
                        public partial class Model(double scale)
                        {
                            [StaticGrad.Differentiable] public double F(double x) => x * scale;
                        }
                    }
                    """, GeneratorHarness.ParseOptions, path: "Model.cs"),
            },
            new[] { MetadataReference.CreateFromFile(netstandard) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var output = GeneratorHarness.Run(compilation);
        var error = Assert.Single(output.AnalyzerDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SG1002", error.Id);
        Assert.Equal("scale", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        Assert.Contains(".NET 8", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("private readonly double _scale = scale;", error.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("Samples.Model", StringComparison.Ordinal));
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
