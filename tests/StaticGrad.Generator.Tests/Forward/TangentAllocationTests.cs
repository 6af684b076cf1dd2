using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// Forward mode needs no tape: scalar code allocates nothing, and the tangents of local arrays come from the pool, so
/// code with loops and local arrays allocates nothing per call in steady state either. Measured inside the compiled
/// code (reflection would allocate) with the allocation counter of the current thread.
/// </summary>
public sealed class TangentAllocationTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Samples;

        public static partial class Functions
        {
            [Differentiable]
            public static double Scalar(double x, double y) => Math.Sin(x * y) + Square(x) / (1 + y * y);

            [Differentiable]
            public static double Square(double x) => x * x;

            [Differentiable]
            public static double Arrays(double[] c, double x)
            {
                var prefix = new double[c.Length];
                Span<double> squares = stackalloc double[c.Length];
                var acc = 0.0;
                for (var i = 0; i < c.Length; i++)
                {
                    acc = acc * x + c[i];
                    prefix[i] = acc;
                    squares[i] = acc * acc;
                    if (acc > 1e9)
                    {
                        return acc;
                    }
                }

                var total = 0.0;
                for (var i = 0; i < c.Length; i++)
                {
                    total += prefix[i] * squares[i];
                }

                return total;
            }
        }

        public static class Check
        {
            public static long ScalarBytes()
            {
                var sum = 0.0;
                for (var i = 0; i < 100; i++) sum += Functions.ScalarTangent(0.3, i * 0.01, 1.0, 0.5).Tangent;
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 10_000; i++) sum += Functions.ScalarTangent(0.3, i * 0.01, 1.0, 0.5).Tangent;
                return GC.GetAllocatedBytesForCurrentThread() - before + (sum > double.MaxValue ? 1 : 0);
            }

            public static long ArrayBytes()
            {
                var c = new double[] { 0.5, -0.25, 1.5, 2.0 };
                var dc = new double[] { 1.0, 0.0, -1.0, 0.5 };
                var sum = 0.0;
                for (var i = 0; i < 100; i++) sum += Functions.ArraysTangent(c, 0.9, dc, 1.0).Tangent;
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 10_000; i++) sum += Functions.ArraysTangent(c, 0.9, dc, 1.0).Tangent;
                return GC.GetAllocatedBytesForCurrentThread() - before + (sum > double.MaxValue ? 1 : 0);
            }
        }
        """;

    private static readonly Lazy<Type> s_check = new(() => GeneratorHarness.CompileAndLoad(Source).GetType("Samples.Check")!);

    [Fact]
    public void Scalar_tangent_allocates_nothing()
    {
        Assert.Equal(0L, (long)s_check.Value.GetMethod("ScalarBytes", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!);
    }

    [Fact]
    public void Tangent_with_loops_and_local_arrays_allocates_only_the_original_arrays()
    {
        // The original method's own 'new double[4]' (56 bytes incl. header) remains per call; the tangent adds nothing.
        var bytes = (long)s_check.Value.GetMethod("ArrayBytes", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
        Assert.Equal(10_000L * 56, bytes);
    }
}
