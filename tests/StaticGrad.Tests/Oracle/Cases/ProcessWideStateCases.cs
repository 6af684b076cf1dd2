using System.Reflection;
using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

using Autograd = StaticGrad.Autograd;

/// <summary>
/// Cases that depend on process-wide state (anomaly detection, a once-per-process warning), run alone so that no test
/// on another thread sees or changes that state meanwhile.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class ProcessWideStateCases
{
    [Fact]
    public void R15_grad_tensor_state_and_create_graph()
    {
        var c = OracleCase.Load(nameof(R15_grad_tensor_state_and_create_graph));
        var x = T([1.0, 2.0], rg: true);
        (x * x).Sum().Backward();
        c.Tensor("grad_plain", x.Grad);
        var x2 = T([1.0, 2.0], rg: true);
        // The create_graph warning fires once per process (TORCH_WARN_ONCE); another test may already have fired it, so
        // the once-flag is reset to observe the first call as PyTorch's fresh process did.
        ResetCreateGraphWarning();
        c.Attempt("backward_create_graph", () => (x2 * x2 * x2).Sum().Backward(createGraph: true));
        c.Tensor("grad_create_graph", x2.Grad);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R29_anomaly_mode_hint()
    {
        var c = OracleCase.Load(nameof(R29_anomaly_mode_hint));
        var x = T([1.0, 2.0], rg: true);
        using (Autograd.DetectAnomaly())
        {
            var y = x.Exp();
            var s = y.Sum();
            y.AddInPlace(1);
            c.Attempt("backward", () => s.Backward());
        }

        c.AllOutputsChecked();
    }

    private static void ResetCreateGraphWarning()
    {
        var engine = typeof(Tensor).Assembly.GetType("StaticGrad.Engine", throwOnError: true)!;
        var flag = engine.GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .SingleOrDefault(f => f.Name.Contains("createGraph", StringComparison.OrdinalIgnoreCase) && f.FieldType == typeof(int));
        Assert.True(flag is not null, "the runtime's once-per-process create_graph warning flag was not found (Engine.s_createGraphWarned)");
        flag!.SetValue(null, 0);
    }
}

/// <summary>The tests that touch process-wide autograd state; xunit runs this collection with nothing in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "Process-wide autograd state";
}
