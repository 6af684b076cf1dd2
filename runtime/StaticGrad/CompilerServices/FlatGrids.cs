using System.ComponentModel;
using System.Numerics;

namespace StaticGrad.CompilerServices;

/// <summary>
/// A local two-dimensional array of a generated method is stored row by row in a one-dimensional array; passed to
/// a [Differentiable] callee that takes <c>T[,]</c>, it goes as a copy built here, and the callee's adjoint of that
/// copy is added back into the local's flat adjoint. Not for user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FlatGrids
{
    /// <summary>A new <paramref name="rows"/> × <paramref name="columns"/> array holding the first rows·columns elements of <paramref name="flat"/>, row by row.</summary>
    public static T[,] Grid<T>(ReadOnlySpan<T> flat, int rows, int columns)
    {
        var grid = new T[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                grid[i, j] = flat[(i * columns) + j];
            }
        }

        return grid;
    }

    /// <summary>Adds every element of <paramref name="grid"/> to the element of <paramref name="flat"/> that stores it (row by row).</summary>
    public static void AddTo<T>(T[,] grid, Span<T> flat)
        where T : INumberBase<T>
    {
        var columns = grid.GetLength(1);
        for (var i = 0; i < grid.GetLength(0); i++)
        {
            for (var j = 0; j < columns; j++)
            {
                flat[(i * columns) + j] += grid[i, j];
            }
        }
    }
}
