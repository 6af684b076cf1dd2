using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 24: the share of random programs with a loop whose condition has a side effect (the <c>LoopCondition</c>
/// production, ProgramGenerator.LoopConditions), over 500 programs of the share batches, and of two of its forms that
/// the lowering treats specially: the short-circuit form (<c>… &amp;&amp; lc++ &lt; b</c>, the increment under an if)
/// and the real local halved in the condition. The minimums are below the shares measured when the production was
/// added (41 of 500, 8.2 %; short-circuit 11, 2.2 %; real 8, 1.6 %), so that a change of the main stream does not fail the test while the paths are still exercised.
/// </summary>
public sealed class LoopConditionShareTests
{
    private readonly ITestOutputHelper _output;

    public LoopConditionShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_write_loop_conditions_with_side_effects()
    {
        var programs = Enumerable.Range(0, 2).SelectMany(b => RandomBatch.Create(20261123 + b, 250).Programs).ToList();
        var uses = programs.Count(p => p.Uses.Contains(Production.LoopCondition));
        var shortCircuit = programs.Count(p => p.Uses.Contains(Production.LoopCondition) && System.Text.RegularExpressions.Regex.IsMatch(p.Source, @"&& lc\d+\+\+ <"));
        var real = programs.Count(p => p.Uses.Contains(Production.LoopCondition) && System.Text.RegularExpressions.Regex.IsMatch(p.Source, @"while \(\(ld\d+ \*="));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs.Count} programs: a loop condition with a side effect in {uses}, short-circuit {shortCircuit}, a real local halved {real}."));
        Assert.True(uses >= 0.05 * programs.Count, $"Only {uses} of {programs.Count} programs have a loop condition with a side effect (minimum 5 %).");
        Assert.True(shortCircuit >= 0.005 * programs.Count, $"Only {shortCircuit} of {programs.Count} programs increment in the right operand of && (minimum 0.5 %).");
        Assert.True(real >= 0.005 * programs.Count, $"Only {real} of {programs.Count} programs halve a real local in a condition (minimum 0.5 %).");
    }
}
