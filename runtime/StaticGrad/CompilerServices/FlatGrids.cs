using System.ComponentModel;
using System.Numerics;

namespace StaticGrad.CompilerServices;

/// <summary>
/// A local two-dimensional or jagged array of a generated method is stored row by row in a one-dimensional array;
/// passed to a method that takes <c>T[,]</c> or <c>T[][]</c>, it goes as a copy built here, and a [Differentiable]
/// callee's adjoint of that copy is added back into the local's flat adjoint. Not for user code.
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

    /// <summary>A new jagged array of <paramref name="rows"/> rows of <paramref name="columns"/> elements holding the first rows·columns elements of <paramref name="flat"/>, row by row.</summary>
    public static T[][] Jagged<T>(ReadOnlySpan<T> flat, int rows, int columns)
    {
        var jagged = new T[rows][];
        for (var i = 0; i < rows; i++)
        {
            jagged[i] = flat.Slice(i * columns, columns).ToArray();
        }

        return jagged;
    }

    /// <summary>A new jagged array whose row <c>i</c> holds the elements of <paramref name="flat"/> from <c>offsets[i]</c> to <c>offsets[i + 1]</c>, for <paramref name="rows"/> rows.</summary>
    public static T[][] Ragged<T>(ReadOnlySpan<T> flat, int[] offsets, int rows)
    {
        var jagged = new T[rows][];
        for (var i = 0; i < rows; i++)
        {
            jagged[i] = flat.Slice(offsets[i], offsets[i + 1] - offsets[i]).ToArray();
        }

        return jagged;
    }

    /// <summary>A new zeroed jagged array of <paramref name="rows"/> rows of <paramref name="columns"/> elements.</summary>
    public static T[][] JaggedZeros<T>(int rows, int columns)
    {
        var jagged = new T[rows][];
        for (var i = 0; i < rows; i++)
        {
            jagged[i] = new T[columns];
        }

        return jagged;
    }

    /// <summary>A new zeroed jagged array whose row <c>i</c> has <c>offsets[i + 1] - offsets[i]</c> elements, for <paramref name="rows"/> rows.</summary>
    public static T[][] RaggedZeros<T>(int[] offsets, int rows)
    {
        var jagged = new T[rows][];
        for (var i = 0; i < rows; i++)
        {
            jagged[i] = new T[offsets[i + 1] - offsets[i]];
        }

        return jagged;
    }

    /// <summary>Adds every element of <paramref name="jagged"/> to the element of <paramref name="flat"/> that stores it (its rows one after another).</summary>
    public static void AddTo<T>(T[][] jagged, Span<T> flat)
        where T : INumberBase<T>
    {
        var start = 0;
        foreach (var row in jagged)
        {
            for (var j = 0; j < row.Length; j++)
            {
                flat[start + j] += row[j];
            }

            start += row.Length;
        }
    }

    /// <summary>A new zeroed array with the lengths of <paramref name="grid"/> (a Hessian method's direction or product of it).</summary>
    public static T[,] ZerosLike<T>(T[,] grid) => new T[grid.GetLength(0), grid.GetLength(1)];

    /// <summary>A new zeroed jagged array whose rows have the lengths of <paramref name="jagged"/>'s.</summary>
    public static T[][] ZerosLike<T>(T[][] jagged)
    {
        var zeros = new T[jagged.Length][];
        for (var i = 0; i < jagged.Length; i++)
        {
            zeros[i] = new T[jagged[i].Length];
        }

        return zeros;
    }

    /// <summary>How many elements the rows of <paramref name="jagged"/> hold together.</summary>
    public static int ElementCount<T>(T[][] jagged)
    {
        var count = 0;
        foreach (var row in jagged)
        {
            count += row.Length;
        }

        return count;
    }

    /// <summary>
    /// Adds <paramref name="grid"/> to <paramref name="flat"/> row by row (converted to the Hessian's precision, which
    /// may differ from the parameter's), then zeroes it for the next Hessian-vector product.
    /// </summary>
    public static void MoveTo<T, TFlat>(T[,] grid, Span<TFlat> flat)
        where T : INumberBase<T>
        where TFlat : INumberBase<TFlat>
    {
        var columns = grid.GetLength(1);
        for (var i = 0; i < grid.GetLength(0); i++)
        {
            for (var j = 0; j < columns; j++)
            {
                flat[(i * columns) + j] += TFlat.CreateTruncating(grid[i, j]);
            }
        }

        Array.Clear(grid);
    }

    /// <summary>Adds <paramref name="jagged"/> to <paramref name="flat"/> (its rows one after another, converted), then zeroes it.</summary>
    public static void MoveTo<T, TFlat>(T[][] jagged, Span<TFlat> flat)
        where T : INumberBase<T>
        where TFlat : INumberBase<TFlat>
    {
        var start = 0;
        foreach (var row in jagged)
        {
            for (var j = 0; j < row.Length; j++)
            {
                flat[start + j] += TFlat.CreateTruncating(row[j]);
            }

            Array.Clear(row);
            start += row.Length;
        }
    }
}
