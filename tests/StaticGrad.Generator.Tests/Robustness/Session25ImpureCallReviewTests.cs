using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 25's impure calls (ImpureCalls): a helper with observable state (a counter, a Random, a
/// list) runs once, in C#'s order, in the forward sweep, and every output reads its value. Each case is one
/// [Differentiable] method <c>M(double[] a, double x)</c> next to the helpers <c>H</c>, compiled on its own (a compile
/// error in one case does not hide the others). Checks, at three points: no SG error, the Backward's value equals the
/// primal's bit for bit (the draws and their order are the primal's), the helpers ran as often as in the primal
/// (<c>H.Calls</c>, and the trace <c>H.Trace</c> of arguments), a primal exception is the Backward's after as many
/// calls, and the gradient matches central differences (double: step 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|); float: step
/// 1e-3, 2e-3·max(1, |fd|); the helpers' state reset before each evaluation).
/// </summary>
public sealed class Session25ImpureCallReviewTests
{
    private const string Helpers = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Review25;

        public static class H
        {
            public static int Calls;
            public static int Ticks;
            public static Random Rng = new(1);
            public static List<int> Trace = new();

            public static void Reset(int seed)
            {
                Calls = 0;
                Ticks = 0;
                Rng = new Random(seed);
                Trace = new List<int>();
            }

            public static double Draw()
            {
                Calls++;
                Trace.Add(-1);
                return Rng.NextDouble();
            }

            public static double Sample(int i)
            {
                Calls++;
                Trace.Add(i);
                return Rng.NextDouble() + (0.01 * i);
            }

            public static int Next(int n) => Tick(1000) % n;

            public static double Weight() => 0.5 + (0.1 * Tick(2000));

            public static float WeightF() => 0.5f + (0.1f * Tick(2500));

            public static bool Keep() => Tick(3000) % 4 != 0;

            // One call of a counting helper: counted, traced with its tag, the new tick returned.
            private static int Tick(int tag)
            {
                Calls++;
                Ticks++;
                Trace.Add(tag + Ticks);
                return Ticks;
            }

            public static double Risky(int limit)
            {
                Calls++;
                Ticks++;
                if (Ticks > limit)
                {
                    throw new InvalidOperationException("tick " + Ticks);
                }

                return 0.1 * Ticks;
            }
        }

        // A rule's primal and its rule, side by side (the rule runs the primal again in the reverse sweep).
        public static class Soft
        {
            public static double Plus(double v) => Math.Log(1 + Math.Exp(v));

            [DerivativeOf(typeof(Soft), nameof(Plus))]
            public static double PlusRule(double v, ref double dv, double seed) => Plus(v + (0 * (dv += seed / (1 + Math.Exp(-v)))));
        }

        """;

    private const int Seed = 2511;

    /// <summary>Each case's members of <c>public static partial class L</c>, or only the body of <c>[Differentiable] M(double[] a, double x)</c>; the checked method is M.</summary>
    private static readonly Dictionary<string, string> s_cases = new(StringComparer.Ordinal)
    {
        ["SeveralInOrder"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += ((H.Sample(1) - H.Sample(2)) * x) + (H.Draw() * a[i] * H.Sample(H.Next(7)) * x);
                }

                return s * x;
            }
            """,
        ["ForIteratorAndInitializer"] = """
            {
                var s = 0.0;
                for (var i = H.Next(2); i < a.Length; i += 1 + H.Next(2))
                {
                    s += a[i] * x * H.Weight();
                }

                return s * x;
            }
            """,
        ["OrInLoopCondition"] = """
            {
                var s = x;
                var n = 0;
                while (n < 2 || H.Keep())
                {
                    s = (s * 0.8) + (a[n % a.Length] * x * H.Draw());
                    n++;
                    if (n > 9)
                    {
                        break;
                    }
                }

                do
                {
                    s = Math.Sin(s) * (1 + a[n % a.Length]);
                    n++;
                }
                while (H.Weight() < 2.0);

                return s + n;
            }
            """,
        ["ContinueBreakNested"] = """
            {
                var s = x;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        if (!H.Keep())
                        {
                            continue;
                        }

                        s = (s * H.Draw()) + (a[i] * Math.Cos(s * x));
                        if (H.Next(5) == 0)
                        {
                            break;
                        }
                    }

                    if (H.Keep())
                    {
                        s *= x;
                    }
                }

                return s;
            }
            """,
        ["DiscardedAndSwitch"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    H.Weight();
                    switch (H.Next(3))
                    {
                        case 0:
                            s += a[i] * x;
                            break;
                        case 1:
                            s *= x * H.Draw();
                            break;
                        default:
                            s += x * x * H.Weight();
                            break;
                    }
                }

