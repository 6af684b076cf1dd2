using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace StaticGrad.CompilerServices;

/// <summary>
/// The per-thread stack on which generated backward methods save, in their forward sweep, the values their
/// reverse sweep needs (overwritten values, branch decisions, loop trip counts). Not for user code.
/// </summary>
/// <remarks>
/// Each backward pops exactly what it pushed, so a backward that calls another backward (or itself) nests on the
/// same stack without corrupting it. The buffers grow to the largest need and are reused, so steady-state calls
/// allocate nothing.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AdTape
{
    [ThreadStatic]
    private static AdTape? t_current;

    private double[] _doubles = new double[64];
    private float[] _singles = new float[16];
    private int[] _ints = new int[64];
    private long[] _longs = new long[16];
    private bool[] _bools = new bool[64];
    private int _doubleCount;
    private int _singleCount;
    private int _intCount;
    private int _longCount;
    private int _boolCount;

    /// <summary>The current thread's tape.</summary>
    public static AdTape Current => t_current ??= new AdTape();

    /// <summary>Values currently on the tape, all types together (zero between top-level backward calls).</summary>
    public int Count => _doubleCount + _singleCount + _intCount + _longCount + _boolCount;

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_doubleCount == _doubles.Length)
        {
            Array.Resize(ref _doubles, _doubles.Length * 2);
        }

        _doubles[_doubleCount++] = value;
    }

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float value)
    {
        if (_singleCount == _singles.Length)
        {
            Array.Resize(ref _singles, _singles.Length * 2);
        }

        _singles[_singleCount++] = value;
    }

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value)
    {
        if (_intCount == _ints.Length)
        {
            Array.Resize(ref _ints, _ints.Length * 2);
        }

        _ints[_intCount++] = value;
    }

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long value)
    {
        if (_longCount == _longs.Length)
        {
            Array.Resize(ref _longs, _longs.Length * 2);
        }

        _longs[_longCount++] = value;
    }

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(bool value)
    {
        if (_boolCount == _bools.Length)
        {
            Array.Resize(ref _bools, _bools.Length * 2);
        }

        _bools[_boolCount++] = value;
    }

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble() => _doubles[--_doubleCount];

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float PopSingle() => _singles[--_singleCount];

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt32() => _ints[--_intCount];

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long PopInt64() => _longs[--_longCount];

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PopBoolean() => _bools[--_boolCount];

    /// <summary>A zeroed adjoint buffer of at least <paramref name="length"/> elements, from the shared pool.</summary>
    public static double[] RentDoubles(int length)
    {
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(length, 1));
        Array.Clear(buffer, 0, length);
        return buffer;
    }

    /// <inheritdoc cref="RentDoubles(int)"/>
    public static float[] RentSingles(int length)
    {
        var buffer = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        Array.Clear(buffer, 0, length);
        return buffer;
    }

    /// <summary>Gives a buffer from <see cref="RentDoubles"/> back to the pool (empty arrays are ignored).</summary>
    public static void Return(double[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Return(double[])"/>
    public static void Return(float[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
