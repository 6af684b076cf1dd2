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

    private ValueStack<double> _doubles = new(64);
    private ValueStack<float> _singles = new(16);
    private ValueStack<int> _ints = new(64);
    private ValueStack<long> _longs = new(16);
    private ValueStack<bool> _bools = new(64);

    /// <summary>Arrays a loop creates anew each iteration: the reverse sweep gets each iteration's array back.</summary>
    private readonly List<Array?> _arrays = new();

    /// <summary>The current thread's tape.</summary>
    public static AdTape Current => t_current ??= new AdTape();

    /// <summary>Values currently on the tape, all types together (zero between top-level backward calls).</summary>
    public int Count => _doubles.Count + _singles.Count + _ints.Count + _longs.Count + _bools.Count + _arrays.Count;

    /// <summary>
    /// Bytes the current thread's tape buffers hold: they grow by doubling to the largest need and are kept, so this
    /// is at least the peak of every backward run on this thread so far and less than twice it (diagnostics, e.g.
    /// how much a long loop saved).
    /// </summary>
    public long ReservedBytes =>
        ((long)_doubles.Capacity * sizeof(double)) + ((long)_singles.Capacity * sizeof(float)) + ((long)_ints.Capacity * sizeof(int))
        + ((long)_longs.Capacity * sizeof(long)) + ((long)_bools.Capacity * sizeof(bool));

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value) => _doubles.Push(value);

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float value) => _singles.Push(value);

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value) => _ints.Push(value);

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long value) => _longs.Push(value);

    /// <summary>Saves a value for the reverse sweep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(bool value) => _bools.Push(value);

    /// <summary>Saves the array a local held before it is created again (a buffer allocated inside a loop).</summary>
    public void PushArray(Array? array) => _arrays.Add(array);

    /// <summary>Restores the array pushed last (null when the local held none), and drops the tape's reference to it.</summary>
    public T[] PopArray<T>()
    {
        var last = _arrays.Count - 1;
        var array = (T[]?)_arrays[last];
        _arrays.RemoveAt(last);
        return array!;
    }

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble() => _doubles.Pop();

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float PopSingle() => _singles.Pop();

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt32() => _ints.Pop();

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long PopInt64() => _longs.Pop();

    /// <summary>Restores the value pushed last of this type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PopBoolean() => _bools.Pop();

    /// <summary>
    /// Saves a value of a generic-math method's type parameter (its generated backward is written over <c>T</c>). Its
    /// stack is the thread's, as <see cref="Current"/> is, and not part of <see cref="Count"/>.
    /// </summary>
    public void Push<T>(T value) => TypedStack<T>.Items.Push(value);

    /// <summary>Restores the value of type <typeparamref name="T"/> pushed last.</summary>
    public T Pop<T>() => TypedStack<T>.Items.Pop();

    /// <inheritdoc cref="RentDoubles(int)"/>
    public static T[] Rent<T>(int length)
    {
        var buffer = ArrayPool<T>.Shared.Rent(Math.Max(length, 1));
        Array.Clear(buffer, 0, length);
        return buffer;
    }

    /// <inheritdoc cref="Return(double[])"/>
    public static void Return<T>(T[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>A zeroed adjoint buffer of at least <paramref name="length"/> elements, from the shared pool.</summary>
    public static double[] RentDoubles(int length) => Rent<double>(length);

    /// <inheritdoc cref="RentDoubles(int)"/>
    public static float[] RentSingles(int length) => Rent<float>(length);

    /// <summary>Gives a buffer from <see cref="RentDoubles"/> back to the pool (empty arrays are ignored).</summary>
    public static void Return(double[] buffer) => Return<double>(buffer);

    /// <inheritdoc cref="Return(double[])"/>
    public static void Return(float[] buffer) => Return<float>(buffer);

    /// <summary>The per-thread stack of one generic-math element type.</summary>
    private static class TypedStack<T>
    {
        [ThreadStatic]
        private static ValueStack<T>[]? t_items;

        /// <summary>The stack itself (a one-element array, so that a ref to the struct survives between calls).</summary>
        public static ref ValueStack<T> Items => ref (t_items ??= new[] { new ValueStack<T>(16) })[0];
    }

    /// <summary>
    /// One typed stack of the tape: a struct field specialised per element type by the JIT, so the generated code's
    /// push and pop stay an inlined bounds check and a store, with no boxing.
    /// </summary>
    private struct ValueStack<T>
    {
        private T[] _items;

        public ValueStack(int capacity)
        {
            _items = new T[capacity];
            Count = 0;
        }

        public int Count { get; private set; }

        public readonly int Capacity => _items.Length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(T value)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[Count++] = value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop() => _items[--Count];
    }
}
