using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// What session 23's domain corpus made supported, at its edges, and what it found refused. Supported now: the
/// unsigned range check <c>(uint)i &gt;= (uint)a.Length</c> (a comparison of integers read as unsigned),
/// <c>foreach</c> over a <c>static readonly</c> table of tuples with integer elements or of a record struct (also
/// deconstructed through the Deconstruct C# writes for a positional record), <c>Quaternion.CreateFromYawPitchRoll</c>.
/// Refused, each as ONE located error in the user's words: a local array of a record struct, an increment inside a
/// loop condition, a record struct with its own Deconstruct, a <c>uint</c> value used as anything but an operand of
/// a comparison, a <c>Matrix4x4</c> product (one error at the first product of a method: Session23CorpusFollowUpTests).
/// </summary>
public sealed class Session23CorpusTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MinValue)]
    public void The_unsigned_range_check_throws_the_users_exception_for_every_index_outside(int target)
    {
        // -1 and int.MinValue are huge read as unsigned: the check throws for them as it does for 5 (the length).
        var flat = new[] { 0.3, -0.2, 1.1, 0.4, -0.7, target };
        Session20ExceptionTests.AssertBackwardThrowsWhatTheMethodThrows("S23Ml.SoftmaxCrossEntropy", flat);
    }

    [Fact]
    public void The_unsigned_range_check_lets_every_index_inside_through()
    {
        var loaded = CorpusCompilation.Load("S23Ml.SoftmaxCrossEntropy");
        for (var target = 0; target < 5; target++)
        {
            var check = new FiniteDifferenceCheck(loaded);
            check.CheckAgainstFiniteDifferences(Session20ExceptionTests.Split(loaded.Method, new[] { 0.3, -0.2, 1.1, 0.4, -0.7, target }));
            Assert.True(check.Problems.Count == 0, $"target {target}:\n{check.Report()}");
        }
    }

    [Theory]
    [InlineData("var flows = new CashFlow[n]; for (var i = 0; i < n; i++) flows[i] = new CashFlow(i + 1, x); double s = 0; foreach (var f in flows) s += f.Amount; return s;", "SG1002", "arrays of 'CashFlow', whose fields are read-only (a readonly or record struct; use an array of tuples, 'new (double Time, double Amount)[n]'", "flows = new CashFlow[n]")]
    [InlineData("var c = new int[1]; var s = x; while (c[0]++ < n) s = Math.Sin(s); return s;", "SG1002", "increments and assignments of array elements, fields or properties inside loop conditions (update a local in the condition", "c[0]++")]
    [InlineData("var c = new double[1]; var s = x; do { s = Math.Cos(s) * 0.5; } while ((c[0] += 1) < n); return s;", "SG1002", "increments and assignments of array elements, fields or properties inside loop conditions", "c[0] += 1")]
    [InlineData("double s = 0; foreach (var (a, t) in Swapped) s += a * Math.Exp(-x * t); return s;", "SG1002", "'foreach' deconstructions other than 'var (x, y)' into new locals", "var (a, t)")]
    [InlineData("uint u = (uint)n; return x * u;", "SG1002", "'uint'", "")]
    public void Refusal_is_one_located_error_in_the_users_words(string body, string id, string fragment, string located)
    {
        var found = GeneratorHarness.Run($$"""
            using System;
            using StaticGrad;

            public readonly record struct CashFlow(double Time, double Amount);

            public readonly struct SwappedFlow
            {
                public SwappedFlow(double time, double amount) { Time = time; Amount = amount; }
                public double Time { get; }
                public double Amount { get; }
                // Gives the amount first: the fields' order is not the deconstruction's.
                public void Deconstruct(out double amount, out double time) { amount = Amount; time = Time; }
            }

            public static partial class C
            {
                private static readonly SwappedFlow[] Swapped = { new(0.5, 2.0), new(1.0, 102.0) };

                [Differentiable]
                public static double F(double x, int n)
                {
                    {{body}}
                }
            }
            """).LocatedDiagnostics();
        var errors = found.Where(d => d.Severity == "Error").ToList();
        Assert.True(errors.Count == 1, string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}")));
        Assert.Equal(id, errors[0].Id);
        Assert.Contains(fragment, errors[0].Message, StringComparison.Ordinal);
        if (located.Length > 0)
        {
            Assert.Equal(located, errors[0].Text);
        }
    }
}
