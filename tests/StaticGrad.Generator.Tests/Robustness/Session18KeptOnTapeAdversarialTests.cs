using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 18's lstm18 (18e3689..d041617, <c>ReverseModeTransformer.SavedBuiltins.cs</c>):
/// inside loops a library call the statement always evaluates and whose value its reverse reads is pushed after the
/// statement and popped before its reverse; unread pushes are removed by <c>IndentedWriter.RemoveLinesContaining</c>.
/// Attacks: several and nested kept calls in one statement, the same call text twice, compound assignments, while/do
/// loops with break/continue/early return, if arms, fused loops and slots, an inner loop reversed in forward order,
/// MathF, Pow with an active exponent, the call's argument the target or overwritten later, calls in a
/// [Differentiable] callee's argument, hostile names (<c>_m0</c>, <c>_m1</c>, <c>_tape</c>, <c>Push</c>, a user
/// <c>Tanh</c>), strings holding the push marker, Forward/Hessian opt-ins (their generated files must compile).
/// One compiled batch; each Backward compared against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1, |fd|) plus the rounding bound, float 2e-3),
/// which also fails a backward that leaves values on the tape.
/// </summary>
public sealed class Session18KeptOnTapeAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review18;

        public static partial class K
        {
            // Nested kept calls: exp(tanh(.)) — both values read by the reverse.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double NestedExpTanh(double[] a, double x)
            {
                double s = 0.3;
                for (int i = 0; i < a.Length; i++)
                    s = s * Math.Exp(Math.Tanh(s * a[i] + x)) + a[i];
                return s;
            }

            // Nested kept calls whose inner argument does not read the statement's target.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double NestedNoTarget(double[] a, double x)
            {
                double s = 0.3;
                for (int i = 0; i < a.Length; i++)
                    s = s * Math.Exp(Math.Tanh(a[i] * x)) + a[i];
                return s;
            }

            // Three levels and a second kept call in the same statement.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ThreeLevels(double[] a, double x)
            {
                double s = 0.2;
                for (int i = 0; i < a.Length; i++)
                    s = Math.Sin(Math.Exp(Math.Tanh(s + a[i]))) * Math.Cos(x * s) + x * a[i];
                return s * x;
            }

            // The same call text twice in one statement.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SameTextTwice(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                    s = Math.Exp(a[i] * s) * x + Math.Exp(a[i] * s) * s + Math.Tanh(x * s);
                return s;
            }

            // Compound assignments.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double Compound(double[] a, double x)
            {
                double s = 0, p = 1, q = 2;
                for (int i = 0; i < a.Length; i++)
                {
                    s += Math.Exp(a[i] * x);
                    p *= Math.Tanh(a[i] + x) + 1.5;
                    p *= Math.Exp(-p * p * 0.05);
                    q -= Math.Sin(q * a[i]) * x;
                    q /= 1.5 + Math.Cos(q);
                }

                return s + p * q;
            }

            // Compound stores into array elements.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double CompoundStore(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    b[i] = a[i];
                for (int i = 0; i < a.Length; i++)
                {
                    b[i] *= Math.Exp(b[i] * x);
                    b[(i + 1) % b.Length] += Math.Tanh(b[i]) * x;
                }

                return b[0] + b[1] * b[2] + b[3] * b[4];
            }

            // A while loop with break after the kept statement.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double WhileBreak(double[] a, double x)
            {
                double s = 0.4;
                int i = 0;
                while (i < a.Length)
                {
                    s = s * Math.Exp(a[i] * x) + Math.Tanh(s);
                    if (a[i] > 0.7) break;
                    s = s * Math.Cos(s * x);
                    i = i + 1;
                }

                return s;
            }

            // A do loop with continue after the kept statement.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double DoContinue(double[] a, double x)
            {
                double s = 0.4;
                int i = 0;
                do
                {
                    s = s * Math.Tanh(a[i] + x) + Math.Exp(s * 0.3);
                    i = i + 1;
                    if (a[i - 1] < 0) continue;
                    s = Math.Log(1.5 + s * s) * x;
                }
                while (i < a.Length);

                return s;
            }

            // Early return inside the loop after the kept statement.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double EarlyReturn(double[] a, double x)
            {
                double s = 0.4;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s * Math.Exp(a[i] * x) + Math.Sin(s);
                    if (a[i] > 0.6) return s * Math.Tanh(x * s);
                    s = s * Math.Tanh(s + a[i]);
                }

                return s;
            }

            // if / else-if arms inside the loop, each with kept calls, the same text in two arms.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double ArmsSameText(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    if (a[i] > 0.3)
                        s = s * Math.Exp(x * s);
                    else if (a[i] > -0.3)
                        s = x * Math.Exp(x * s);
                    else
                    {
                        s = Math.Tanh(s) * Math.Tanh(x);
                        s = s + Math.Exp(x * s) * a[i];
                    }
                }

                return s;
            }

            // Kept call inside a ?: (not kept) and right of && (not kept), with a kept call in the same statement.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double Conditional(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    s = Math.Exp(s * x) * (a[i] > 0 ? Math.Tanh(s) : Math.Sin(s)) + a[i];
                    bool big = a[i] > 0 && Math.Exp(s) > 1.5;
                    if (big) s = s * Math.Tanh(s * x);
                }

                return s;
            }

            // A fused reduction loop: kept calls in the fused iteration and in an inner loop with slots.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double FusedSlots(double[] a, double x)
            {
                double total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    double p = Math.Exp(a[i] * x);
                    for (int j = 0; j < 3; j++)
                    {
                        double r = Math.Tanh(p * a[j] + x);
                        p = p * r + Math.Sin(r * p);
                    }

                    total += p * Math.Tanh(p);
                }

                return total;
            }

            // GMM's forward-order inner loop beside kept calls in the outer loop.
            // domain: icf[10]=-1..1 x[4]=-1..1 d=4..4
            [Differentiable]
            public static double ForwardOrderInner(double[] icf, double[] x, int d)
            {
                double total = 0;
                for (int r = 0; r < 2; r++)
                {
                    double row = 0;
                    int lower = 0;
                    for (int col = 0; col < d; col++)
                    {
                        row += icf[lower] * x[col];
                        lower += 1;
                    }

                    total = total * Math.Exp(row * 0.3) + Math.Tanh(row + total);
                }

                return total;
            }

            // float: MathF calls kept.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static float FloatNested(float[] a, float x)
            {
                float s = 0.3f;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s * MathF.Exp(MathF.Tanh(s * a[i] + x)) + MathF.Sin(a[i]) * MathF.Cos(s);
                    s *= MathF.Exp(-0.2f * s * s);
                }

                return s;
            }

            // Pow with an active exponent and an active base.
            // domain: a[5]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double PowActive(double[] a, double x)
            {
                double s = 1.2;
                for (int i = 0; i < a.Length; i++)
                {
                    s = Math.Pow(s, 0.5 + 0.3 * a[i] * x) + 0.5;
                    s = Math.Pow(1.5 + a[i] * 0.5, s * x) * 0.7 + 0.5;
                    s = Math.Pow(s, x);
                }

                return s;
            }

            // The call's argument is the target: x = exp(x) * y, and its argument overwritten after the statement.
            // domain: a[4]=-1..1 x=-1..1 y=-1..1
            [Differentiable]
            public static double TargetIsArgument(double[] a, double x, double y)
            {
                double t = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    x = Math.Exp(x) * y * 0.5;
                    y = Math.Tanh(y + a[i]) * x + y;
                    t = Math.Sin(t + y) * x;
                    y = y * 0.5 + a[i];
                    x = x * 0.3 + t;
                }

                return x * y + t;
            }

            // A [Differentiable] callee.
            // domain: u=-1..1 v=-1..1
            [Differentiable]
            public static double Helper(double u, double v) => Math.Tanh(u) * v + Math.Exp(u * v * 0.5);

            // Kept calls inside the callee's argument and beside the call.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double CalleeArguments(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    s = 0.5 * Helper(Math.Exp(a[i] * s) * s, x) * Math.Tanh(s + x);
                    s = 0.5 * Helper(s, Math.Sin(x * s)) + Math.Exp(-s * s);
                }

                return s;
            }

            // Locals named like the kept locals, the tape and its Push.
            // domain: a[4]=-1..1 _m0=-1..1 _m2=-1..1
            [Differentiable]
            public static double HostileLocals(double[] a, double _m0, double _m2)
            {
                double _tape = 1, _m1 = 0, Push = 0.5, _tape0 = 0.2;
                for (int i = 0; i < a.Length; i++)
                {
                    _m1 = _tape * Math.Exp(Math.Tanh(a[i] * _m0)) + _m2;
                    Push = Push * Math.Sin(_m1) + Math.Tanh(Push * _m2);
                    _tape = _m1 * Math.Tanh(_tape) + _m0 * Push;
                    _tape0 = _tape0 * Math.Exp(_tape0 * _m2);
                }

                return _tape + _m1 + Push + _tape0;
            }

            // A user method named Tanh beside Math.Tanh.
            // domain: u=-1..1
            [Differentiable]
            public static double Tanh(double u) => u / (1.0 + u * u);

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double UserTanh(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    s = Tanh(s * x) * Math.Tanh(s + a[i]) + Math.Tanh(Tanh(s));
                    s = Math.Exp(Tanh(a[i] * s)) * s;
                }

                return s;
            }

            // A string holding the push marker's character in a guard inside the loop.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double MarkerInString(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    if (s > 1e6) throw new ArgumentException("marker \u0003 here \u0001 and \u0002");
                    s = s * Math.Exp(a[i] * x) + Math.Tanh(s);
                }

                return s;
            }

            // Kept values read after the loop's counter changed: the loop index is the argument.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double IndexArgument(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s + Math.Exp(i * x * 0.2) * a[i] * Math.Sin(x * i);
                    s = s * Math.Tanh(s + i * 0.1);
                }

                return s;
            }

            // Nested loops, both kept, a triangular inner bound, Atan2 and Hypot.
            // domain: a[4]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double NestedLoops(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s * Math.Atan2(s + 2.0, x) + a[i];
                    for (int j = 0; j <= i; j++)
                        s = Math.Exp(Math.Atan(s * a[j])) * x - Math.Cosh(a[j] * s * 0.3);
                }

                return s;
            }

            // Kept calls in the arguments of a tuple-returning callee whose fields are read by two statements (one forward call, shared).
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double TupleCallee(double[] a, double x)
            {
                double s = 0.4, t = 0.1;
                for (int i = 0; i < a.Length; i++)
                {
                    var r = Pair(Math.Exp(a[i] * x) * s, Math.Tanh(s + t));
                    s = r.Value * 0.5 + Math.Tanh(r.Slope);
                    t = r.Slope * 0.3 * Math.Exp(-t * t);
                }

                return s + t;
            }

            // A Rosenbrock-shaped fused loop (carried adjoint elements) whose iteration runs an inner loop with kept calls.
            // domain: x[5]=-1..1
            [Differentiable]
            public static double CarriedInner(double[] x)
            {
                double total = 0;
                for (int i = 0; i < x.Length - 1; i++)
                {
                    double d = x[i + 1] - x[i] * x[i];
                    double p = d;
                    for (int j = 0; j < 2; j++)
                        p = p * Math.Tanh(p + x[i]) + Math.Exp(-p * p) * 0.1;
                    total += 10.0 * d * d + Math.Exp(0.1 * p) * (1.0 - x[i]);
                }

                return total;
            }

            // Consecutive accumulations (merged updates) with kept calls.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double MergedAccumulations(double[] a, double x)
            {
                double s = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    s += Math.Exp(a[i] * x);
                    s += Math.Tanh(a[i] * x) * x;
                    s += double.Hypot(a[i], x) * Math.Sin(x);
                }

                return s;
            }

            // A store whose index variable changes after the statement; the stored element is the call's argument.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double MovingIndex(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    b[i] = a[i] + x;
                int k = 0;
                while (k < b.Length - 1)
                {
                    b[k] = Math.Exp(b[k] * 0.5) * b[k + 1];
                    k = k + 1;
                    b[k] = Math.Tanh(b[k] + b[k - 1]) * x;
                }

                return b[0] + b[2] * b[4] + b[5];
            }

            // Kept calls on inactive values (no reverse reads them: the pushes must go) beside active ones.
            // domain: a[5]=-1..1 c[5]=-1..1 x=-1..1
            [Differentiable]
            public static double InactiveKept(double[] a, [NoGrad] double[] c, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    double w = Math.Exp(c[i]) * Math.Tanh(c[i] * 2.0);
                    s = s * w + Math.Tanh(w * x) * a[i];
                }

                return s;
            }

            // Recursion inside the loop: the callee's backward runs between the caller's pops.
            // domain: a[3]=-1..1 x=-1..1 depth=0..2
            [Differentiable]
            public static double Recursive(double[] a, double x, int depth)
            {
                double s = x;
                for (int i = 0; i < a.Length; i++)
                {
                    double inner = depth > 0 ? Recursive(a, s * 0.5, depth - 1) : 0.0;
                    s = s * Math.Tanh(a[i] + s) + inner * Math.Exp(-s * s);
                }

                return s;
            }

            // Forward / Hessian opt-ins on methods with kept calls in loops.
            // domain: u=-1..1 v=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessLoop(double u, double v)
            {
                double s = u;
                for (int i = 0; i < 3; i++)
                    s = s * Math.Exp(Math.Tanh(s * v)) + Math.Sin(u * s);
                return s;
            }

            // domain: u=-1..1 v=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessCompound(double u, double v)
            {
                double s = 0, p = 1;
                int k = 0;
                while (k < 3)
                {
                    s += Math.Exp(u * v * k * 0.3);
                    p *= Math.Tanh(s * v) + 1.2;
                    k = k + 1;
                }

                return s * p;
            }
        }
        """;

    // Helpers that are not methods under test (tuple results), compiled with the callers.
    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace Review18;

        public static partial class K
        {
            [Differentiable]
            public static (double Value, double Slope) Pair(double x, double y)
            {
                var e = Math.Exp(0.5 * x * y);
                return (e + x, e * y - Math.Sin(x));
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);
    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, Helpers }, s_methods));

    private const string HessianProbe = """
        using System;
        using Review18;

        namespace Review18.Probes;

        public static class Check
        {
            public static void HessLoopG(double[] p, double[] g) => K.HessLoopBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessLoopHv(double[] p, double[] v, double[] hv) => K.HessLoopHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessLoopH(double[] p, double[] h) => K.HessLoopHessian(p[0], p[1], h);
            public static double HessLoopT(double[] p, double[] v) => K.HessLoopTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessLoopF(double[] p) => K.HessLoop(p[0], p[1]);

            public static void HessCompoundG(double[] p, double[] g) => K.HessCompoundBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double HessCompoundHv(double[] p, double[] v, double[] hv) => K.HessCompoundHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void HessCompoundH(double[] p, double[] h) => K.HessCompoundHessian(p[0], p[1], h);
            public static double HessCompoundT(double[] p, double[] v) => K.HessCompoundTangent(p[0], p[1], v[0], v[1]).Tangent;
            public static double HessCompoundF(double[] p) => K.HessCompound(p[0], p[1]);
        }
        """;

    private static readonly Lazy<(Assembly? Assembly, Dictionary<string, string> Failures)> s_probes = new(() =>
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var trees = new Dictionary<SyntaxTree, string> { [CSharpSyntaxTree.ParseText(HessianProbe, GeneratorHarness.ParseOptions, path: "HessianProbe18.cs")] = "Hessians" };
        var loaded = ProbeCompilation.Load(batch, trees, "Probes18", out var context);
        s_probeContext = context;
        return loaded;
    });

    // Held so that the probes' collectible context is not unloaded while the tests use it.
    private static AssemblyLoadContext? s_probeContext;

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Generator_reports_nothing(string key)
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        var diagnostics = batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new List<Microsoft.CodeAnalysis.Diagnostic>();
        Assert.True(diagnostics.Count == 0, key + ":\n" + string.Join("\n", diagnostics));
    }

    /// <summary>The user's string keeps its marker-like characters, and its throw line survives the push-line removal.</summary>
    [Fact]
    public void User_string_with_marker_characters_survives()
    {
        var generated = s_batch.Value.GeneratedSource.GetValueOrDefault("K.MarkerInString") ?? string.Empty;
        Assert.Contains("ArgumentException", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0003", generated, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kept values really are popped: the backward evaluates these calls only in the forward. Known miss (speed only,
    /// gradients right; found by session 18's review, not fixed): the OUTER call of a nested pair
    /// (<c>Math.Exp(Math.Tanh(u))</c>, <c>MathF.Exp(MathF.Tanh(u))</c>) is evaluated again — only the inner Tanh is
    /// pushed; the reverse binds <c>_e = _m1</c> and calls <c>Exp(_e)</c> (the Tanh text repeats in tanh′ and is bound to a
    /// temporary before the kept calls are read, so the outer text no longer matches). Those rows assert today's count
    /// (one more than the forward's) so that a fix shows up here.
    /// </summary>
    [Theory]
    [InlineData("K.NestedExpTanh", "Exp", 2)]
    [InlineData("K.NestedExpTanh", "Tanh", 1)]
    [InlineData("K.NestedNoTarget", "Exp", 2)]
    [InlineData("K.NestedNoTarget", "Tanh", 1)]
    [InlineData("K.Compound", "Exp", 2)]
    [InlineData("K.CompoundStore", "Exp", 1)]
    [InlineData("K.WhileBreak", "Exp", 1)]
    [InlineData("K.FloatNested", "Exp", 3)]
    public void Backward_calls_the_function(string key, string function, int expected) => KeptBuiltinTests.AssertBackwardCalls(s_batch.Value, key, function, expected);

    /// <summary>The Hessian (reverse over the forward, whose backward keeps calls on the tape) against differences of the gradient; the tangent against central differences.</summary>
    [Theory]
    [InlineData("HessLoop")]
    [InlineData("HessCompound")]
    public void Hessian_and_tangent_match_differences(string name)
    {
        var (assembly, failures) = s_probes.Value;
        Assert.True(!failures.ContainsKey("Hessians") && assembly is not null, "the Hessian probe does not compile:\n" + failures.GetValueOrDefault("Hessians") + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("K." + name));
        var check = assembly!.GetType("Review18.Probes.Check")!;
        var tangent = check.GetMethod(name + "T")!.CreateDelegate<Func<double[], double[], double>>();
        var f = check.GetMethod(name + "F")!.CreateDelegate<Func<double[], double>>();
        foreach (var point in new[] { new[] { 0.6, 0.85 }, new[] { -0.4, 0.3 }, new[] { 0.9, -0.7 } })
        {
            try
            {
                HessianFiniteDifferences.AssertHessianVector(check, name, point, false, name);
                HessianFiniteDifferences.AssertDenseHessian(check, name, point, false, name);
            }
            catch (TargetInvocationException e)
            {
                throw new Xunit.Sdk.XunitException(name + ": the generated Hessian code threw " + e.InnerException + "\n" + s_batch.Value.GeneratedSource.GetValueOrDefault("K." + name));
            }

            var v = new[] { 0.3, -1.1 };
            const double h = 1e-6;
            var fd = (f(new[] { point[0] + (h * v[0]), point[1] + (h * v[1]) }) - f(new[] { point[0] - (h * v[0]), point[1] - (h * v[1]) })) / (2 * h);
            var t = tangent(point, v);
            Assert.True(Math.Abs(t - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name}: tangent {t:R}, central differences {fd:R}");
        }
    }
}
