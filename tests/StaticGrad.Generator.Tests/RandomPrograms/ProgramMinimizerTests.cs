using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>The minimiser on planted failures, and the productions of issue 13 in the generated programs.</summary>
public sealed class ProgramMinimizerTests
{
    private const string Program = """
        // domain: n=1..3
        [Differentiable]
        public static double MinimizerPlanted(double x0, int n)
        {
            double v0 = Math.Sin(x0);
            double v1 = x0 * 2.0;
            for (int i1 = 0; i1 < n; i1++)
            {
                v0 = v0 * 0.5 + v1;
                if (v0 > 1)
                {
                    v1 = v1 * 3.0;
                }
                else
                {
                    v0 -= 0.5;
                }
            }

            int k2 = 0;
            do
            {
                k2++;
                v0 += 0.25;
            }
            while (k2 < 3);
            using (Autograd.NoGrad())
            {
                v0 = v0 * v1;
            }
            return v0 + v1;
        }
        """;

    [Fact]
    public void Minimiser_keeps_the_planted_statement_and_only_what_it_needs_to_compile()
    {
        var calls = 0;
        bool Fails(string candidate)
        {
            calls++;
            return candidate.Contains("v1 = v1 * 3.0;", StringComparison.Ordinal) && Compiles(candidate);
        }

        var minimized = ProgramMinimizer.Minimize(Program, Fails);

        Assert.Equal(
            "double v0 = Math.Sin(x0);|double v1 = x0 * 2.0;|v1 = v1 * 3.0;|return v0 + v1;",
            string.Join("|", Body(minimized)));
        Assert.True(calls < 100, $"{calls} oracle calls");
    }

