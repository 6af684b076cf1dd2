using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>Tensors that come from, or go through, methods, local functions and lambdas with source in the compilation.</summary>
public class InterproceduralTests
{
    private static string Program(string members) => $$"""
using System;
using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

public static class C
{
{{members}}
}
""";

    [Fact]
    public Task A_helper_that_builds_a_constant_makes_backward_fail() =>
        Verify.VerifyAsync(Program("""
            static Tensor T(params double[] v) => Tensor.FromArray(v);

            public static void M()
            {
                var y = (T(1, 2) * 3.0).Sum();
                {|SG0002:y.Backward()|};
            }
            """));

    [Fact]
    public Task A_helper_that_builds_a_tracked_leaf_is_fine() =>
        Verify.VerifyAsync(Program("""
            static Tensor W(params double[] v) => Tensor.FromArray(v, requiresGrad: true);

            public static void M()
            {
                var y = (W(1, 2) * 3.0).Sum();
                y.Backward();
            }
            """));

    [Fact]
    public Task An_in_place_update_of_a_tracked_leaf_with_a_helper_argument_is_reported() =>
        Verify.VerifyAsync(Program("""
            static Tensor T(params double[] v) => Tensor.FromArray(v);

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                {|SG0006:w.AddInPlace(T(1, 2))|};
            }
            """));

    [Fact]
    public Task A_loss_computed_under_NoGrad_in_another_method_says_where() =>
        Verify.VerifyAsync(
            Program("""
                static Tensor Evaluate(Tensor w, Tensor x)
                {
                    using (Autograd.NoGrad())
                    {
                        return (w * x).Sum();
                    }
                }

                public static void M()
                {
                    var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                    var loss = Evaluate(w, Tensor.FromArray(new[] { 3.0, 4.0 }));
                    loss.Backward();
                }
                """),
            Verify.Diagnostic("SG0002").WithSpan(20, 5, 20, 20).WithArguments(
                "loss",
                "element 0 of tensors does not require grad and does not have a grad_fn",
                "'loss' comes from 'Evaluate', which runs under NoGrad"));

    [Fact]
    public Task The_grad_mode_at_the_call_decides_the_helper_result() =>
        Verify.VerifyAsync(Program("""
            static Tensor Loss(Tensor w) => (w * w).Sum();

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Loss(w).Backward();
                Tensor frozen;
                using (Autograd.NoGrad()) { frozen = Loss(w); }
                {|SG0002:frozen.Backward()|};
            }
            """));

    [Fact]
    public Task A_helper_that_detaches_its_argument_in_place_is_followed() =>
        Verify.VerifyAsync(Program("""
            static void Freeze(Tensor t) => t.DetachInPlace();

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var y = (w * 2.0).Sum();
                Freeze(y);
                {|SG0002:y.Backward()|};
            }
            """));

    [Fact]
    public Task A_helper_that_returns_its_argument_keeps_the_object() =>
        Verify.VerifyAsync(Program("""
            static Tensor Same(Tensor t) => t;

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var v = Same(w);
                {|SG0006:v.ZeroInPlace()|};
            }
            """));

    [Fact]
    public Task A_helper_that_disables_grad_mode_leaves_it_disabled() =>
        Verify.VerifyAsync(Program("""
            static void Off() => Autograd.SetGradEnabled(false);

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Off();
                var y = (w * w).Sum();
                {|SG0002:y.Backward()|};
            }
            """));

    [Fact]
    public Task A_second_backward_inside_a_helper_is_seen_by_the_caller() =>
        Verify.VerifyAsync(Program("""
            static void Step(Tensor loss) => loss.Backward();

            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                var loss = w.Exp().Sum();
                Step(loss);
                {|SG0005:loss.Backward()|};
            }
            """));

    [Fact]
    public Task Local_functions_and_lambdas_are_summarized() =>
        Verify.VerifyAsync(Program("""
            public static void M()
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Tensor Constant() => Tensor.Ones(new[] { 2 });
                Func<Tensor, Tensor> predict = x => { using (Autograd.NoGrad()) { return (x * w).Sum(); } };
                {|SG0002:Constant().Sum().Backward()|};
                var p = predict(Tensor.Ones(new[] { 2 }));
                {|SG0002:p.Backward()|};
            }
            """));

    [Fact]
    public Task Recursion_virtual_calls_and_unknown_code_stay_silent() =>
        Verify.VerifyAsync(Program("""
            static Tensor Deep(Tensor t, int n) => n == 0 ? t.Detach() : Deep(t, n - 1);

            static Tensor Touch(Tensor t) { Console.WriteLine(t); Unknown?.Invoke(); return t.Detach(); }

            static Action? Unknown;

            public static void M(Module model)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                Deep(w, 3).Sum().Backward();
                model.Forward(w).Sum().Backward();
                var d = Touch(w);
                w.Grad?.ToString();
            }
            """));

    [Fact]
    public Task A_helper_that_mutates_a_field_forgets_what_the_caller_knew_about_external_tensors() =>
        Verify.VerifyAsync(Program("""
            static Tensor Shared = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);

            static void Enable(Tensor t) => Shared.RequiresGrad = true;

            public static void M(Tensor a)
            {
                a.RequiresGrad = false;
                Enable(a);
                var y = (a * 2.0).Sum();
                y.Backward();
            }
            """));

    [Fact]
    public Task A_chain_deeper_than_the_bound_is_unknown() =>
        Verify.VerifyAsync(Program("""
            static Tensor L0() => L1();
            static Tensor L1() => L2();
            static Tensor L2() => L3();
            static Tensor L3() => L4();
            static Tensor L4() => L5();
            static Tensor L5() => Tensor.Ones(new[] { 1 });

            public static void M()
            {
                L0().Backward();
                L1().Backward();
                {|SG0002:L2().Backward()|};
                {|SG0002:L4().Backward()|};
            }
            """));
}
