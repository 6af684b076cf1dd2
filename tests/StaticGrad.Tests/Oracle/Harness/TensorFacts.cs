namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>What the oracle records about a tensor, read from a runtime tensor without side effects (no warning).</summary>
internal sealed record TensorFacts(
    double[] Values, string DType, int[] Shape, bool RequiresGrad, bool IsLeaf, string? GradFn, bool RetainsGrad,
    bool IsInference, long? Version, string VersionText, Tensor? Grad)
{
    public static TensorFacts Of(Tensor t)
    {
        long? version = null;
        string versionText;
        try
        {
            version = t.Version;
            versionText = version.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException e)
        {
            // The oracle's encoding of a tensor whose counter cannot be read (inference tensors).
            versionText = "error: " + e.Message;
        }

        return new TensorFacts(
            t.Detach().ToArray(),
            t.DType.TorchName(),
            t.Shape,
            t.RequiresGrad,
            t.IsLeaf,
            t.GradFn?.Name,
            t.RetainsGrad,
            t.IsInference,
            version,
            versionText,
            t.GradRaw);
    }
}