                return s;
            }
            """,
        ["IndexedStore"] = """
            {
                var w = new double[3];
                for (var i = 0; i < a.Length; i++)
                {
                    w[H.Next(3)] += a[i] * x * a[H.Next(a.Length)];
                }

                return (w[0] * w[1]) + (w[2] * x);
            }
            """,
        ["PowExponent"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Pow(x, H.Next(3) + 1) * a[i] + Math.Pow(Math.Abs(a[i]) + 1, H.Weight());
                }

                return s;
            }
            """,
        ["LinqLambda"] = """
            [Differentiable]
            public static double M(double[] a, double x) => a.Select(v => v * H.Draw()).Sum() * x;
            """,
        ["EarlyReturnInLoop"] = """
            {
                var s = x;
                for (var i = 0; i < 10; i++)
                {
                    s = (s * a[i % a.Length]) + (x * H.Draw());
                    if (H.Next(4) == 0)
                    {
                        return s * H.Weight();
                    }
                }

                return s;
            }
            """,
        ["HelperThrows"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.Risky(4) * a[i] * x;
                }

                return s * x;
            }
            """,
        ["FloatDoubleHelper"] = """
            {
                var f = (float)x;
                var s = 0f;
                for (var i = 0; i < a.Length; i++)
                {
                    s += (float)H.Draw() * f * (float)a[i] + (H.Next(3) * f);
                }

                return s * f;
            }
            """,
        ["GenericComparison"] = """
            [Differentiable]
            public static T G<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                var s = T.Zero;
                for (var i = 0; i < a.Length; i++)
                {
                    if (H.Draw() > 0.5)
                    {
                        s += a[i] * x;
                    }
                }

                return s * x;
            }

            public static double M(double[] a, double x) => G(a, x);

            public static double MBackward(double[] a, double x, Span<double> da, ref double dx, double seed) => GBackward(a, x, da, ref dx, seed);
            """,
        ["GenericMixedArithmetic"] = """
            [Differentiable]
            public static T G<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                var s = T.Zero;
                for (var i = 0; i < a.Length; i++)
                {
                    s += T.CreateChecked((H.Draw() * 0.5) + H.Next(3)) * a[i] * x + T.CreateChecked(H.WeightF());
                }

                return s * x;
            }

            public static double M(double[] a, double x) => G(a, x);

            public static double MBackward(double[] a, double x, Span<double> da, ref double dx, double seed) => GBackward(a, x, da, ref dx, seed);
            """,
        ["HostileParameterName"] = """
            [Differentiable]
            public static double N(double[] a, double _call, double _call0)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.Draw() * a[i] * _call * H.Weight() * _call0;
                }

                return s;
            }

            public static double M(double[] a, double x) => N(a, x, 0.7);

            public static double MBackward(double[] a, double x, Span<double> da, ref double dx, double seed)
            {
                var d0 = 0.0;
                return NBackward(a, x, 0.7, da, ref dx, ref d0, seed);
            }
            """,
        ["IndexedStoreTarget"] = """
            {
                var w = new double[3];
                for (var i = 0; i < a.Length; i++)
                {
                    w[H.Next(3)] += a[i] * x;
                }

                return (w[0] * w[1]) + (w[2] * x);
            }
            """,
        ["IndexedStoreOnce"] = """
            {
                var w = new double[3];
                w[H.Next(3)] += a[0] * x;
                return w[1] * x;
            }
            """,
        ["IndexedAssignOnce"] = """
            {
                var w = new double[3];
                w[H.Next(3)] = a[0] * x;
                return w[1] * x;
            }
            """,
        ["ForIterator"] = """
            {
                var s = 0.0;
                for (var i = H.Next(2); i < a.Length; i += 1 + H.Next(2))
                {
                    s += a[i] * x;
                }

                return s * x;
            }
            """,
        ["RulePrimalAlone"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Soft.Plus(a[i] * x) * x;
                }

                return s;
            }
            """,
    };

    /// <summary>
    /// Everyday code that ImpureCalls refuses since 37d8f9a (SG1002), though a [DerivativeOf] rule's primal is already run
    /// again by its rule in the reverse sweep (the rule returns the primal's value): under '?:' (the message says it
    /// "may have side effects"), and any [Differentiable] callee that calls a rule's primal makes every call of that
    /// callee an error. Not fixed here: the lowering has no view of the compilation's rules (the generator collects them
    /// later), so telling a rule's primal apart needs the rules passed into lowering. Skipped, not passing.
    /// </summary>
    private static readonly Dictionary<string, string> s_refusedRuleCases = new(StringComparer.Ordinal)
    {
        // Everyday pure code under '?:' must not be refused: Math.Clamp, a rule's primal (it has a derivative).
        ["PureUnderConditional"] = """
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] > 0 ? Math.Clamp(a[i] * x, -2, 2) : Soft.Plus(a[i] * x);
                }

                return s;
            }
            """,
        // A [Differentiable] callee that calls a rule's primal: the rule is a derivative, not a side effect.
        ["CalleeCallsRule"] = """
            [Differentiable]
            public static double Inner(double v) => Soft.Plus(v) * v;

            [Differentiable]
            public static double M(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Inner(a[i] * x);
                }

                return s;
            }
            """,
    };

    public static TheoryData<string> Cases() => new(s_cases.Keys.ToArray());

    public static TheoryData<string> RefusedRuleCases() => new(s_refusedRuleCases.Keys.ToArray());

    [Theory(Skip = "Defect left open: a [DerivativeOf] rule's primal is refused under '?:' and in a [Differentiable] callee (SG1002 since 37d8f9a); see s_refusedRuleCases")]
    [MemberData(nameof(RefusedRuleCases))]
    public void A_rule_primal_is_not_refused(string name) => Check(name, s_refusedRuleCases[name]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_calls_exceptions_and_gradient_are_the_primals(string name) => Check(name, s_cases[name]);

    private static void Check(string name, string members)
    {
        // A case that is a body only is the body of [Differentiable] M(double[] a, double x).
        var source = Helpers + "public static partial class L\n{\n" + (members.StartsWith('{') ? "[Differentiable]\npublic static double M(double[] a, double x)\n" : string.Empty) + members + "\n}\n";
        var output = GeneratorHarness.Run(source);
        var errors = output.LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        Assert.True(errors.Count == 0, name + ": " + string.Join("\n", errors.Select(e => e.Id + " at '" + e.Text + "': " + e.Message)));
        GeneratorHarness.AssertClean(output);
        var assembly = GeneratorHarness.Load(output.OutputCompilation);
        var type = assembly.GetType("Review25.L")!;
        var helpers = assembly.GetType("Review25.H")!;
        var f = Session23ArgumentOrderTests.Primal(type, "M");
        var b = Session23ArgumentOrderTests.Backward(type, "M");
        void Reset() => helpers.GetMethod("Reset")!.Invoke(null, new object[] { Seed });
        int Calls() => (int)helpers.GetField("Calls")!.GetValue(null)!;
        string Trace() => string.Join(",", (List<int>)helpers.GetField("Trace")!.GetValue(null)!);
        double F(double[] p, double q)
        {
            Reset();
            return f(p, q);
        }

        var isFloat = name.Contains("Float", StringComparison.Ordinal);
        var h = isFloat ? 1e-3 : 1e-6;
        var tolerance = isFloat ? 2e-3 : 1e-6;
        var problems = new List<string>();
        var anyCall = false;
        foreach (var (a, x) in new[] { (new[] { 0.3, -0.2, 0.5, 0.1, 0.7 }, 0.6), (new[] { 0.9, 0.4, -0.3, 0.8 }, -0.4), (new[] { -0.1, 0.2, 0.35 }, 1.3) })
        {
            Reset();
            var primal = Session23ArgumentOrderTests.Outcome(() => f(a, x));
            var (primalCalls, primalTrace) = (Calls(), Trace());
            var da = new double[a.Length];
            var dx = 0.0;
            Reset();
            var backward = Session23ArgumentOrderTests.Outcome(() => b(a, x, da, ref dx, 1.0));
            var (backwardCalls, backwardTrace) = (Calls(), Trace());
            anyCall |= primalCalls > 0;
            if (primal != backward)
            {
                problems.Add($"x = {x}: Backward {backward}, primal {primal}");
            }

            if ((backwardCalls, backwardTrace) != (primalCalls, primalTrace))
            {
                problems.Add($"x = {x}: the Backward's calls {backwardCalls} [{backwardTrace}], the primal's {primalCalls} [{primalTrace}]");
            }

            if (!primal.StartsWith("value", StringComparison.Ordinal))
            {
                continue;
            }

            // Central differences along x (k = -1) and along each element.
            for (var k = -1; k < a.Length; k++)
            {
                var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
                var (xUp, xDown) = k < 0 ? (x + h, x - h) : (x, x);
                if (k >= 0)
                {
                    (up[k], down[k]) = (up[k] + h, down[k] - h);
                }

                var (derivative, fd) = (k < 0 ? dx : da[k], (F(up, xUp) - F(down, xDown)) / (2 * h));
                if (!(Math.Abs(derivative - fd) <= tolerance * Math.Max(1, Math.Abs(fd))))
                {
                    problems.Add($"x = {x}: d/d{(k < 0 ? "x" : "a[" + k + "]")} {derivative:R}, central differences {fd:R}");
                }
            }
        }

        if (!anyCall && name is not ("PureUnderConditional" or "CalleeCallsRule" or "RulePrimalAlone"))
        {
            problems.Add("the primal called no helper (the case would prove nothing)");
        }

        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems) + "\n" + string.Join("\n", output.Sources.Where(s => s.HintName.Contains(".L.", StringComparison.Ordinal)).Select(s => s.Source)));
    }

    private const string OutputsSource = """
        public static partial class L
        {
            [Differentiable(Forward = true, Hessian = true)]
            public static double HV(double[] a, double z)
            {
                var w = new double[3];
                var s = 0.0;
                for (var i = 0; i < a.Length; i += 1 + H.Next(2))
                {
                    w[H.Next(3)] += a[i] * z * H.Draw();
                    s += Math.Sin(a[i] * z) * H.Weight();
                }

                return (s * s) + (w[0] * w[1] * z) + w[2];
            }

            public static (double Value, double Tangent) TangentProbe(double[] a, double z, double[] da, double dz) => HVTangent(a, z, da, dz);

            public static double[] HessianVectorProbe(double[] a, double z, double[] va, double vz)
            {
                var hva = new double[a.Length];
                double hvz = 0.0;
                HVHessianVector(a, z, va, vz, hva, ref hvz);
                return hva.Append(hvz).ToArray();
            }

            [Differentiable(Jacobian = true)]
            public static (double A, double B) J(double x, [NoGrad] double c, double y)
            {
                var w = new double[2];
                w[H.Next(2)] += x * y * c;
                var t = H.Draw() * x * x;
                return ((t * y) + w[0], (x * H.Weight()) + (w[1] * y));
            }
        }
        """;

    /// <summary>
    /// Tangent and Hessian-vector product each run the helpers as often as the primal
    /// (an indexed compound store and a for iterator among them), with the primal's value; the Tangent
    /// against central differences (step 1e-6, 1e-6·max(1, |fd|)), the Hessian-vector product's gradient part against
    /// central differences of the Backward's gradient (step 1e-5, 1e-5·max(1, |fd|)).
    /// </summary>
    [Fact]
    public void Every_output_runs_the_helpers_as_the_primal_does()
    {
        var (output, type, Reset, Run, Calls) = CompiledOutputs();

        var problems = new List<string>();
        var a = new[] { 0.3, -0.5, 0.8, 0.1, 0.6 };
        const double z = 0.7;
        var primal = (double)Run("HV", new object?[] { a, z })!;
        var calls = Calls();
        var direction = new[] { 0.2, -0.7, 0.5, 0.9, -0.1 };
        const double dz = -0.3;
        var tangent = ((double Value, double Tangent))Run("TangentProbe", new object?[] { a, z, direction, dz })!;
        if (Calls() != calls || tangent.Value != primal)
        {
            problems.Add($"Tangent: {Calls()} calls, value {tangent.Value:R}; primal {calls}, {primal:R}");
        }

        double At(double t) => (double)Run("HV", new object?[] { a.Zip(direction, (p, d) => p + (t * d)).ToArray(), z + (t * dz) })!;
        var fd = (At(1e-6) - At(-1e-6)) / 2e-6;
        if (!(Math.Abs(tangent.Tangent - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd))))
        {
            problems.Add($"Tangent {tangent.Tangent:R}, central differences {fd:R}");
        }

        double[] Gradient(double[] p, double q)
        {
            Reset();
            var backward = type.GetMethods().Single(m => m.Name == "HVBackward" && m.GetParameters()[0].ParameterType == typeof(double[]));
            var da = new double[p.Length];
            var dq = 0.0;
            var d = backward.CreateDelegate<Session23ArgumentOrderTests.BackwardDelegate>();
            d(p, q, da, ref dq, 1.0);
            return da.Append(dq).ToArray();
        }

        var hv = (double[])Run("HessianVectorProbe", new object?[] { a, z, direction, dz })!;
        if (Calls() != calls)
        {
            problems.Add($"HessianVector: {Calls()} calls, primal {calls}");
        }

        var up = Gradient(a.Zip(direction, (p, d) => p + (1e-5 * d)).ToArray(), z + (1e-5 * dz));
        var down = Gradient(a.Zip(direction, (p, d) => p - (1e-5 * d)).ToArray(), z - (1e-5 * dz));
        for (var i = 0; i < hv.Length; i++)
        {
            var column = (up[i] - down[i]) / 2e-5;
            if (!(Math.Abs(hv[i] - column) <= 1e-5 * Math.Max(1, Math.Abs(column))))
            {
                problems.Add($"HessianVector[{i}] {hv[i]:R}, central differences of the gradient {column:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + string.Join("\n", output.Sources.Where(s => s.HintName.Contains(".L.", StringComparison.Ordinal)).Select(s => s.Source)));
    }

    /// <summary>
    /// Defect left open: the Jacobian (forward mode, one pass per input) runs the method once per input, so its columns
    /// come from different draws: J(x, y) below calls the helpers 6 times (the primal 3), and ∂B/∂x is 1.989 where
    /// central differences of the primal give 1.789 (the second pass's H.Weight() is 0.9, the primal's 0.7). The dense
    /// Hessian has the same form (the report's "runs the method n times"). Not fixed: it needs one run shared by the
    /// columns (or a refusal of helpers in Jacobian/Hessian methods, a design decision). Skipped, not passing.
    /// </summary>
    [Fact(Skip = "Defect left open: Jacobian columns come from separate runs of the helpers (6 calls, the primal 3; dB/dx 1.989, central differences 1.789)")]
    public void The_jacobian_runs_the_helpers_once()
    {
        var (_, _, _, Run, Calls) = CompiledOutputs();

        var problems = new List<string>();
        (double A, double B) J(double x, double y) => ((double A, double B))Run("J", new object?[] { x, 0.9, y })!;
        var jv = J(0.4, -1.1);
        var jCalls = Calls();
        var jArguments = new object?[] { 0.4, 0.9, -1.1, 0.0, 0.0, 0.0, 0.0 };
        var jacobian = ((double A, double B))Run("JJacobian", jArguments)!;
        if (Calls() != jCalls || jacobian != jv)
        {
            problems.Add($"Jacobian: {Calls()} calls, value {jacobian}; primal {jCalls}, {jv}");
        }

        var expected = new[]
        {
            (J(0.4 + 1e-6, -1.1).A - J(0.4 - 1e-6, -1.1).A) / 2e-6, (J(0.4, -1.1 + 1e-6).A - J(0.4, -1.1 - 1e-6).A) / 2e-6,
            (J(0.4 + 1e-6, -1.1).B - J(0.4 - 1e-6, -1.1).B) / 2e-6, (J(0.4, -1.1 + 1e-6).B - J(0.4, -1.1 - 1e-6).B) / 2e-6,
        };
        for (var i = 0; i < 4; i++)
        {
            if (!(Math.Abs((double)jArguments[3 + i]! - expected[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i]))))
            {
                problems.Add($"Jacobian entry {i}: {jArguments[3 + i]:R}, central differences {expected[i]:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// <see cref="OutputsSource"/> compiled (no SG error, clean generated code), and a runner that resets the helpers'
    /// state and calls a method of L by name (the overload whose first parameter is the first argument's type).
    /// </summary>
    private static (GeneratorOutput Output, Type Type, Action Reset, Func<string, object?[], object?> Run, Func<int> Calls) CompiledOutputs()
    {
        var output = GeneratorHarness.Run(Helpers + OutputsSource);
        Assert.DoesNotContain(output.LocatedDiagnostics(), d => d.Severity == "Error");
        GeneratorHarness.AssertClean(output);
        var assembly = GeneratorHarness.Load(output.OutputCompilation);
        var type = assembly.GetType("Review25.L")!;
        var helpers = assembly.GetType("Review25.H")!;
        void Reset() => helpers.GetMethod("Reset")!.Invoke(null, new object[] { Seed });
        object? Run(string method, object?[] arguments)
        {
            Reset();
            return type.GetMethods().Single(m => m.Name == method && m.GetParameters().Length == arguments.Length && m.GetParameters()[0].ParameterType == arguments[0]!.GetType()).Invoke(null, arguments);
        }

        return (output, type, Reset, Run, () => (int)helpers.GetField("Calls")!.GetValue(null)!);
    }

    /// <summary>A helper C# may skip (a switch expression's arm, inside a pure call's argument under '?:') is one located SG1002.</summary>
    [Theory]
    [InlineData("return x switch { > 0 => H.Draw() * x, _ => x };", "H.Draw()")]
    [InlineData("return x > 0 ? Math.Sin(H.Weight() * x) : x;", "H.Weight()")]
    [InlineData("var s = x; for (var i = 0; i < 3; i++) { s = s > 1 ? s * x : s + H.Draw(); } return s;", "H.Draw()")]
    public void A_helper_C_may_skip_is_one_located_error(string body, string located)
    {
        var errors = GeneratorHarness.Run(Helpers + "public static partial class L\n{\n[Differentiable]\npublic static double F(double x)\n{\n" + body + "\n}\n}\n")
            .LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        var error = Assert.Single(errors);
        Assert.Equal(("SG1002", located), (error.Id, error.Text));
        Assert.Contains("may have side effects", error.Message, StringComparison.Ordinal);
    }
}
