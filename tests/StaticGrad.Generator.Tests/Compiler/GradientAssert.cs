using System.Globalization;
using System.Reflection;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>
/// Checks a generated <c>{Name}Backward</c> against central finite differences of the original method, through
/// reflection (scalar parameters only: spans cannot cross reflection; array tests call a wrapper in their source).
/// </summary>
public static class GradientAssert
{
    /// <summary>
    /// Calls the backward with adjoints pre-set to 0.5 and seed 1.5, and asserts each adjoint equals
    /// 0.5 + 1.5·(central difference) within <paramref name="tolerance"/>·max(1, |derivative|); also that the
    /// returned value equals the original method's.
    /// </summary>
    public static void MatchesFiniteDifferences(Assembly assembly, string typeName, string methodName, object[] arguments, double tolerance = 1e-6)
    {
        var type = assembly.GetType(typeName) ?? throw new InvalidOperationException("No type " + typeName);
        var method = type.GetMethods().Single(m => m.Name == methodName && m.GetParameters().Length == arguments.Length && m.ReturnType != typeof(Tensor));
        var backward = type.GetMethod(methodName + "Backward") ?? throw new InvalidOperationException("No " + methodName + "Backward was generated");
        var target = method.IsStatic ? null : Activator.CreateInstance(type);
        var parameters = method.GetParameters();
        var isFloat = method.ReturnType == typeof(float);
        var differentiable = parameters
            .Where(p => (p.ParameterType == typeof(double) || p.ParameterType == typeof(float)) && p.GetCustomAttribute<NoGradAttribute>() is null)
            .ToArray();

        var backwardArguments = new object[arguments.Length + differentiable.Length + 1];
        arguments.CopyTo(backwardArguments, 0);
        for (var k = 0; k < differentiable.Length; k++)
        {
            backwardArguments[arguments.Length + k] = Convert.ChangeType(0.5, differentiable[k].ParameterType, CultureInfo.InvariantCulture);
        }

        backwardArguments[^1] = Convert.ChangeType(1.5, method.ReturnType, CultureInfo.InvariantCulture);
        var value = Convert.ToDouble(backward.Invoke(target, backwardArguments), CultureInfo.InvariantCulture);
        var expectedValue = Convert.ToDouble(method.Invoke(target, arguments), CultureInfo.InvariantCulture);
        Assert.True(value.Equals(expectedValue) || Math.Abs(value - expectedValue) <= 1e-12 * Math.Max(1, Math.Abs(expectedValue)), $"{methodName}: backward returned {value}, the method {expectedValue}");

        for (var k = 0; k < differentiable.Length; k++)
        {
            var index = differentiable[k].Position;
            var x = Convert.ToDouble(arguments[index], CultureInfo.InvariantCulture);
            var h = (isFloat || differentiable[k].ParameterType == typeof(float) ? 1e-2 : 1e-5) * Math.Max(1, Math.Abs(x));
            double Evaluate(double at)
            {
                var shifted = (object[])arguments.Clone();
                shifted[index] = Convert.ChangeType(at, differentiable[k].ParameterType, CultureInfo.InvariantCulture);
                return Convert.ToDouble(method.Invoke(target, shifted), CultureInfo.InvariantCulture);
            }

            var numeric = (Evaluate(x + h) - Evaluate(x - h)) / (2 * h);
            var adjoint = Convert.ToDouble(backwardArguments[arguments.Length + k], CultureInfo.InvariantCulture);
            var analytic = (adjoint - 0.5) / 1.5;
            Assert.True(
                Math.Abs(analytic - numeric) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                $"{methodName}: d/d{differentiable[k].Name} = {analytic.ToString("R", CultureInfo.InvariantCulture)} but finite differences give {numeric.ToString("R", CultureInfo.InvariantCulture)} (tolerance {tolerance} relative)");
        }
    }
}
