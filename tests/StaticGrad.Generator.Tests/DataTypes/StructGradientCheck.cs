using System.Reflection;
using System.Runtime.CompilerServices;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// Checks one [Differentiable] method whose parameters may be structs, configuration objects or scalars, through
/// reflection: its base point comes from <c>{Name}_Args()</c> in the corpus; every floating field of every
/// differentiable argument is a coordinate (fields found by reflection, nested structs flattened, read-only ones too).
/// The contract's <c>{Name}Backward</c> must match central finite differences, accumulate into the adjoints and
/// scale with the seed; <c>{Name}Tangent</c> must give the gradient's directional derivative.
/// </summary>
/// <remarks>
/// Tolerances. double: step 1e-6·(1 + |x|), |backward − fd| ≤ 1e-5·(1 + |fd|). float: the function itself rounds
/// to 1e-7 relative, so the step is 1e-2·(1 + |x|) and the bound 2e-2·(1 + |fd|). Tangent against backward:
/// 1e-9 (double) and 1e-4 (float) relative.
/// </remarks>
internal sealed class StructGradientCheck
{
    private readonly MethodInfo _original;
    private readonly MethodInfo _backward;
    private readonly MethodInfo? _tangent;
    private readonly object? _target;
    private readonly bool _isFloat;
    private readonly bool[] _differentiable;
    private readonly bool _structResult;
    private readonly double[] _weights;
    private readonly object? _resultTemplate;

    public StructGradientCheck(Type type, string name)
    {
        // Reflection cannot pass a span: a method with span parameters or span adjoints (arrays of structs) is reached
        // through the corpus's {Name}_Value, {Name}_Backward and {Name}_Tangent, which take arrays and call it.
        var differentiable = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Single(m => m.Name == name && m.GetCustomAttributes().Any(a => a.GetType().Name == "DifferentiableAttribute"));
        _original = type.GetMethod(name + "_Value") ?? differentiable;
        var parameters = _original.GetParameters();
        _backward = type.GetMethod(name + "_Backward") ?? type.GetMethods().Single(m => m.Name == name + "Backward" && StartsWith(m, parameters) && m.GetParameters()[^1].ParameterType == _original.ReturnType);
        _tangent = type.GetMethod(name + "_Tangent") ?? type.GetMethods().SingleOrDefault(m => m.Name == name + "Tangent" && StartsWith(m, parameters) && m.ReturnType.GetGenericArguments()[0] == _original.ReturnType);
        _target = _original.IsStatic ? null : Activator.CreateInstance(type);
        _isFloat = HasFloatField(_original.Invoke(_target, Args(type, name))) || Args(type, name).Any(HasFloatField);
        _structResult = _original.ReturnType != typeof(float) && _original.ReturnType != typeof(double);
        var backwardNames = _backward.GetParameters().Skip(parameters.Length).Select(p => p.Name).ToHashSet();
        _differentiable = parameters.Select(p => backwardNames.Contains(Adjoint(p.Name!))).ToArray();
        BaseArguments = Args(type, name);
        var result = _original.Invoke(_target, BaseArguments);
        var count = new List<double>();
        Collect(result, count);
        var random = new Random(name.Length);
        _weights = _structResult ? count.Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray() : new[] { 1.0 };
        _resultTemplate = result;
    }

    private static object?[] Args(Type type, string name) => (object?[])type.GetMethod(name + "_Args")!.Invoke(null, null)!;

    private static bool HasFloatField(object? value) =>
        value is float || (value is Array array ? array.Cast<object?>().Any(HasFloatField) : value is not null && !value.GetType().IsPrimitive && Fields(value.GetType()).Any(f => HasFloatField(f.GetValue(value))));

    /// <summary>The seed as the backward takes it: the scale for a scalar result, a value of the result's type (the weights times the scale) otherwise.</summary>
    private object Seed(double scale)
    {
        if (!_structResult)
        {
            return _isFloat ? (object)(float)scale : scale;
        }

        var position = 0;
        return Assign(_resultTemplate, _weights.Select(w => w * scale).ToArray(), ref position)!;
    }

    /// <summary>The scalar the checks differentiate: the result itself, or its dot product with the seed's weights.</summary>
    private double Scalar(object? result)
    {
        var values = new List<double>();
        Collect(result, values);
        return values.Select((v, i) => v * _weights[i]).Sum();
    }

    public object?[] BaseArguments { get; }

    public List<string> Problems { get; } = new();

    public int Compared { get; private set; }

    public MethodInfo Backward => _backward;

    public static string Adjoint(string name) => "d" + (name.Length == 1 ? name : char.ToUpperInvariant(name[0]) + name[1..]);

    /// <summary>The floating coordinates of the differentiable arguments.</summary>
    public double[] Flatten(object?[] arguments)
    {
        var values = new List<double>();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (_differentiable[i])
            {
                Collect(arguments[i], values);
            }
        }

