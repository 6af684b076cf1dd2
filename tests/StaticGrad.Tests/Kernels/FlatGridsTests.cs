namespace StaticGrad.Tests.Kernels;

using StaticGrad.CompilerServices;

/// <summary>
/// The copies generated code makes of a local two-dimensional array (stored row by row) for a <c>T[,]</c> callee:
/// the grid holds the flat elements row by row, ignores a longer (pooled) buffer's tail, and its adjoint adds back;
/// likewise for a local jagged array's rows (of one length, or ragged at hidden offsets).
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

    [Fact]
    public void Jagged_and_Ragged_copy_rows_in_order_and_ignore_the_tail()
    {
        var flat = new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 99.0 };
        var uniform = FlatGrids.Jagged<double>(flat, 3, 2);
        Assert.Equal(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 }, new[] { 5.0, 6.0 } }, uniform);
        var ragged = FlatGrids.Ragged<double>(flat, new[] { 0, 1, 3, 6 }, 3);
        Assert.Equal(new[] { new[] { 1.0 }, new[] { 2.0, 3.0 }, new[] { 4.0, 5.0, 6.0 } }, ragged);
        ragged[0][0] = -1;
        Assert.Equal(1.0, flat[0]);
    }

    [Fact]
    public void Zeros_have_the_row_lengths_and_AddTo_of_rows_accumulates_into_the_flat_elements()
    {
        Assert.Equal(new[] { new float[2], new float[2] }, FlatGrids.JaggedZeros<float>(2, 2));
        var zeros = FlatGrids.RaggedZeros<double>(new[] { 0, 2, 3 }, 2);
        Assert.Equal(new[] { 2, 1 }, zeros.Select(r => r.Length));
        var flat = new[] { 1.0, 1.0, 1.0, 7.0 };
        FlatGrids.AddTo(new[] { new[] { 0.5, -1.0 }, new[] { 2.0 } }, flat);
        Assert.Equal(new[] { 1.5, 0.0, 3.0, 7.0 }, flat);
    }
}
