using System.Globalization;
using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The batch's struct- and tuple-returning helpers carry <c>[Differentiable(Jacobian = true)]</c>: each generated
/// <c>{Name}Jacobian</c> is compared with central differences of the helper, every floating field with respect to both
/// arguments, at <see cref="Points"/> points. Two step sizes (double 1e-5 and 5e-6, float 2e-2 and 1e-2) must agree
/// first, otherwise a kink lies within them and the entry is skipped; then |J − fd| ≤ 1e-5·max(1, |fd|) (double) or
/// 5e-2·max(1, |fd|) (float).
/// </summary>
internal static class JacobianCheck
{
    public const int Points = 3;

    /// <summary>The problems found (empty when every Jacobian matches), and how many entries were compared and skipped.</summary>
    public static (List<string> Problems, int Compared, int Skipped) Run(CompiledBatch compiled, int batchSeed)
    {
        var problems = new List<string>();
        int compared = 0, skipped = 0;
        if (compiled.Output is not { } output)
        {
            return (problems, 0, 0);
        }

        var helpers = output.Assembly.GetTypes().Single(t => t.Name == "Helpers");
        var random = new Random(batchSeed);
        foreach (var name in ProgramGenerator.ResultHelperNames.Order(StringComparer.Ordinal))
        {
            var primal = helpers.GetMethod(name);
            var jacobian = helpers.GetMethod(name + "Jacobian");
            if (primal is null || jacobian is null)
            {
                problems.Add($"Batch {batchSeed.ToString(CultureInfo.InvariantCulture)}: {name} has no generated {name}Jacobian.");
                continue;
            }

            var isFloat = primal.GetParameters().Any(p => p.ParameterType == typeof(float)) || primal.ReturnType.GetFields().Any(f => f.FieldType == typeof(float));
            var fields = primal.ReturnType.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType == typeof(double) || f.FieldType == typeof(float)).ToArray();
            if (jacobian.GetParameters().Length != 2 + (2 * fields.Length))
            {
                problems.Add($"{name}Jacobian takes {jacobian.GetParameters().Length} parameters, expected the 2 arguments and an adjoint of each per floating field ({fields.Length}).");
                continue;
            }
            for (var point = 0; point < Points; point++)
            {
                var x = new[] { (random.NextDouble() * 2) - 1, (random.NextDouble() * 2) - 1 };
                var parameters = jacobian.GetParameters();
                var arguments = new object[parameters.Length];
                for (var k = 0; k < arguments.Length; k++)
                {
                    arguments[k] = Argument(parameters[k], k < 2 ? x[k] : 0);
                }

                try
                {
                    jacobian.Invoke(null, arguments);
                }
                catch (TargetInvocationException e)
                {
                    problems.Add($"{name}Jacobian threw at ({x[0]}, {x[1]}): {e.InnerException?.Message}");
                    continue;
                }

                for (var f = 0; f < fields.Length; f++)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        double Difference(double h)
                        {
                            var plus = (double[])x.Clone();
                            var minus = (double[])x.Clone();
                            plus[i] += h;
                            minus[i] -= h;
                            return (Field(primal, fields[f], plus) - Field(primal, fields[f], minus)) / (2 * h);
                        }

                        // Three step sizes: two that straddle a kink close to the point agree on the average of its two
                        // sides (batch 20262322: Max(cos(u0), |r|) with its arguments 0.0019 apart, float steps 2e-2 and
                        // 1e-2), a smaller one does not, and the point is skipped as for the gradients' TwoStepCheck.
                        var (wide, narrow, fine) = isFloat ? (Difference(2e-2), Difference(1e-2), Difference(2.5e-3)) : (Difference(1e-5), Difference(5e-6), Difference(1e-6));
                        var tolerance = isFloat ? 5e-2 : 1e-5;
                        if (!double.IsFinite(narrow) || Math.Abs(wide - narrow) > tolerance * Math.Max(1, Math.Abs(narrow))
                            || Math.Abs(fine - narrow) > tolerance * Math.Max(1, Math.Abs(narrow)))
                        {
                            skipped++;
                            continue;
                        }

                        compared++;
                        var entry = Convert.ToDouble(arguments[2 + (f * 2) + i], CultureInfo.InvariantCulture);
                        if (!(Math.Abs(entry - narrow) <= tolerance * Math.Max(1, Math.Abs(narrow))))
                        {
                            problems.Add($"Batch {batchSeed.ToString(CultureInfo.InvariantCulture)}: {name}Jacobian ∂{fields[f].Name}/∂argument {i} at ({x[0]}, {x[1]}) is {entry}, central differences {narrow}.");
                        }
                    }
                }
            }
        }

        return (problems, compared, skipped);
    }

    private static object Argument(ParameterInfo parameter, double value)
    {
        var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
        return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    private static double Field(MethodInfo primal, FieldInfo field, double[] x) =>
        Convert.ToDouble(field.GetValue(primal.Invoke(null, new[] { Argument(primal.GetParameters()[0], x[0]), Argument(primal.GetParameters()[1], x[1]) })), CultureInfo.InvariantCulture);
}
