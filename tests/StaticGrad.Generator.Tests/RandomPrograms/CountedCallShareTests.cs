using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 25: the share of random programs that call a counting helper that is not [Differentiable] (the
/// <c>CountedCall</c> production, ProgramGenerator.CountedCalls), over 500 programs of the share batches, and of the
/// value form (<c>(T)RpCounted.Next(i) * e</c>, whose value the reverse sweep needs). ProgramCheck compares the
/// helpers' call counts of the method, its Backward and its Tangent in every program that calls them. The minimums
/// are below the shares measured when the production was added (see docs/random-programs.md, session 25).
/// </summary>
public sealed class CountedCallShareTests
{
    private readonly ITestOutputHelper _output;

    public CountedCallShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_call_counting_helpers()
    {
        var programs = Enumerable.Range(0, 2).SelectMany(b => RandomBatch.Create(20261123 + b, 250).Programs).ToList();
        var uses = programs.Count(p => p.Uses.Contains(Production.CountedCall));
        var values = programs.Count(p => p.Source.Contains(")RpCounted.Next(", StringComparison.Ordinal));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs.Count} programs: a counting helper in {uses}, its value a factor in {values}."));
        Assert.True(uses >= 0.03 * programs.Count, $"Only {uses} of {programs.Count} programs call a counting helper (minimum 3 %).");
        Assert.True(values >= 0.01 * programs.Count, $"Only {values} of {programs.Count} programs use a counting helper's value as a factor (minimum 1 %).");
    }
}
