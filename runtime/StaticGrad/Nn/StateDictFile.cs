using System.Text;

namespace StaticGrad.Nn;

/// <summary>
/// Reads and writes a <see cref="StateDict"/> in StaticGrad's state file format (docs/state-dict-format.md): a
/// magic, a version, then each tensor's name, dtype, shape and little-endian elements, in order. It is how a trained
/// backbone is saved once and fine-tuned later (PyTorch's <c>torch.save(model.state_dict(), path)</c> and
/// <c>model.load_state_dict(torch.load(path))</c>, with a format of its own rather than pickle).
/// </summary>
public static class StateDictFile
{
    /// <summary>The first eight bytes of every file: ASCII <c>SGSTATE</c> and a zero byte.</summary>
    public static ReadOnlySpan<byte> Magic => "SGSTATE\0"u8;

    /// <summary>The format version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="state"/> to a new file at <paramref name="path"/> (replacing an existing one).</summary>
    /// <param name="state">The tensors by name, e.g. <see cref="Module.StateDict"/>.</param>
    /// <param name="path">The file.</param>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> state, string path)
    {
        using var stream = File.Create(path);
        Save(state, stream);
    }

    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/>, in its enumeration order.</summary>
    /// <param name="state">The tensors by name.</param>
    /// <param name="stream">A writable stream; left open.</param>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> state, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stream);
        var entries = state.ToList();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(entries.Count);
        foreach (var (name, tensor) in entries)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            writer.Write(bytes.Length);
            writer.Write(bytes);
            writer.Write(Code(tensor.DType));
            var shape = tensor.Shape;
            writer.Write(shape.Length);
            foreach (var size in shape)
            {
                writer.Write(size);
            }

            WriteElements(writer, tensor);
        }
    }

    /// <summary>Reads the state file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors by name, in file order; new leaves that do not require grad.</returns>
    /// <exception cref="InvalidDataException">The file is not a state file of a version this library reads, or is truncated.</exception>
    public static StateDict Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads a state dict from <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream positioned at the magic; left open.</param>
    /// <returns>The tensors by name, in stream order.</returns>
    /// <exception cref="InvalidDataException">The data is not a state file of a version this library reads, or is truncated.</exception>
    public static StateDict Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("not a StaticGrad state file (the magic bytes differ)");
            }

            var version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"state file version {version} is not supported (this library reads version {Version})");
            }

            var count = NonNegative(reader.ReadInt32(), "entry count");
            var state = new StateDict();
            for (int i = 0; i < count; i++)
            {
                var name = Encoding.UTF8.GetString(Exactly(reader, NonNegative(reader.ReadInt32(), "name length")));
                var dtype = FromCode(reader.ReadByte());
                var shape = new int[NonNegative(reader.ReadInt32(), "rank")];
                long elements = 1;
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = NonNegative(reader.ReadInt32(), "dimension");
                    elements *= shape[d];
                }

                if (elements > int.MaxValue)
                {
                    throw new InvalidDataException($"tensor '{name}' has too many elements");
                }

                if (state.ContainsKey(name))
                {
                    throw new InvalidDataException($"tensor '{name}' appears twice");
                }

                state.Add(name, ReadElements(reader, dtype, shape, (int)elements));
            }

            return state;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the state file is truncated", e);
        }
    }

    private static byte Code(DType dtype) => dtype switch
    {
        DType.Float32 => 0,
        DType.Float64 => 1,
        DType.Int64 => 2,
        _ => 3,
    };

    private static DType FromCode(byte code) => code switch
    {
        0 => DType.Float32,
        1 => DType.Float64,
        2 => DType.Int64,
        3 => DType.Bool,
        _ => throw new InvalidDataException($"unknown dtype code {code}"),
    };

    private static void WriteElements(BinaryWriter writer, Tensor tensor)
    {
        switch (tensor.DType)
        {
            case DType.Float32:
                foreach (var v in tensor.ToArray<float>())
                {
                    writer.Write(v);
                }

                break;
            case DType.Float64:
                foreach (var v in tensor.ToArray<double>())
                {
                    writer.Write(v);
                }

                break;
            case DType.Int64:
                foreach (var v in tensor.ToArray<long>())
                {
                    writer.Write(v);
                }

                break;
            default:
                foreach (var v in tensor.ToArray<bool>())
                {
                    writer.Write(v);
                }

                break;
        }
    }

    private static Tensor ReadElements(BinaryReader reader, DType dtype, int[] shape, int count)
    {
        switch (dtype)
        {
            case DType.Float32:
                var f = new float[count];
                for (int i = 0; i < count; i++)
                {
                    f[i] = reader.ReadSingle();
                }

                return Tensor.FromArray(f, shape);
            case DType.Float64:
                var d = new double[count];
                for (int i = 0; i < count; i++)
                {
                    d[i] = reader.ReadDouble();
                }

                return Tensor.FromArray(d, shape);
            case DType.Int64:
                var l = new long[count];
                for (int i = 0; i < count; i++)
                {
                    l[i] = reader.ReadInt64();
                }

                return Tensor.FromArray(l, shape);
            default:
                var b = new bool[count];
                for (int i = 0; i < count; i++)
                {
                    b[i] = reader.ReadByte() switch
                    {
                        0 => false,
                        1 => true,
                        var other => throw new InvalidDataException($"bool element {other} is neither 0 nor 1"),
                    };
                }

                return Tensor.FromArray(b, shape);
        }
    }

    private static int NonNegative(int value, string what) =>
        value >= 0 ? value : throw new InvalidDataException($"negative {what} {value}");

    private static byte[] Exactly(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count);
        return bytes.Length == count ? bytes : throw new EndOfStreamException();
    }
}
