using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// What session 25's domain corpus found refused, each as ONE located error in the user's words saying what to write
/// instead (the rewrite is a corpus function next to it, checked against finite differences): decimal money, a
/// <c>goto case</c>, a cloned or swapped local array, a block-bodied record struct method, a local alias of a
/// configured static table. Each of these corpus sources holds exactly one refused method, so every error the
/// generator reports on the source is that method's. Also the forms session 25 enabled or mended, each on a small
/// method of its own.
/// </summary>
public sealed class Session25CorpusTests
{
    [Theory]
    [InlineData(nameof(Session25DomainCorpus.EconomicsSource), "SG1002", "locals of type 'decimal' (decimal has no derivative: compute in double", "balance = (decimal)principal")]
    [InlineData(nameof(Session25DomainCorpus.ClimateSource), "SG1002", "'goto' statements (write the jump as a loop with 'break' or 'continue', or test a bool flag)", "goto case 1;")]
    [InlineData(nameof(Session25DomainCorpus.RatingsSource), "SG1010", "Local array 'current' is not created with 'new T[n]'", "current = (double[])ratings.Clone()")]
    [InlineData(nameof(Session25DomainCorpus.TrafficSource), "SG1010", "Local array 'current' is not created with 'new T[n]'", "current = updated")]
    [InlineData(nameof(Session25DomainCorpus.MolecularSource), "SG1002", "'DistanceTo' of a struct (only members whose body is one expression are read through", "a.DistanceTo(b)")]
    [InlineData(nameof(Session25DomainCorpus.ActuarialSource), "SG1010", "Local array 'weights' is not created with 'new T[n]'", "weights = CredibilityOverride ?? DefaultCredibility")]
    public void Refusal_is_one_located_error_in_the_users_words(string source, string id, string fragment, string located) =>
        CorpusRefusals.AssertOneLocatedError(typeof(Session25DomainCorpus), source, id, fragment, located);

    [Theory]
    [InlineData(nameof(Session25DomainCorpus.VisionSource))]
    [InlineData(nameof(Session25DomainCorpus.ContinuumSource))]
    [InlineData(nameof(Session25DomainCorpus.OpticsSource))]
    [InlineData(nameof(Session25DomainCorpus.SeismologySource))]
    [InlineData(nameof(Session25DomainCorpus.QueueingSource))]
    [InlineData(nameof(Session25DomainCorpus.NeuralSource))]
    public void Sources_without_a_refused_function_get_no_error(string source)
    {
        var text = (string)typeof(Session25DomainCorpus).GetField(source)!.GetValue(null)!;
        var found = GeneratorHarness.Run(text).LocatedDiagnostics();
        Assert.True(found.All(d => d.Severity != "Error"), string.Join("\n", found.Select(d => $"{d.Id} {d.Severity} at '{d.Text}': {d.Message}")));
    }