    [Fact]
    public void Minimiser_leaves_a_program_alone_when_no_change_keeps_the_failure()
    {
        Assert.Equal(Program.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n') + "\n", ProgramMinimizer.Minimize(Program, candidate => candidate == Program));
    }

    [Fact]
    public void Minimiser_stops_at_its_time_budget_with_the_smallest_program_so_far()
    {
        var minimized = ProgramMinimizer.Minimize(Program, _ => true, 300, TimeSpan.Zero, out var stopped);

        Assert.True(stopped);
        Assert.Equal(Program.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n') + "\n", minimized);
    }

    /// <summary>
    /// A candidate that never ends (here: every candidate without the do loop's <c>k2++;</c>, like batch 20261126's P101
    /// whose <c>while</c> lost <c>k9++</c>, blocks until the test releases it) is rejected after the candidate limit
    /// (0.2 s here), and the minimisation ends with the planted statement and the counter kept.
    /// </summary>
    [Fact]
    public void A_candidate_that_never_ends_is_rejected_within_the_candidate_limit()
    {
        using var release = new ManualResetEventSlim(false);
        var hung = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var minimized = ProgramMinimizer.Minimize(
                Program,
                candidate =>
                {
                    if (!candidate.Contains("k2++;", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref hung);
                        release.Wait();
                        return true;
                    }

                    return candidate.Contains("v1 = v1 * 3.0;", StringComparison.Ordinal);
                },
                300,
                Timeout.InfiniteTimeSpan,
                out var stopped,
                TimeSpan.FromSeconds(0.2));

            Assert.False(stopped);
            Assert.True(hung > 0, "no candidate hung: the test tests nothing");
            Assert.Contains("k2++;", minimized, StringComparison.Ordinal);
            Assert.Contains("v1 = v1 * 3.0;", minimized, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(0.2 * hung + 20), $"{clock.Elapsed} for {hung} hung candidates");
        }
        finally
        {
            release.Set();
        }
    }

    private const string RecursiveProgram = """
        [Differentiable]
        public static double MinimizerRecursive(double x0, int n)
        {
            double v0 = Math.Sin(x0);
            double v1 = x0 * 2.0;
            double rf1(double rv1, int rk1)
            {
                if (rk1 <= 0) return rv1;
                return rf1(0.5 * rv1 + 0.5 * Math.Sin(rv1), rk1 - 1);
            }
            static double sq(double s)
            {
                double t = s * s;
                t += 1.0;
                return t;
            }
            v1 += sq(v0);
            v0 = v0 * 0.5 + rf1(v0, n);
            return v0 + v1;
        }
        """;

    /// <summary>
    /// Session 22: a candidate whose recursive local function lost its base case overflowed the stack, which no time
    /// limit stops and which ends the test host. Here the oracle runs every candidate it is given (compiled without the
    /// generator, called at x0 = 0.3, n = 2) and calls it failing when it ends with a finite value and still holds
    /// the planted call: without <see cref="UnboundedRecursion"/> the cut of <c>if (rk1 &lt;= 0) return rv1;</c> is
    /// such a candidate and this test takes the test host down. With it, that cut is never run, the rest is
    /// minimised (the non-recursive local function and its call go) in seconds.
    /// </summary>
    [Fact]
    public void A_candidate_whose_recursion_lost_its_bound_is_never_run()
    {
        var ran = new List<string>();
        bool Fails(string candidate)
        {
            ran.Add(candidate);
            var source = "using System;\nusing StaticGrad;\npublic static partial class C\n{\n" + candidate + "\n}\n";
            var compilation = GeneratorHarness.CreateCompilation(source);
            if (compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return false;
            }

            var value = (double)GeneratorHarness.Load(compilation).GetType("C")!.GetMethod("MinimizerRecursive")!.Invoke(null, new object[] { 0.3, 2 })!;
            return double.IsFinite(value) && candidate.Contains("rf1(v0, n)", StringComparison.Ordinal);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var minimized = ProgramMinimizer.Minimize(RecursiveProgram, Fails, 300, TimeSpan.FromSeconds(120), out var stopped);

        Assert.False(stopped);
        Assert.True(ran.Count > 5, $"{ran.Count} candidates ran: the test tests nothing");
        Assert.DoesNotContain(ran, c => !c.Contains("if (rk1 <= 0) return rv1;", StringComparison.Ordinal) && c.Contains("return rf1(", StringComparison.Ordinal));
        Assert.Contains("if (rk1 <= 0) return rv1;", minimized, StringComparison.Ordinal);
        Assert.DoesNotContain("sq(", minimized, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{clock.Elapsed} for {ran.Count} candidates");
    }

    [Fact]
    public void Recursion_is_unbounded_only_where_a_recursive_local_function_changed()
    {
        const string mutual = """
            [Differentiable]
            public static double M(double x0)
            {
                double rf1(double rv1, int rk1) => rk1 <= 0 ? rv1 : rf2(0.5 * rv1, rk1 - 1);
                double rf2(double rv2, int rk2)
                {
                    if (rk2 <= 0) return rv2;
                    return rf1(Math.Sin(rv2), rk2 - 1);
                }
                double sq(double s)
                {
                    double t = s * s;
                    t += 1.0;
                    return t;
                }
                x0 = x0 + rf1(x0, 3);
                return sq(x0);
            }
            """;
        Assert.False(UnboundedRecursion.Risked(mutual, mutual));
        Assert.True(UnboundedRecursion.Risked(mutual, Cut(mutual, "if (rk2 <= 0) return rv2;")));
        Assert.False(UnboundedRecursion.Risked(mutual, Cut(mutual, "t += 1.0;")));
        Assert.False(UnboundedRecursion.Risked(mutual, Cut(mutual, "x0 = x0 + rf1(x0, 3);")));
        Assert.False(UnboundedRecursion.Risked(RecursiveProgram, Cut(RecursiveProgram, "t += 1.0;")));
        Assert.True(UnboundedRecursion.Risked(RecursiveProgram, Cut(RecursiveProgram, "if (rk1 <= 0) return rv1;")));
    }

    /// <summary>The method without the line that is <paramref name="statement"/> (which must be there).</summary>
    private static string Cut(string method, string statement)
    {
        var lines = method.Split('\n').ToList();
        Assert.Equal(1, lines.RemoveAll(l => l.Trim() == statement));
        return string.Join("\n", lines);
    }

    [Fact]
    public void Units_are_statements_and_blocks_with_their_else_and_do_while_tails()
    {
        var lines = Program.Split('\n');
        var units = ProgramMinimizer.Units(lines).Select(u => lines[u.First].Trim() + " .. " + lines[u.Last].Trim()).ToList();
        Assert.Contains("for (int i1 = 0; i1 < n; i1++) .. }", units);
        Assert.Contains("if (v0 > 1) .. }", units);
        Assert.Contains("do .. while (k2 < 3);", units);
        Assert.Contains("k2++; .. k2++;", units);
        Assert.Contains("else .. }", units);
        Assert.DoesNotContain(units, u => u.StartsWith("while (k2", StringComparison.Ordinal) || u.StartsWith("[", StringComparison.Ordinal) || u.StartsWith("public", StringComparison.Ordinal));
    }

    /// <summary>The whole pipeline as the oracle: a crash planted in the Tangent of the method (SG1000) fails every candidate that compiles.</summary>
    [Fact]
    public void Minimiser_with_the_real_oracle_reduces_a_planted_crash_to_what_compiles()
    {
        const string small = """
            [Differentiable]
            public static double MinimizerPlanted(double x0)
            {
                double v0 = Math.Sin(x0);
                double v1 = x0 * 2.0;
                v1 = v1 * 3.0;
                v0 += 0.25;
                return v0 + v1;
            }
            """;
        var batch = RandomBatch.Create(7, 0);
        var program = new RandomProgram("MinimizerPlanted", 1, small, IsHelper: false, NeedsReference: false, Uses: Array.Empty<Production>());
        FaultInjection.Request(program.Name, "tangent");
        try
        {
            Assert.False(FailureReport.Fails(batch, program, small.Replace("return v0 + v1;", "", StringComparison.Ordinal), ProblemKind.Crash));
            Assert.False(FailureReport.Fails(batch, program, small, ProblemKind.WrongGradient));
            var minimized = FailureReport.Minimized(batch, program, ProblemKind.Crash)!;
            Assert.Equal("double v0 = Math.Sin(x0);|double v1 = x0 * 2.0;|return v0 + v1;", string.Join("|", Body(minimized)));
        }
        finally
        {
            FaultInjection.Clear(program.Name, "tangent");
        }

        Assert.False(FailureReport.Fails(batch, program, small, ProblemKind.Crash));
    }

    [Fact]
    public void Programs_write_parameters_and_overwrite_constant_arrays_in_every_kind_of_loop()
    {
        var source = string.Concat(Enumerable.Range(5, 4).Select(b => RandomBatch.Create(b, 250).Source)).Replace("\r", "", StringComparison.Ordinal);
        var shapes = new[]
        {
            @"^\s*x\d (=|\+=|-=|\*=|/=) ",
            @"^\s*c (=|\+=|-=|\*=|/=) ",
            @"^\s*w\[\([ik]\d+ \+ 1\) % \d\] ",
            @"Span<double> w = stackalloc",
            @"for \(int [ik]\d+ = 0; [ik]\d+ < [^;]+; [ik]\d+\+\+\)\n\s*\{\n\s*w\[",
            @"while \(k\d+ < [^;]+\)\n\s*\{\n\s*w\[",
            @"do\n\s*\{\n\s*w\[",
        };
        foreach (var shape in shapes)
        {
            Assert.True(Regex.IsMatch(source, shape, RegexOptions.Multiline), "No program has the shape " + shape);
        }
    }

    private static IEnumerable<string> Body(string method)
    {
        var lines = method.Split('\n').Select(l => l.Trim()).ToList();
        var open = lines.IndexOf("{");
        return lines.Skip(open + 1).Take(lines.LastIndexOf("}") - open - 1).Where(l => l.Length > 0);
    }

    private static bool Compiles(string method) =>
        !GeneratorHarness.CreateCompilation("using System;\nusing StaticGrad;\npublic static partial class C\n{\n" + method + "\n}\n")
            .GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
}
