using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>The corpus compiled once with the generator (asserted free of diagnostics), and reflection helpers over it.</summary>
internal static class TensorCorpusAssembly
{
    private static readonly Lazy<Type> s_ops = new(() => GeneratorHarness.CompileAndLoad(TensorCorpus.Source).GetType("Corpus.Ops", throwOnError: true)!);

    public static MethodInfo Method(string name) => s_ops.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    /// <summary>Deterministic inputs for a case: one tensor per shape (positive where the case needs it).</summary>
    public static Tensor[] Inputs(string name, long seed)
    {
        var (shapes, positive) = TensorCorpus.Cases[name];
        return shapes.Select((shape, i) => positive
            ? Tensor.Rand(shape, seed + i) + 0.5
            : Tensor.Randn(shape, seed + i)).ToArray();
    }

    /// <summary>The arguments of the original method: the tensors in order, and fixed values for scalar parameters.</summary>
    public static object[] Arguments(MethodInfo method, IReadOnlyList<Tensor> tensors)
    {
        var next = 0;
        return method.GetParameters().Select(p => p.ParameterType == typeof(Tensor) ? tensors[next++] : p.ParameterType == typeof(int) ? 3 : (object)0.7).ToArray();
    }

    public static bool IsDifferentiable(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(Tensor) && parameter.GetCustomAttribute<NoGradAttribute>() is null;

    public static Tensor Call(string name, IReadOnlyList<Tensor> tensors)
    {
        var method = Method(name);
        return (Tensor)method.Invoke(null, Arguments(method, tensors))!;
    }

    public static Tensor Fused(string name, IReadOnlyList<Tensor> tensors)
    {
        var method = Method(name);
        return (Tensor)Method(name + "Fused").Invoke(null, Arguments(method, tensors))!;
    }

    /// <summary>Calls <c>{name}Backward</c> with null adjoints; returns the value and each differentiable tensor's adjoint (null when none flowed).</summary>
    public static (Tensor Value, Tensor?[] Gradients) Backward(string name, IReadOnlyList<Tensor> tensors, Tensor? seed, Tensor?[]? initial = null)
    {
        var method = Method(name);
        var arguments = Arguments(method, tensors).Cast<object?>().ToList();
        var differentiable = method.GetParameters().Where(IsDifferentiable).ToList();
        for (var i = 0; i < differentiable.Count; i++)
        {
            arguments.Add(initial?[i]);
        }

        arguments.Add(seed);
        var all = arguments.ToArray();
        var value = (Tensor)Method(name + "Backward").Invoke(null, all)!;
        var offset = method.GetParameters().Length;
        return (value, Enumerable.Range(0, differentiable.Count).Select(i => (Tensor?)all[offset + i]).ToArray());
    }

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), what + ": shape [" + string.Join(", ", actual.Shape) + "], expected [" + string.Join(", ", expected.Shape) + "]");
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (var i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])), what + "[" + i + "]: " + a[i] + ", expected " + e[i]);
        }
    }
}
