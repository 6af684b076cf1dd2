using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>The random-program generator itself: valid C#, deterministic, a faithful reference, every production used.</summary>
public sealed class ProgramGeneratorTests
{
    [Fact]
    public void Same_seed_gives_the_same_batch()
    {
        Assert.Equal(RandomBatch.Create(7, 30).Source, RandomBatch.Create(7, 30).Source);
        Assert.NotEqual(RandomBatch.Create(7, 30).Source, RandomBatch.Create(8, 30).Source);
    }

    [Fact]
    public void Programs_are_valid_CSharp_and_the_reference_equals_the_program_at_the_base_point()
    {
        var batch = RandomBatch.Create(11, 200);
        var compilation = GeneratorHarness.CreateCompilation(batch.Source, AdapterWriter.Write(batch.Methods.Select((m, i) => (i, m)), includeBackward: false));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)) + "\n" + batch.Source);

        var assembly = Assembly.Load(stream.ToArray());
        var random = new Random(3);
        var withReference = 0;
        for (var i = 0; i < batch.Methods.Count; i++)
        {
            var m = batch.Methods[i];
            var adapter = assembly.GetType(AdapterWriter.Namespace + "." + AdapterWriter.ClassName(i))!;
            var primal = adapter.GetMethod("Primal")!.CreateDelegate<Func<double[][], double>>();
            var point = FiniteDifferenceCheck.DrawPoint(m, random);
            var value = primal(FiniteDifferenceCheck.Copy(point));
            if (adapter.GetMethod("FdReference") is { } reference)
            {
                withReference++;
                var referenceValue = (double)reference.Invoke(null, new object[] { FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Copy(point) })!;
                Assert.True(value.Equals(referenceValue), $"{m.Key}: {value} vs reference {referenceValue}\n{batch.Reproduction(m)}");
            }
        }

        Assert.True(withReference > 10, $"Only {withReference} programs use Detach or NoGrad.");
    }

    [Fact]
    public void Each_recorded_production_reaches_its_stated_share()
    {
        var programs = Enumerable.Range(0, 4).SelectMany(b => RandomBatch.Create(20261123 + b, 250).Programs).ToList();
        foreach (var (production, minimum) in ProductionShares.Minimum.Where(m => ProgramGenerator.Allowed(m.Key)))
        {
            var share = programs.Count(p => p.Uses.Contains(production)) / (double)programs.Count;
            Assert.True(share >= minimum, $"{production} is used by {share:P1} of the programs, at least {minimum:P0} required ({ProductionShares.Describe(programs.Select(p => p.Uses).ToList())}).");
        }
    }

    [Fact]
    public void Every_supported_production_appears()
    {
        var source = RandomBatch.Create(5, 250).Source + RandomBatch.Create(6, 250).Source;
        var expected = new Dictionary<Production, string>
        {
            [Production.Detach] = "Autograd.Detach(",
            [Production.NoGradBlock] = "using (Autograd.NoGrad())",
            [Production.HelperCall] = "Helpers.H",
            [Production.InArgumentCall] = "Helpers.InBlend(in v",
            [Production.ForLoop] = "for (int i",
            [Production.WhileLoop] = "while (k",
            [Production.DoWhileLoop] = "do\n",
            [Production.Foreach] = "foreach (var e",
            [Production.Break] = "break;",
            [Production.Continue] = "continue;",
            [Production.EarlyReturn] = ") return ",
            [Production.Switch] = "switch (n)",
            [Production.LocalArray] = "new double[",
            [Production.Stackalloc] = "stackalloc",
            [Production.SpanParameter] = "ReadOnlySpan<",
            [Production.NoGradParameter] = "[NoGrad]",
            [Production.SinglePrecision] = "MathF.",
            [Production.KinkedMath] = ".Abs(",
            [Production.ZeroDerivativeMath] = ".Floor(",
            [Production.Conditional] = " ? ",
            [Production.CompoundAssignment] = " *= ",
            [Production.IncrementDecrement] = "++;",
            [Production.LoopRestore] = "while (true)",
        };
        foreach (var (production, text) in expected.Where(e => ProgramGenerator.Allowed(e.Key)))
        {
            Assert.True(source.Replace("\r", "").Contains(text, StringComparison.Ordinal), $"No program uses {production} ('{text}').");
        }
    }
}
