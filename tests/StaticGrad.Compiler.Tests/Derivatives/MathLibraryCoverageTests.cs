using System.Reflection;
using StaticGrad.Compiler.Derivatives;

namespace StaticGrad.Compiler.Tests.Derivatives;

/// <summary>
/// The whole math library has derivatives: every public static function of Math, MathF, double and float (the last two
/// are the generic-math surface of <c>IFloatingPointIeee754&lt;T&gt;</c>) that returns a floating value from numeric
/// arguments has a built-in rule, or an entry below saying why it has none. A function .NET adds fails this test
/// until it is given one or the other.
/// </summary>
public sealed class MathLibraryCoverageTests
{
    /// <summary>Functions with no derivative rule, each with the reason (name/arity).</summary>
    private static readonly Dictionary<string, string> s_withoutDerivative = new()
    {
    };

    public static IEnumerable<(Type Type, MethodInfo Method)> FloatingFunctions() =>
        new[] { typeof(Math), typeof(MathF), typeof(double), typeof(float) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => (t, m)))
            .Where(p => !p.m.IsSpecialName && !p.m.IsGenericMethod)
            .Where(p => p.m.ReturnType == typeof(double) || p.m.ReturnType == typeof(float))
            .Where(p => p.m.GetParameters().Length > 0 && p.m.GetParameters().All(a => !a.ParameterType.IsByRef && (a.ParameterType.IsPrimitive || a.ParameterType.IsEnum)))
            .Where(p => p.m.GetParameters().Any(a => a.ParameterType == typeof(double) || a.ParameterType == typeof(float)));

    [Fact]
    public void Every_floating_function_has_a_rule_or_a_reason()
    {
        var missing = FloatingFunctions()
            .Select(p => (p.Type, Key: p.Method.Name + "/" + p.Method.GetParameters().Length))
            .Where(p => BuiltinRules.Find(p.Key.Split('/')[0], int.Parse(p.Key.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture)) is null && !s_withoutDerivative.ContainsKey(p.Key))
            .Select(p => p.Type.Name + "." + p.Key)
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "No rule and no reason for: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_reasons_name_functions_that_exist_and_have_no_rule()
    {
        var functions = FloatingFunctions().Select(p => p.Method.Name + "/" + p.Method.GetParameters().Length).ToHashSet();
        foreach (var entry in s_withoutDerivative)
        {
            Assert.Contains(entry.Key, functions);
            var parts = entry.Key.Split('/');
            Assert.Null(BuiltinRules.Find(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.False(string.IsNullOrWhiteSpace(entry.Value));
        }
    }

    [Fact]
    public void The_functions_the_issue_names_have_rules()
    {
        foreach (var key in new[]
        {
            "Hypot/2", "Exp2/1", "Exp10/1", "ExpM1/1", "Exp2M1/1", "Exp10M1/1", "LogP1/1", "Log2P1/1", "Log10P1/1", "Lerp/3", "ScaleB/2",
            "ReciprocalEstimate/1", "RootN/2", "SinPi/1", "CosPi/1", "TanPi/1", "Atan2Pi/2", "AsinPi/1", "AcosPi/1", "AtanPi/1",
            "MaxMagnitude/2", "MinMagnitude/2", "CopySign/2", "BitIncrement/1", "BitDecrement/1", "Log/2",
        })
        {
            var parts = key.Split('/');
            Assert.True(BuiltinRules.Find(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)) is not null, key);
        }
    }
}
