using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage;
using Xunit.Abstractions;

namespace StaticGrad.Analyzers.Tests.Performance;

/// <summary>
/// The analyzer on a generated file of 600 methods with branches, loops and grad-mode scopes. The time is
/// printed for the report (the driver's own per-analyzer telemetry); only the diagnostics are asserted. (2 000 methods
/// until session 18: two minutes of the suite's ten on one thread, for the same assertions; the analyzer's cost on a
/// project is measured by the benchmark project's `--analyzer-cost`, not here.)
/// </summary>
public class LargeFileAnalysisTests(ITestOutputHelper output)
{
    private const int Methods = 600;

    [Fact]
    public async Task Analyzes_six_hundred_methods_and_reports_each_planted_error_once()
    {
        var compilation = CSharpCompilation.Create(
            "Large",
            [CSharpSyntaxTree.ParseText(GenerateSource(), new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var analyzer = new TensorUsageAnalyzer();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers([analyzer], options);
        var stopwatch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        stopwatch.Stop();
        var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Methods} methods ({Methods / 2} without tensors): analyzer execution time {telemetry.ExecutionTime.TotalMilliseconds:F0} ms ({telemetry.ExecutionTime.TotalMilliseconds * 1000 / Methods:F0} µs per method), wall time with the compiler's binding {stopwatch.ElapsedMilliseconds} ms"));

        var byId = diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Methods / 2, byId.GetValueOrDefault("SG0001"));
        Assert.Equal(Methods / 2, byId.GetValueOrDefault("SG0006"));
        Assert.Equal(2, byId.Count);
    }

    private static string GenerateSource()
    {
        var builder = new StringBuilder("using System;\nusing StaticGrad;\n\npublic static class Generated\n{\n");
        for (var i = 0; i < Methods; i++)
        {
            if (i % 2 == 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $$"""
                        public static double Train{{i}}(bool flag, int steps)
                        {
                            var w = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 }, requiresGrad: true);
                            var b = Tensor.Zeros(new[] { 3 }, requiresGrad: true);
                            var total = 0.0;
                            for (var step = 0; step < steps; step++)
                            {
                                var h = flag ? (w * w).Tanh() : w.Exp() + b;
                                var loss = (h * 2.0 + b).Sum();
                                loss.Backward();
                                using (Autograd.NoGrad())
                                {
                                    w.SubInPlace(w.Grad!, alpha: 0.1);
                                    w.Grad!.ZeroInPlace();
                                }
                                total += loss.Item();
                            }
                            var y = w * 3.0;
                            y.RequiresGrad = false;
                            b.AddInPlace(1.0);
                            return total;
                        }

                    """);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $$"""
                        public static double Plain{{i}}(double[] values, int n)
                        {
                            var sum = 0.0;
                            for (var k = 0; k < n && k < values.Length; k++)
                            {
                                sum += Math.Sqrt(Math.Abs(values[k])) * (k % 2 == 0 ? 1 : -1);
                            }
                            return sum;
                        }

                    """);
            }
        }

        return builder.Append("}\n").ToString();
    }
}
