namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>
/// The oracle compares exact messages and warnings, which depend on process-wide state (anomaly detection, a
/// once-per-process warning, the static <see cref="StaticGrad.Autograd.Warning"/> event): its tests run in this collection, which
/// xunit runs alone after the parallel ones, so no other test changes that state or hears these warnings meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OracleCollection
{
    public const string Name = "PyTorch oracle (exclusive: process-wide autograd state)";
}
