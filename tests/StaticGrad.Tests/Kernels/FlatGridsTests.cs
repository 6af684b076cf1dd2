namespace StaticGrad.Tests.Kernels;

using StaticGrad.CompilerServices;

/// <summary>
/// The copies generated code makes of a local two-dimensional array (stored row by row) for a <c>T[,]</c> callee:
/// the grid holds the flat elements row by row, ignores a longer (pooled) buffer's tail, and its adjoint adds back.
/// </summary>
public class FlatGridsTests
{
    [Fact]
    public void Grid_reads_rows_in_order_and_ignores_the_tail_of_a_longer_buffer()
    {
        var flat = new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 99.0 };
        var grid = FlatGrids.Grid<double>(flat, 2, 3);
        Assert.Equal(new[,] { { 1.0, 2.0, 3.0 }, { 4.0, 5.0, 6.0 } }, grid);
        Assert.Equal(99.0, flat[6]);
    }

    [Fact]
    public void AddTo_accumulates_into_the_flat_elements_and_leaves_the_tail_alone()
    {
        var flat = new[] { 1f, 1f, 1f, 1f, 7f };
        FlatGrids.AddTo(new[,] { { 0.5f, -1f }, { 2f, 0f } }, flat);
        Assert.Equal(new[] { 1.5f, 0f, 3f, 1f, 7f }, flat);
    }
}
