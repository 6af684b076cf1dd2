using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// The generated code of a struct method, a tuple method and a <c>double[,]</c> method, checked in as baselines (a
/// user reads it next to the source); each compiles clean. Their gradients are checked by the corpus
/// (<see cref="DataTypesGradientTests"/>), whose functions these resemble.
/// </summary>
public sealed class DataTypesBaselineTests
{
    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, string> s_cases = new()
    {
        ["Vector3Struct"] = """
            public static partial class Shading
            {
                [Differentiable]
                public static float Lambert(Vector3 normal, Vector3 light) => MathF.Max(Vector3.Dot(Vector3.Normalize(normal), light), 0f);
            }
            """,
        ["TupleResult"] = """
            public static partial class Kinematics
            {
                [Differentiable]
                public static (double X, double Y) Rotate(double x, double y, double angle)
                {
                    var (s, c) = Math.SinCos(angle);
                    return (c * x - s * y, s * x + c * y);
                }
            }
            """,
        ["Matrix2D"] = """
            public static partial class Layers
            {
                [Differentiable]
                public static double Quadratic(double[,] a, [NoGrad] double[] x)
                {
                    var sum = 0.0;
                    for (var i = 0; i < a.GetLength(0); i++)
                    {
                        for (var j = 0; j < a.GetLength(1); j++)
                        {
                            sum += x[i] * a[i, j] * x[j];
                        }
                    }

                    return sum;
                }
            }
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_baseline_and_compiles_clean(string name)
    {
        var output = GeneratorHarness.Run("using System;\nusing System.Numerics;\nusing StaticGrad;\n\nnamespace Samples;\n\n" + s_cases[name]);
        GeneratorHarness.AssertClean(output);
        Baselines.Verify("DataTypesBaselineTests." + name, output);
    }
}
