using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>The whole hand-written corpus: its sources and the [Differentiable] methods read from them.</summary>
internal static class CorpusSources
{
    public static readonly string[] All =
    {
        ScalarCorpus.Source,
        ControlFlowCorpus.Source,
        LoopCorpus.Source,
        ArrayCorpus.Source,
        CallCorpus.Source,
        MarkerCorpus.Source,
        FloatCorpus.Source,
        InstanceCorpus.Source,
        ReversalCorpus.Source,
        GuardCorpus.Source,
        LocalFunctionCorpus.Source,
        PatternCorpus.Source,
        MathLibraryCorpus.Source,
        EverydayCorpus.Source,
        ParameterWriteCorpus.Source,
        LoopRestoreCorpus.Source,
        HostileNameCorpus.Source,
        EverydayFormsCorpus.Source,
        RecursiveLocalFunctionCorpus.Source,
        PropertyPatternCorpus.Source,
        RandomProgramRegressionCorpus.Source,
        RandomProgramSpreadRegressionCorpus.Source,
        Session20DomainCorpus.PhysicsSource,
        Session20DomainCorpus.FinanceSource,
        Session20DomainCorpus.GraphicsSource,
        Session20DomainCorpus.MlSource,
        Session20FindingsCorpus.Source,
        Session21DomainCorpus.SignalSource,
        Session21DomainCorpus.ChemistrySource,
        Session21DomainCorpus.EconomicsSource,
        Session21DomainCorpus.ControlSource,
        Session21DomainCorpus.VisionSource,
        Session21DomainCorpus.OptimisationSource,
        Session21DomainCorpus.GeodesySource,
        Session21DomainCorpus.FormsSource,
        Session21LinqCorpus.Source,
        Session23DomainCorpus.RoboticsSource,
        Session23DomainCorpus.GraphicsSource,
        Session23DomainCorpus.StatisticsSource,
        Session23DomainCorpus.MlSource,
        Session23DomainCorpus.NumericsSource,
        Session23DomainCorpus.FinanceSource,
        Session23DomainCorpus.PhysicsSource,
        Session24DomainCorpus.BiologySource,
        Session24DomainCorpus.PharmacologySource,
        Session24DomainCorpus.AudioSource,
        Session24DomainCorpus.GameSource,
        Session24DomainCorpus.GeometrySource,
        Session24DomainCorpus.AstronomySource,
        Session24DomainCorpus.ElectricalSource,
        Session24DomainCorpus.HydrologySource,
        Session24DomainCorpus.RlSource,
        Session24DomainCorpus.StructuresSource,
    };

    public static readonly IReadOnlyList<MethodUnderTest> Methods = All.SelectMany(MethodUnderTest.ReadAll).ToArray();

    public static MethodUnderTest Find(string key) => Methods.Single(m => m.Key == key);
}