    [Fact]
    public void Decimal_locals_are_one_error_at_the_first_and_other_refused_types_keep_their_own()
    {
        // Session 25 reported one error per decimal local (five for one amortisation loop); the type is the user's one
        // choice, so it is refused once, at its first local. A local of another refused type is a second error.
        const string source = """
            using System;
            using System.Collections.Generic;
            using StaticGrad;

            public static partial class Money
            {
                [Differentiable]
                public static double Interest(double principal, double rate)
                {
                    decimal balance = (decimal)principal;
                    decimal total = 0m;
                    var history = new List<double>();
                    for (var k = 0; k < 3; k++)
                    {
                        decimal due = balance * (decimal)rate;
                        total += due;
                    }
                    history.Add(principal);
                    return (double)total + principal * rate;
                }
            }
            """;
        var errors = GeneratorHarness.Run(source).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        Assert.Equal(new[] { "balance = (decimal)principal", "history = new List<double>()" }, errors.Select(e => e.Text));
        Assert.Contains("decimal has no derivative", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Foreach_over_a_whole_array_span_is_the_loop_over_the_array()
    {
        // 'foreach (var t in a.AsSpan())' got two errors (the call and the loop) in session 25's corpus.
        var errors = GeneratorHarness.Run(Session25DomainCorpus.ClimateSource).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        Assert.DoesNotContain(errors, e => e.Text.Contains("AsSpan", StringComparison.Ordinal));
        var loaded = CorpusCompilation.Load("S25Climate.CoolingDegreeDays");
        var check = new Harness.FiniteDifferenceCheck(loaded);
        check.CheckAgainstFiniteDifferences(new[] { new[] { 12.0, 25.5, 18.2, 17.0, 30.0, 19.0, 5.0, 22.0, 18.5, 21.0, 14.0, 26.0 }, new[] { 18.0 } });
        Assert.True(check.Problems.Count == 0, check.Report());
    }

    [Fact]
    public void Elements_of_a_static_readonly_struct_table_are_read_by_index_and_writes_stay_refused()
    {
        // Session 25: 'Reference[j].X' of a static readonly table of a record struct, and 'WorldPoints[i]' of a Vector3
        // table, were refused although 'foreach' over the same tables was not. A write to an element is still refused:
        // the table is configuration.
        const string source = """
            using System;
            using System.Numerics;
            using StaticGrad;

            public readonly record struct Site(double X, double Weight);

            public static partial class Tables
            {
                private static readonly Site[] Sites = { new(0.5, 1.0), new(-1.0, 2.0), new(2.0, 0.5) };
                private static readonly Vector3[] Points = { new(1f, 2f, 3f), new(-1f, 0.5f, 2f) };

                [Differentiable]
                public static double Read(double x, int k)
                {
                    var total = 0.0;
                    for (var i = 0; i < Sites.Length; i++) total += Sites[i].Weight * (x - Sites[i].X) * (x - Sites[^(i + 1)].X);
                    return total + Sites[k].Weight * x;
                }

                [Differentiable]
                public static float ReadVector(float s) => Vector3.Dot(s * Points[0], Points[1]) + Points[1].Z * s;

                public static double ReadSlope(double x, int k)
                {
                    var dx = 0.0;
                    ReadBackward(x, k, ref dx);
                    return dx;
                }

                public static float ReadVectorSlope(float s)
                {
                    var ds = 0f;
                    ReadVectorBackward(s, ref ds);
                    return ds;
                }

                [Differentiable]
                public static float Write(float s)
                {
                    Points[0] = new Vector3(s, s, s);
                    return Points[0].X;
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        var errors = run.LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        Assert.True(errors.Count == 1, string.Join("\n", errors.Select(d => $"{d.Id} at '{d.Text}': {d.Message}")));
        Assert.Contains("Points[0]", errors[0].Text, StringComparison.Ordinal);
        Assert.Empty(run.CompilationDiagnostics);
        var tables = GeneratorHarness.Load(run.OutputCompilation).GetType("Tables")!;
        var (x, k) = (0.3, 1);
        var expected = 1.0 * (2 * x - 0.5 - 2.0) + 2.0 * (2 * x + 1.0 + 1.0) + 0.5 * (2 * x - 2.0 - 0.5) + 2.0;
        Assert.Equal(expected, (double)tables.GetMethod("ReadSlope")!.Invoke(null, new object[] { x, k })!, 12);
        // d/ds (s·P0·P1 + P1.Z·s) = P0·P1 + P1.Z = (−1 + 1 + 6) + 2.
        Assert.Equal(8f, (float)tables.GetMethod("ReadVectorSlope")!.Invoke(null, new object[] { 0.7f })!, 5);
        var outOfRange = Assert.Throws<System.Reflection.TargetInvocationException>(() => tables.GetMethod("ReadSlope")!.Invoke(null, new object[] { x, 3 }));
        Assert.IsType<IndexOutOfRangeException>(outOfRange.InnerException);
    }

    [Fact]
    public void A_local_grid_passed_to_local_functions_is_read_through_its_flat_storage()
    {
        // StVenantKirchhoff3D's 'static double Trace(double[,] m) => m[0, 0] + …' on a local double[3, 3] gave generated
        // code indexing the hidden one-dimensional array with two indices (CS0022). Both local function forms here:
        // one expression (its parameter substituted) and statements (its parameter an alias).
        const string source = """
            using StaticGrad;

            public static partial class Grids
            {
                [Differentiable]
                public static double Energy(double a, double b)
                {
                    var m = new double[2, 2];
                    m[0, 0] = a * a;
                    m[0, 1] = a * b;
                    m[1, 0] = b;
                    m[1, 1] = 3 * b;
                    static double Trace(double[,] g) => g[0, 0] + g[1, 1];
                    double Determinant(double[,] g)
                    {
                        var d = g[0, 0] * g[1, 1] - g[0, 1] * g[1, 0];
                        return d;
                    }
                    return Trace(m) + Determinant(m);
                }

                public static double[] Slopes(double a, double b)
                {
                    double da = 0, db = 0;
                    EnergyBackward(a, b, ref da, ref db);
                    return new[] { da, db };
                }
            }
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.LocatedDiagnostics());
        Assert.Empty(run.CompilationDiagnostics);
        var slopes = (double[])GeneratorHarness.Load(run.OutputCompilation).GetType("Grids")!.GetMethod("Slopes")!.Invoke(null, new object[] { 1.5, -0.7 })!;
        // f = a² + 3b + 3a²b − ab².
        var (a, b) = (1.5, -0.7);
        Assert.Equal(2 * a + 6 * a * b - b * b, slopes[0], 12);
        Assert.Equal(3 + 3 * a * a - 2 * a * b, slopes[1], 12);
    }
}
