using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// The hidden project property <c>StaticGradFaultInjection</c> (what the package test sets in a consumer project):
/// the named method's backward stage fails inside its guard, which gives one SG1000 at that method and costs only its
/// backward file; without the property, or naming no method of the project, nothing changes.
/// </summary>
public sealed class FaultInjectionSwitchTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Switched;

        public static partial class F
        {
            [Differentiable]
            public static double Before(double x, double y) => Math.Sin(x) * y;

            [Differentiable(Forward = true)]
            public static double Target(double x, double y) => x * x * y;

            [Differentiable]
            public static double After(double x) { var s = 0.0; for (int i = 0; i < 3; i++) s = s * x + 1; return s; }
        }
        """;

    [Fact]
    public void The_named_methods_backward_fails_with_SG1000_and_costs_only_its_file()
    {
        var expected = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source), BuildProperties.None).Sources.Select(s => s.HintName).ToList();

        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source), new BuildProperties(("StaticGradFaultInjection", " Target ")));

        Assert.Equal(expected.Where(h => h != "Switched.F.Target.g.cs"), output.Sources.Select(s => s.HintName));
        Assert.Contains("Switched.F.Target.Tangent.g.cs", expected);
        var error = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("SG1000", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(Source.IndexOf("Target(", StringComparison.Ordinal), error.Location.SourceSpan.Start);
        Assert.Contains("'F.Target': System.InvalidOperationException in the backward: fault injected by StaticGradFaultInjection=Target", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("NoSuchMethod")]
    public void Unset_or_naming_no_method_changes_nothing(string value)
    {
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source), new BuildProperties(("StaticGradFaultInjection", value)));

        GeneratorHarness.AssertClean(output);
        Assert.Equal(4, output.Sources.Length);
    }
}
