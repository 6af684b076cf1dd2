using System.Globalization;
using System.Reflection;
using System.Text;
using StaticGrad.Compiler.Derivatives;
using static StaticGrad.Compiler.Tests.Derivatives.RuleSourceAssembly;

namespace StaticGrad.Compiler.Tests.Derivatives;

/// <summary>
/// Every rule of the built-in table, for Math (double) and MathF (float): the C# text the rule emits is compiled and
/// evaluated, and compared with central finite differences of the function itself.
/// </summary>
public sealed class BuiltinRulesTests
{
    /// <summary>Each argument larger in magnitude once, with both signs.</summary>
    private static readonly double[][] s_magnitudePoints = { new[] { 0.37, -1.3, 0 }, new[] { 1.3, -0.37, 0 }, new[] { -1.3, 0.37, 0 } };

    /// <summary>Points per rule (a, b, c), away from kinks and jumps, covering each branch of piecewise rules.</summary>
    private static readonly Dictionary<string, double[][]> s_points = new()
    {
        ["Acosh"] = new[] { new[] { 1.37, 0, 0 } },
        ["Pow"] = new[] { new[] { 1.3, 0.37, 0 }, new[] { 0.8, 2.5, 0 } },
        ["Abs"] = new[] { new[] { 0.37, 0, 0 }, new[] { -0.6, 0, 0 } },
        ["Min"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["Max"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["Clamp"] = new[] { new[] { 0.37, -0.5, 0.9 }, new[] { -0.8, -0.5, 0.9 }, new[] { 1.2, -0.5, 0.9 } },
        ["CopySign"] = new[] { new[] { 0.37, -1.3, 0 }, new[] { -0.37, 1.3, 0 } },
        ["Log"] = new[] { new[] { 0.37, 1.3, 0 } },
        ["TanPi"] = new[] { new[] { 0.1, 0, 0 }, new[] { -0.2, 0, 0 } },
        ["ClampNative"] = new[] { new[] { 0.37, -0.5, 0.9 }, new[] { -0.8, -0.5, 0.9 }, new[] { 1.2, -0.5, 0.9 } },
        ["MaxMagnitude"] = s_magnitudePoints,
        ["MinMagnitude"] = s_magnitudePoints,
        ["MaxMagnitudeNumber"] = s_magnitudePoints,
        ["MinMagnitudeNumber"] = s_magnitudePoints,
        ["MaxNumber"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["MinNumber"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["MaxNative"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["MinNative"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 1.3, 0.37, 0 } },
        ["ScaleB"] = new[] { new[] { 0.37, 3, 0 }, new[] { -1.3, -2, 0 } },
        ["RootN"] = new[] { new[] { 1.37, 3, 0 }, new[] { 0.6, 2, 0 } },
        ["IEEERemainder"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 2.1, 0.9, 0 } },
        ["Ieee754Remainder"] = new[] { new[] { 0.37, 1.3, 0 }, new[] { 2.1, 0.9, 0 } },
    };

    private static readonly double[][] s_defaultPoints = { new[] { 0.37, 1.3, 0.9 }, new[] { 0.62, -0.45, 1.7 } };

    private static readonly Lazy<Assembly> s_compiled = new(Compile);

    public static TheoryData<string, int, bool> Rules()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var rule in BuiltinRules.All.Where(r => !(r.Name == "Round" && r.Arity > 1)))
        {
            data.Add(rule.Name, rule.Arity, false);
            if (rule.Name != "Sign")
            {
                data.Add(rule.Name, rule.Arity, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_matches_central_finite_differences(string name, int arity, bool isFloat)
    {
        var type = s_compiled.Value.GetType("Rules")!;
        var primal = type.GetMethod(MethodName("F", name, arity, isFloat, -1))!;
        var points = s_points.TryGetValue(name, out var special) ? special : s_defaultPoints;
        foreach (var point in points)
        {
            if (name is "Asin" or "Acos" or "Atanh" or "AsinPi" or "AcosPi" && Math.Abs(point[0]) >= 1)
            {
                continue;
            }

            for (var i = 0; i < arity; i++)
            {
                if (IsIntegerArgument(BuiltinRules.Find(name, arity)!, i))
                {
                    continue;
                }

                var partial = type.GetMethod(MethodName("D", name, arity, isFloat, i))!;
                // The rule's text is seed·∂f/∂argᵢ; seed 1.5 checks that it scales.
                var analytic = Convert.ToDouble(partial.Invoke(null, Arguments(point, name, arity, isFloat, 1.5)), CultureInfo.InvariantCulture) / 1.5;
                var h = isFloat ? 1e-2 : 1e-6;
                double At(double delta)
                {
                    var shifted = (double[])point.Clone();
                    shifted[i] += delta;
                    return Convert.ToDouble(primal.Invoke(null, Arguments(shifted, name, arity, isFloat, null)), CultureInfo.InvariantCulture);
                }

                var numeric = (At(h) - At(-h)) / (2 * h);
                var tolerance = isFloat ? 2e-3 : 1e-7;
                Assert.True(
                    Math.Abs(analytic - numeric) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"{(isFloat ? "MathF" : "Math")}.{name} ∂/∂arg{i} at ({string.Join(", ", point.Take(arity))}): rule {analytic}, finite differences {numeric} (tolerance {tolerance} relative)");
            }
        }
    }

    /// <summary>
    /// The norm's square root (NormRule): Sqrt's partial away from zero, and 0 at zero where Sqrt's is ∞ (PyTorch's norm
    /// backward masks a zero norm), for Math and MathF.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Norm_square_root_is_zero_at_zero_and_sqrt_elsewhere(bool isFloat)
    {
        var type = s_compiled.Value.GetType("Rules")!;
        object Number(double v) => isFloat ? (object)(float)v : v;
        double Partial(string name, double a) => Convert.ToDouble(type.GetMethod(MethodName("D", name, 1, isFloat, 0))!.Invoke(null, new[] { Number(a), Number(1.5) }), CultureInfo.InvariantCulture);
        Assert.Equal(0.0, Partial(NormRule.Function, 0));
        Assert.True(double.IsPositiveInfinity(Partial("Sqrt", 0)));
        foreach (var a in new[] { 0.37, 2.5, 1e-30 })
        {
            Assert.Equal(Partial("Sqrt", a), Partial(NormRule.Function, a));
        }
    }

    [Fact]
    public void Table_covers_the_documented_functions()
    {
        var names = BuiltinRules.All.Select(r => r.Name).ToHashSet();
        foreach (var name in new[] { "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh", "Exp", "Log", "Log10", "Log2", "Sqrt", "Cbrt", "Pow", "Abs", "Min", "Max", "Clamp", "Floor", "Ceiling", "Round", "Truncate", "FusedMultiplyAdd", "CopySign", "Sign" })
        {
            Assert.Contains(name, names);
        }

        Assert.NotNull(BuiltinRules.Find("Log", 1));
        Assert.NotNull(BuiltinRules.Find("Log", 2));
        Assert.All(new[] { "Floor", "Ceiling", "Round", "Truncate", "Sign" }, n => Assert.True(BuiltinRules.Find(n, 1)!.IsPiecewiseConstant));
    }

    private static object[] Arguments(double[] point, string name, int arity, bool isFloat, double? seed)
    {
        var rule = BuiltinRules.Find(name, arity)!;
        var values = point.Take(arity).Select((v, i) => IsIntegerArgument(rule, i) ? (int)v : isFloat ? (object)(float)v : v).ToList();
        if (seed is { } s)
        {
            values.Add(isFloat ? (object)(float)s : s);
        }

        return values.ToArray();
    }

    private static Assembly Compile()
    {
        var source = new StringBuilder("public static class Rules\n{\n");
        foreach (var rule in BuiltinRules.All.Where(r => !(r.Name == "Round" && r.Arity > 1)))
        {
            foreach (var isFloat in new[] { false, true })
            {
                if (isFloat && rule.Name == "Sign")
                {
                    continue;
                }

                var t = isFloat ? "float" : "double";
                var math = isFloat ? "global::System.MathF" : "global::System.Math";
                var parameters = RuleSourceAssembly.Parameters(rule, t);
                var args = Enumerable.Range(0, rule.Arity).Select(i => "a" + i).ToList();
                source.Append($"    public static {t} {MethodName("F", rule.Name, rule.Arity, isFloat, -1)}({parameters}) => ({t})({PrimalCall(rule, isFloat, args)});\n");
                var context = new RuleContext(math, args, "g", isFloat);
                for (var i = 0; i < rule.Arity; i++)
                {
                    var partial = rule.Partial(context, i) ?? (isFloat ? "0f" : "0.0");
                    source.Append($"    public static {t} {MethodName("D", rule.Name, rule.Arity, isFloat, i)}({parameters}, {t} g) => {partial};\n");
                }
            }
        }

        source.Append("}\n");
        return RuleSourceAssembly.Load("Rules", source.ToString(), "The rules' text");
    }
}
