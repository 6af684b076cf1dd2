namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>PyTorch's <c>a.data_ptr() == b.data_ptr()</c>: the same storage at the same first element.</summary>
internal static class Aliasing
{
    public static bool SameDataPointer(Tensor a, Tensor b) =>
        ReferenceEquals(a._storage, b._storage) && a._offset == b._offset;
}
