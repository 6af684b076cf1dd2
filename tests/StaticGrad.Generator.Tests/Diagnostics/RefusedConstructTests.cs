using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Diagnostics;

/// <summary>
/// Every construct that stays outside the body language, in one file as a user would meet them: each method gets
/// exactly one error, located inside the method, in the user's words with the rewrite that works (no follow-on
/// errors from the same construct, no name of an internal operation kind).
/// </summary>
public sealed class RefusedConstructTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Refusals;

        public enum Mode { Plain, Scaled }

        // Session 23: a positional record's own Deconstruct is C#'s (its properties in order) and is supported; a
        // struct that writes its Deconstruct may order or compute its outputs otherwise, and stays refused.
        public struct Sample
        {
            public double Value;
            public double Weight;
            public Sample(double value, double weight) { Value = value; Weight = weight; }
            public void Deconstruct(out double weight, out double value) { weight = Weight; value = Value; }
        }

        public static partial class Refused
        {
            [Differentiable]
            public static double ForEachDeconstructionWithDiscard(double[] a)
            {
                var pairs = new (double X, double Y)[a.Length];
                for (var i = 0; i < a.Length; i++) pairs[i] = (a[i], a[i] * a[i]);
                double s = 0;
                foreach (var (x, _) in pairs) s += x;
                return s;
            }

            [Differentiable]
            public static double ForEachDeconstructionOfAStructWithItsOwnDeconstruct(double[] a)
            {
                var samples = new Sample[a.Length];
                for (var i = 0; i < a.Length; i++) samples[i] = new Sample(a[i], 2.0);
                double s = 0;
                foreach (var (value, weight) in samples) s += value * weight;
                return s;
            }

            [Differentiable]
            public static double EnumFromADouble(double x, double choice) => (Mode)choice == Mode.Scaled ? 2 * x : x;

            [Differentiable]
            public static double Goto(double x) { double v = x; goto done; done: return v * x; }

            [Differentiable]
            public static double TryFinally(double x) { try { return x * x; } finally { Console.WriteLine(); } }

            [Differentiable]
            public static double Lambda(double x) { Func<double, double> f = t => t * t; return f(x); }

            [Differentiable]
            public static double RecursiveLocalFunctionWritingACapturedLocal(double x, int n)
            {
                double calls = 0;
                double Power(double b, int k) { calls++; return k == 0 ? 1 : b * Power(b, k - 1); }
                return Power(x, n) + calls;
            }

            [Differentiable]
            public static T RecursiveLocalFunctionInAGenericMethod<T>(T x, int n) where T : System.Numerics.IFloatingPointIeee754<T>
            {
                T Power(T b, int k) => k == 0 ? T.One : b * Power(b, k - 1);
                return Power(x, n);
            }

            [Differentiable]
            public static double IndexLocalAssignedAgain(double[] a, int i)
            {
                Index last = ^1;
                if (i > 0)
                    last = ^2;
                return a[last] * a[0];
            }

            [Differentiable]
            public static double Range(double[] a) { var part = a[1..3]; return part[0] * a[0]; }

            [Differentiable]
            public static double RefLocalToAScalar(double x) { double y = x; ref double r = ref y; r = r * 2; return y * r; }

            [Differentiable]
            public static double LambdaReadingAParameter(double[] a, int n) { int i = Array.FindIndex(a, v => v > n); return a[i] * a[0]; }

            [Differentiable]
            public static double HalfArithmetic(float x) { Half h = (Half)x; return x * (float)h; }

            [Differentiable]
            public static double LambdaWritingACapturedLocal(double x, System.Collections.Generic.List<int> items) { int total = 0; items.ForEach(i => total += i); return x * x + total; }

            [Differentiable]
            public static double LocalFunctionWithStatementsInLoopTest(double x)
            {
                double Step(double v) { var w = v * 0.5; return w; }
                double s = x;
                while (Step(s) > 0.1) s = s * 0.5;
                return s;
            }

            [Differentiable]
            public static double ThrowInsideShortCircuit(double x, bool check)
            {
                bool ok = check && (x > 0 ? true : throw new ArgumentException("x"));
                return ok ? x * x : x;
            }

            [Differentiable]
            public static double ListPattern(double[] a) => a is [var first, ..] ? first * a[0] : a[0];

            [Differentiable]
            public static double ArrayWrittenByACall(double x)
            {
                var t = new double[3];
                Array.Fill(t, x);
                return t[0] * x;
            }

            [Differentiable]
            public static double GenericOverAnItem<T>(T item, double x) where T : class => item is null ? x : x * x;

            [Differentiable]
            public static double OutParameter(double x, out double y) { y = x; return x * x; }

            [Differentiable]
            public static double JaggedRowsOfDifferentLengths(double x)
            {
                var rows = new double[2][];
                rows[0] = new double[1];
                rows[1] = new double[2];
                rows[1][1] = x;
                return rows[1][1] * x;
            }

            [Differentiable]
            public static double LocalFunctionReturningEarly(double x)
            {
                double Clip(double v) { if (v > 1) return 1; return v; }
                return Clip(x) * x;
            }
        }
        """;

    [Fact]
    public void Each_refused_construct_gets_exactly_one_located_error_in_user_words()
    {
        var output = GeneratorHarness.Run(Source);
        var tree = output.OutputCompilation.SyntaxTrees.First();
        // The [Differentiable] methods (a struct's own Deconstruct is a method of the source too, not a case).
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.AttributeLists.Count > 0).ToList();
        var errors = output.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("SG1", StringComparison.Ordinal)).ToList();
        var kindWords = Enum.GetNames<OperationKind>().Where(n => n.Count(char.IsUpper) > 1).Select(Words).ToList();
        var report = string.Join("\n", errors.Select(e => e.ToString()));
        foreach (var method in methods)
        {
            var mine = errors.Where(e => e.Location.SourceTree == tree && method.Span.Contains(e.Location.SourceSpan)).ToList();
            Assert.True(mine.Count == 1, $"{method.Identifier.Text}: {mine.Count} errors\n{report}");
            var message = mine[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.DoesNotContain(kindWords, w => message.Contains(w, StringComparison.OrdinalIgnoreCase) && !IsCommonPhrase(w));
            Assert.True(message.Contains('(', StringComparison.Ordinal) || message.Contains(':', StringComparison.Ordinal), $"{method.Identifier.Text}: no rewrite in '{message}'");
        }

        Assert.Equal(methods.Count, errors.Count);
        Assert.DoesNotContain(output.Sources, s => s.HintName.StartsWith("Refusals.Refused.", StringComparison.Ordinal) && !s.HintName.Contains(".Tensor", StringComparison.Ordinal));
    }

    /// <summary><c>SimpleAssignment</c> → <c>simple assignment</c>: how an operation kind reads when turned into words.</summary>
    private static string Words(string kind) =>
        string.Concat(kind.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>Phrases that are also plain English in a message (a rewrite may say "local function").</summary>
    private static bool IsCommonPhrase(string words) => words is "local function" or "array creation" or "object creation" or "type pattern" or "declaration pattern";
}
