using System.Collections.Immutable;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Lifting;

/// <summary>
/// The Tensor overloads of lifted methods, checked in as baselines of their own hint (<c>….Tensor.g.cs</c>), and the
/// methods that must NOT be lifted: for those the generator emits only the backward and the compilation stays clean.
/// </summary>
public sealed class LiftingBaselineTests
{
    private const string Usings = "using System;\nusing StaticGrad;\n\nnamespace Samples;\n\n";

    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["Elementwise"] = """
            public static partial class Activations
            {
                [Differentiable]
                public static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));
            }
            """,
        ["NoGradAndPassedThrough"] = """
            public static partial class Physics
            {
                /// <summary>Semi-implicit Euler of a damped oscillator from x0 at rest; the step count is passed through.</summary>
                [Differentiable]
                public static double Position(double time, double stiffness, [NoGrad] double damping, int steps)
                {
                    var dt = time / steps;
                    var x = 1.0;
                    var v = 0.0;
                    for (var i = 0; i < steps; i++)
                    {
                        v += dt * (-stiffness * x - damping * v);
                        x += dt * v;
                    }

                    return x;
                }
            }
            """,
        ["Float"] = """
            public partial class Gates
            {
                private readonly float _scale = 2f;

                [Differentiable]
                public float Gelu(float x) => 0.5f * x * (1f + MathF.Tanh(0.7978846f * (x + 0.044715f * x * x * x))) * _scale;
            }
            """,
        ["OverSpans"] = """
            public static partial class Norms
            {
                [Differentiable]
                public static double WeightedSquares(ReadOnlySpan<double> xs, double[] weights, double offset)
                {
                    var sum = offset;
                    for (var i = 0; i < xs.Length; i++)
                    {
                        sum += weights[i] * xs[i] * xs[i];
                    }

                    return sum;
                }
            }
            """,
        ["NotLifted"] = """
            public partial struct Spring
            {
                public double K;

                [Differentiable]
                public double Energy(double x) => 0.5 * K * x * x;
            }

            public static partial class Skipped
            {
                [Differentiable]
                public static double Scale(double x) => 2 * x;

                public static Tensor Scale(Tensor x) => x * 2.0;

                [Differentiable]
                public static double Mixed(double x, float y) => x * y;

                [Differentiable]
                public static double Written(Span<double> xs) => xs[0] * xs[0];

                [Differentiable]
                public static double Twice(double x) => x * 2;

                [Differentiable]
                public static float Twice(float x) => x * 2;

                [Differentiable]
                public static double Counted(int n) => n;

                [Differentiable]
                public static double Opaque(double x) => Helper(x);

                private static double Helper(double x) => x;
            }
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lifted_overloads_match_their_baselines_and_compile(string name)
    {
        var output = GeneratorHarness.Run(Usings + s_cases[name]);
        var lifted = output with { Sources = output.Sources.Where(s => s.HintName.EndsWith(".Tensor.g.cs", StringComparison.Ordinal)).ToImmutableArray() };
        Baselines.Verify("LiftingBaselineTests." + name, lifted);

        // A method with an opaque call has SG1001 and neither a backward nor an overload; everything else compiles.
        var errors = output.CompilationDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToArray();
        Assert.Empty(errors);
    }

    [Fact]
    public void Methods_that_cannot_be_lifted_get_only_their_backward()
    {
        var output = GeneratorHarness.Run(Usings + s_cases["NotLifted"]);
        Assert.DoesNotContain(output.Sources, s => s.HintName.EndsWith(".Tensor.g.cs", StringComparison.Ordinal));
        Assert.Contains(output.Sources, s => s.HintName == "Samples.Spring.Energy.g.cs");
        Assert.Contains(output.Sources, s => s.HintName == "Samples.Skipped.Mixed.g.cs");
        Assert.DoesNotContain(output.Sources, s => s.HintName == "Samples.Skipped.Opaque.g.cs");
    }
}