        return values.ToArray();
    }

    public object?[] Unflatten(object?[] template, double[] values)
    {
        var result = (object?[])template.Clone();
        var position = 0;
        for (var i = 0; i < result.Length; i++)
        {
            if (_differentiable[i])
            {
                result[i] = Assign(result[i], values, ref position);
            }
        }

        return result;
    }

    public double Value(object?[] arguments) => Scalar(_original.Invoke(_target, arguments));

    /// <summary>Calls the backward with the given initial adjoints (zero when null) and seed; returns the value and the adjoints, flattened.</summary>
    public (double Value, double[] Adjoints) RunBackward(object?[] arguments, double[]? initial, double seed)
    {
        var parameters = _backward.GetParameters();
        var call = new object?[parameters.Length];
        Array.Copy(arguments, call, arguments.Length);
        var adjointIndex = arguments.Length;
        var zeroAdjoints = Unflatten(arguments, initial ?? new double[Flatten(arguments).Length]);
        for (var i = 0; i < arguments.Length; i++)
        {
            if (_differentiable[i])
            {
                call[adjointIndex++] = zeroAdjoints[i];
            }
        }

        call[^1] = Seed(seed);
        var value = Scalar(_backward.Invoke(_target, call));
        var adjoints = new object?[arguments.Length];
        adjointIndex = arguments.Length;
        for (var i = 0; i < arguments.Length; i++)
        {
            adjoints[i] = _differentiable[i] ? call[adjointIndex++] : arguments[i];
        }

        return (value, Flatten(adjoints));
    }

    public double? RunTangent(object?[] arguments, double[] direction)
    {
        if (_tangent is null)
        {
            return null;
        }

        var tangents = Unflatten(arguments, direction);
        var call = arguments.Concat(Enumerable.Range(0, arguments.Length).Where(i => _differentiable[i]).Select(i => tangents[i])).ToArray();
        var result = (ITuple)_tangent.Invoke(_target, call)!;
        Expect(Close(Scalar(result[0]), Value(arguments), _isFloat ? 1e-5 : 1e-12), $"tangent value {Scalar(result[0])}, the method {Value(arguments)}");
        return Scalar(result[1]);
    }

    public void Check(Random random)
    {
        var arguments = BaseArguments;
        var x = Flatten(arguments);
        var (value, gradient) = RunBackward(arguments, null, 1.0);
        Expect(Close(value, Value(arguments), _isFloat ? 1e-5 : 1e-12), $"backward returned {value}, the method {Value(arguments)}");
        var step = _isFloat ? 1e-2 : 1e-6;
        var bound = _isFloat ? 2e-2 : 1e-5;
        var fd = new double[x.Length];
        for (var k = 0; k < x.Length; k++)
        {
            var h = step * (1 + Math.Abs(x[k]));
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[k] += h;
            minus[k] -= h;
            var up = Unflatten(arguments, plus);
            var down = Unflatten(arguments, minus);
            var hPlus = Flatten(up)[k] - x[k];
            var hMinus = x[k] - Flatten(down)[k];
            fd[k] = (Value(up) - Value(down)) / (hPlus + hMinus);
            Compared++;
            Expect(Math.Abs(gradient[k] - fd[k]) <= bound * (1 + Math.Abs(fd[k])), $"coordinate {k}: backward {gradient[k]}, central differences {fd[k]}");
        }

        var initial = x.Select(_ => random.NextDouble() - 0.5).ToArray();
        var (_, accumulated) = RunBackward(arguments, initial, -1.75);
        for (var k = 0; k < x.Length; k++)
        {
            Expect(Close(accumulated[k], initial[k] - 1.75 * gradient[k], _isFloat ? 1e-4 : 1e-9), $"coordinate {k}: with seed -1.75 onto {initial[k]} the adjoint is {accumulated[k]}, expected {initial[k] - 1.75 * gradient[k]}");
        }

        var direction = x.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var tangent = RunTangent(arguments, direction);
        Expect(tangent is not null, "no {Name}Tangent taking the declared parameter types");
        if (tangent is { } t)
        {
            var expected = gradient.Select((g, k) => g * direction[k]).Sum();
            Expect(Close(t, expected, _isFloat ? 1e-4 : 1e-9), $"tangent {t}, gradient · direction {expected}");
        }
    }

    private void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            Problems.Add(problem);
        }
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * (1 + Math.Abs(b));

    private static bool StartsWith(MethodInfo method, ParameterInfo[] parameters)
    {
        var actual = method.GetParameters();
        return actual.Length >= parameters.Length && parameters.Select((p, i) => p.ParameterType == actual[i].ParameterType).All(b => b);
    }

    private static void Collect(object? value, List<double> values)
    {
        switch (value)
        {
            case double d:
                values.Add(d);
                return;
            case float f:
                values.Add(f);
                return;
            case null:
                return;
            case Array array:
                foreach (var element in array)
                {
                    Collect(element, values);
                }

                return;
        }

        var type = value.GetType();
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum)
        {
            return;
        }

        foreach (var field in Fields(type))
        {
            Collect(field.GetValue(value), values);
        }
    }

    private static object? Assign(object? value, double[] values, ref int position)
    {
        switch (value)
        {
            case double:
                return values[position++];
            case float:
                return (float)values[position++];
            case null:
                return null;
            case Array { Rank: 2 } matrix:
                {
                    var copy = (Array)matrix.Clone();
                    for (var i = 0; i < copy.GetLength(0); i++)
                    {
                        for (var j = 0; j < copy.GetLength(1); j++)
                        {
                            copy.SetValue(Assign(copy.GetValue(i, j), values, ref position), i, j);
                        }
                    }

                    return copy;
                }

            case Array array:
                {
                    var copy = (Array)array.Clone();
                    for (var i = 0; i < copy.Length; i++)
                    {
                        copy.SetValue(Assign(copy.GetValue(i), values, ref position), i);
                    }

                    return copy;
                }
        }

        var type = value.GetType();
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum)
        {
            return value;
        }

        var boxed = RuntimeHelpers.GetObjectValue(value);
        foreach (var field in Fields(type))
        {
            field.SetValue(boxed, Assign(field.GetValue(boxed), values, ref position));
        }

        return boxed;
    }

    private static IEnumerable<FieldInfo> Fields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken);
}
