using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticGrad;

/// <summary>
/// Maximum or minimum along a dimension and the index of its first occurrence, as PyTorch defines them: the first NaN
/// wins, and a tie keeps the lower index (of −0 and +0, whichever comes first). Vectorised; threads take whole rows or
/// whole columns, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// <see cref="System.Numerics.Tensors.TensorPrimitives"/>' <c>IndexOfMax</c> orders +0 above −0, which PyTorch does
/// not, so rows are reduced here in two passes: the extreme value by lane-wise comparisons (a NaN only noted), then the
/// first element equal to it (or the first NaN), whose own value is returned.
/// </remarks>
internal static class ExtremeKernels
{
    public static void Run<T>(T[] x, int offset, (int Outer, int N, int Inner) s, bool max, T[] values, long[] indices)
        where T : unmanaged, INumber<T>
    {
        if (s.Inner == 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N, (first, count) =>
            {
                for (int o = first; o < first + count; o++)
                {
                    (values[o], indices[o]) = Row(new ReadOnlySpan<T>(x, offset + (o * s.N), s.N), max);
                }
            });
        }
        else if (s.Outer > 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N * s.Inner, (first, count) =>
            {
                var scratch = new T[s.Inner];
                for (int o = first; o < first + count; o++)
                {
                    Columns(x, offset + (o * s.N * s.Inner), s.N, s.Inner, 0, max, values.AsSpan(o * s.Inner, s.Inner), indices.AsSpan(o * s.Inner, s.Inner), scratch);
                }
            });
        }
        else
        {
            ParallelElementwise.For(s.Inner, (first, count) =>
                Columns(x, offset, s.N, s.Inner, first, max, values.AsSpan(first, count), indices.AsSpan(first, count), new T[count]));
        }
    }

    private static (T Value, long Index) Row<T>(ReadOnlySpan<T> row, bool max)
        where T : unmanaged, INumber<T>
    {
        int w = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported || row.Length < w)
        {
            return ScalarRow(row, max);
        }

        ref T r = ref MemoryMarshal.GetReference(row);
        var best = Vector256.LoadUnsafe(ref r);
        var nan = ~Vector256.Equals(best, best);
        for (int i = w; i < row.Length; i += w)
        {
            // The last block overlaps the previous one instead of a scalar tail: max and min do not mind repeats.
            var v = Vector256.LoadUnsafe(ref r, (nuint)Math.Min(i, row.Length - w));
            nan |= ~Vector256.Equals(v, v);
            best = Vector256.ConditionalSelect(max ? Vector256.GreaterThan(v, best) : Vector256.LessThan(v, best), v, best);
        }

        if (nan.ExtractMostSignificantBits() != 0)
        {
            for (int k = 0; k < row.Length; k++)
            {
                if (T.IsNaN(row[k]))
                {
                    return (row[k], k);
                }
            }
        }

        T m = best[0];
        for (int lane = 1; lane < w; lane++)
        {
            if (max ? best[lane] > m : best[lane] < m)
            {
                m = best[lane];
            }
        }

        var target = Vector256.Create(m);
        int j = 0;
        for (; j + w <= row.Length; j += w)
        {
            uint equal = Vector256.Equals(Vector256.LoadUnsafe(ref r, (nuint)j), target).ExtractMostSignificantBits();
            if (equal != 0)
            {
                int k = j + BitOperations.TrailingZeroCount(equal);
                return (row[k], k);
            }
        }

        for (; j < row.Length; j++)
        {
            if (row[j] == m)
            {
                return (row[j], j);
            }
        }

        throw new InvalidOperationException("unreachable: the extreme value is an element of the row");
    }

    private static (T Value, long Index) ScalarRow<T>(ReadOnlySpan<T> row, bool max)
        where T : unmanaged, INumber<T>
    {
        T best = row[0];
        int bestK = 0;
        for (int k = 1; k < row.Length && !T.IsNaN(best); k++)
        {
            T v = row[k];
            if (T.IsNaN(v) || (max ? v > best : v < best))
            {
                best = v;
                bestK = k;
            }
        }

        return (best, bestK);
    }

    /// <summary>
    /// Columns first … first + count of an [n, inner] block starting at <paramref name="start"/>: one pass per row,
    /// vectorised along the columns, the running index kept as T (exact: n ≤ 2²⁴ for float) in <paramref name="index"/>.
    /// </summary>
    private static void Columns<T>(T[] x, int start, int n, int inner, int first, bool max, Span<T> values, Span<long> indices, T[] index)
        where T : unmanaged, INumber<T>
    {
        int count = values.Length;
        new ReadOnlySpan<T>(x, start + first, count).CopyTo(values);
        if (typeof(T) == typeof(float) && n > 1 << 24)
        {
            ScalarColumns(x, start, n, inner, first, max, values, indices);
            return;
        }

        var idx = index.AsSpan(0, count);
        idx.Clear();
        int w = Vector256<T>.Count;
        bool vector = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        ref T vr = ref MemoryMarshal.GetReference(values);
        ref T ir = ref MemoryMarshal.GetReference(idx);
        for (int k = 1; k < n; k++)
        {
            var row = new ReadOnlySpan<T>(x, start + (k * inner) + first, count);
            T kt = T.CreateTruncating(k);
            int j = 0;
            if (vector)
            {
                ref T rr = ref MemoryMarshal.GetReference(row);
                var kv = Vector256.Create(kt);
                for (; j + w <= count; j += w)
                {
                    var v = Vector256.LoadUnsafe(ref rr, (nuint)j);
                    var b = Vector256.LoadUnsafe(ref vr, (nuint)j);
                    var take = (max ? Vector256.GreaterThan(v, b) : Vector256.LessThan(v, b)) | Vector256.AndNot(Vector256.Equals(b, b), Vector256.Equals(v, v));
                    Vector256.ConditionalSelect(take, v, b).StoreUnsafe(ref vr, (nuint)j);
                    Vector256.ConditionalSelect(take, kv, Vector256.LoadUnsafe(ref ir, (nuint)j)).StoreUnsafe(ref ir, (nuint)j);
                }
            }

            for (; j < count; j++)
            {
                if (Takes(row[j], values[j], max))
                {
                    values[j] = row[j];
                    idx[j] = kt;
                }
            }
        }

        for (int j = 0; j < count; j++)
        {
            indices[j] = long.CreateTruncating(idx[j]);
        }
    }

    private static void ScalarColumns<T>(T[] x, int start, int n, int inner, int first, bool max, Span<T> values, Span<long> indices)
        where T : unmanaged, INumber<T>
    {
        indices.Clear();
        for (int k = 1; k < n; k++)
        {
            for (int j = 0; j < values.Length; j++)
            {
                T v = x[start + (k * inner) + first + j];
                if (Takes(v, values[j], max))
                {
                    values[j] = v;
                    indices[j] = k;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="v"/>, coming later, replaces <paramref name="best"/>: larger (smaller), or the first NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Takes<T>(T v, T best, bool max)
        where T : INumber<T> =>
        (max ? v > best : v < best) || (T.IsNaN(v) && !T.IsNaN(best));
}
