using StaticGrad.CodeFixes.Differentiability;
using DetachVerifier = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer, StaticGrad.CodeFixes.Differentiability.DetachArgumentsCodeFix>;
using MarkVerifier = StaticGrad.CodeFixes.Tests.Verifiers.CodeFixVerifier<StaticGrad.Analyzers.Differentiability.DifferentiabilityAnalyzer, StaticGrad.CodeFixes.Differentiability.MarkCalleeDifferentiableCodeFix>;

namespace StaticGrad.CodeFixes.Tests.Differentiability;

/// <summary>SG1001: mark the callee [Differentiable], or wrap the arguments in Autograd.Detach.</summary>
public sealed class SG1001CodeFixTests
{
    [Fact]
    public Task Marks_a_source_callee_differentiable() => MarkVerifier.VerifyAsync(
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            /// <summary>Smooth ReLU.</summary>
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double Loss(double x) => {|SG1001:Softplus(x * 2)|} * x;
        }
        """,
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            /// <summary>Smooth ReLU.</summary>
            [Differentiable]
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double Loss(double x) => Softplus(x * 2) * x;
        }
        """);

    [Fact]
    public Task Marks_a_callee_in_another_partial_type_once_for_all_its_calls()
    {
        var test = new MarkVerifier.Test
        {
            TestCode = """
                using System;
                using StaticGrad;

                public static partial class Helpers
                {
                    public static double Cube(double x) => x * x * x;
                }

                public static partial class Losses
                {
                    [Differentiable]
                    public static double Loss(double x, double y) => {|SG1001:Helpers.Cube(x)|} + {|SG1001:Helpers.Cube(y)|};
                }
                """,
            FixedCode = """
                using System;
                using StaticGrad;

                public static partial class Helpers
                {
                    [Differentiable]
                    public static double Cube(double x) => x * x * x;
                }

                public static partial class Losses
                {
                    [Differentiable]
                    public static double Loss(double x, double y) => Helpers.Cube(x) + Helpers.Cube(y);
                }
                """,
        };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Not_offered_when_the_callee_cannot_be_differentiable()
    {
        // Not partial, and a BCL method without a rule: marking them would only trade SG1001 for another error.
        const string source = """
            using System;
            using StaticGrad;

            public static class Plain
            {
                public static double Twice(double x) => 2 * x;
            }

            public static partial class Losses
            {
                [Differentiable]
                public static double Loss(double x) => {|SG1001:Plain.Twice(x)|} + {|SG1001:Convert.ToDouble(x)|};
            }
            """;
        var test = new MarkVerifier.Test { TestCode = source, FixedCode = source };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Wraps_the_floating_arguments_in_Detach() => DetachVerifier.VerifyAsync(
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            public static double Scale(double x, int n, double k) => x * n * k;

            [Differentiable]
            public static double Loss(double x, double y) => {|SG1001:Scale(x * y, 3, 2.0)|} + y;
        }
        """,
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            public static double Scale(double x, int n, double k) => x * n * k;

            [Differentiable]
            public static double Loss(double x, double y) => Scale(Autograd.Detach(x * y), 3, 2.0) + y;
        }
        """);

    [Fact]
    public Task Fix_all_detaches_every_call() => DetachVerifier.VerifyAsync(
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            public static double Twice(double x) => 2 * x;

            [Differentiable]
            public static double Loss(double x, float y) => {|SG1001:Twice(x)|} * {|SG1001:Twice(y)|} + x;
        }
        """,
        """
        using System;
        using StaticGrad;

        public static partial class Losses
        {
            public static double Twice(double x) => 2 * x;

            [Differentiable]
            public static double Loss(double x, float y) => Twice(Autograd.Detach(x)) * Twice(Autograd.Detach(y)) + x;
        }
        """);

    [Fact]
    public Task Detach_not_offered_for_array_arguments()
    {
        const string source = """
            using System;
            using StaticGrad;

            public static partial class Losses
            {
                public static double First(double[] a) => a[0];

                [Differentiable]
                public static double Loss(double[] a) => {|SG1001:First(a)|} * a[0];
            }
            """;
        var test = new DetachVerifier.Test { TestCode = source, FixedCode = source };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public void Both_fixes_use_the_batch_fixer_and_distinct_equivalence_keys()
    {
        Assert.Same(Microsoft.CodeAnalysis.CodeFixes.WellKnownFixAllProviders.BatchFixer, new DetachArgumentsCodeFix().GetFixAllProvider());
        Assert.Same(Microsoft.CodeAnalysis.CodeFixes.WellKnownFixAllProviders.BatchFixer, new MarkCalleeDifferentiableCodeFix().GetFixAllProvider());
    }
}
