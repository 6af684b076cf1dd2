namespace StaticGrad.Tests.Nn;

internal static class LayerAssert
{
    /// <summary>
    /// Same shape and every element within <c>atol + rtol·|expected|</c>. The float64 defaults allow for a different
    /// summation order than libtorch's (a few ulps per accumulated term), not for a different formula.
    /// </summary>
    public static void Close(Tensor expected, Tensor? actual, double atol = 1e-12, double rtol = 1e-10, string what = "")
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            if (!(Math.Abs(a[i] - e[i]) <= atol + (rtol * Math.Abs(e[i]))))
            {
                Assert.Fail($"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
            }
        }
    }
}
