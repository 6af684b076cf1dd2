using System.Globalization;
using System.Reflection;
using System.Text;
using StaticGrad.Compiler.Derivatives;
using static StaticGrad.Compiler.Tests.Derivatives.RuleSourceAssembly;

namespace StaticGrad.Compiler.Tests.Derivatives;

/// <summary>
/// The rules whose partials are written with the call's value y (exp′ = y, tanh′ = 1 − y², …): given y as a separate
/// value, as the reverse sweep gives it, each partial is compared with central finite differences of the function
/// (double: h = 1e-6, tolerance 1e-7 relative; float: h = 1e-2, tolerance 2e-3 relative), for Math and MathF.
/// </summary>
public sealed class BuiltinResultFormTests
{
    /// <summary>Points (a, b) inside every function's domain (a log base above 1), away from tan's poles.</summary>
    private static readonly double[][] s_points = { new[] { 0.37, 1.3 }, new[] { 0.62, 2.45 } };

    private static readonly Lazy<Assembly> s_compiled = new(Compile);

    private static IEnumerable<(BuiltinRule Rule, int Index)> ResultForms() =>
        BuiltinRules.All.SelectMany(r => Enumerable.Range(0, r.Arity).Where(r.UsesResult).Select(i => (r, i)));

    public static TheoryData<string, int, int, bool> Partials()
    {
        var data = new TheoryData<string, int, int, bool>();
        foreach (var (rule, index) in ResultForms())
        {
            data.Add(rule.Name, rule.Arity, index, false);
            data.Add(rule.Name, rule.Arity, index, true);
        }

        return data;
    }

    [Fact]
    public void The_rules_expected_to_use_the_result_do()
    {
        var names = ResultForms().Select(f => f.Rule.Name + "/" + f.Rule.Arity + "#" + f.Index).ToHashSet();
        foreach (var expected in new[] { "Exp/1#0", "Tanh/1#0", "Sqrt/1#0", "Cbrt/1#0", "Tan/1#0", "Pow/2#1", "Log/2#1" })
        {
            Assert.Contains(expected, names);
        }

        Assert.DoesNotContain("Sin/1#0", names);
    }

    [Theory]
    [MemberData(nameof(Partials))]
    public void Result_form_matches_central_finite_differences(string name, int arity, int index, bool isFloat)
    {
        var type = s_compiled.Value.GetType("ResultForms")!;
        var primal = type.GetMethod(MethodName("F", name, arity, isFloat, -1))!;
        var partial = type.GetMethod(MethodName("D", name, arity, isFloat, index))!;
        // TanPi is steep at the shared points (float's h = 1e-2 would measure its curvature): gentler ones.
        foreach (var point in name == "TanPi" ? new[] { new[] { 0.1, 0 }, new[] { -0.2, 0 } } : s_points)
        {
            var rule = BuiltinRules.Find(name, arity)!;
            object[] Arguments(double[] p) => p.Take(arity).Select((v, i) => IsIntegerArgument(rule, i) ? (int)v : isFloat ? (object)(float)v : v).ToArray();
            var y = primal.Invoke(null, Arguments(point))!;
            var seed = isFloat ? (object)1.5f : 1.5;
            var analytic = Convert.ToDouble(partial.Invoke(null, Arguments(point).Append(y).Append(seed).ToArray()), CultureInfo.InvariantCulture) / 1.5;
            var h = isFloat ? 1e-2 : 1e-6;
            double At(double delta)
            {
                var shifted = (double[])point.Clone();
                shifted[index] += delta;
                return Convert.ToDouble(primal.Invoke(null, Arguments(shifted)), CultureInfo.InvariantCulture);
            }

            var numeric = (At(h) - At(-h)) / (2 * h);
            var tolerance = isFloat ? 2e-3 : 1e-7;
            Assert.True(
                Math.Abs(analytic - numeric) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                $"{name} ∂/∂arg{index} with y at ({string.Join(", ", point.Take(arity))}): rule {analytic}, finite differences {numeric}");
        }
    }

    private static Assembly Compile()
    {
        var source = new StringBuilder("public static class ResultForms\n{\n");
        foreach (var rule in ResultForms().Select(f => f.Rule).Distinct())
        {
            foreach (var isFloat in new[] { false, true })
            {
                var t = isFloat ? "float" : "double";
                var math = isFloat ? "global::System.MathF" : "global::System.Math";
                var parameters = RuleSourceAssembly.Parameters(rule, t);
                var args = Enumerable.Range(0, rule.Arity).Select(i => "a" + i).ToList();
                source.Append($"    public static {t} {MethodName("F", rule.Name, rule.Arity, isFloat, -1)}({parameters}) => {PrimalCall(rule, isFloat, args)};\n");
                var context = new RuleContext(math, args, "g", isFloat, "y");
                for (var i = 0; i < rule.Arity; i++)
                {
                    if (rule.UsesResult(i))
                    {
                        var text = rule.Partial(context, i)!;
                        // With y given, the partial does not call the function on the same arguments again.
                        Assert.DoesNotContain("." + rule.CalledAs + "(" + string.Join(", ", args) + ")", text);
                        source.Append($"    public static {t} {MethodName("D", rule.Name, rule.Arity, isFloat, i)}({parameters}, {t} y, {t} g) => {text};\n");
                    }
                }
            }
        }

        source.Append("}\n");
        return RuleSourceAssembly.Load("ResultForms", source.ToString(), "The result forms");
    }
}
