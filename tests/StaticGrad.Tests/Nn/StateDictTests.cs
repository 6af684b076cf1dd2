using System.Buffers.Binary;
using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

public sealed class StateDictTests
{
    [Fact]
    public void The_state_dict_lists_each_modules_parameters_then_buffers_consistently_with_named_parameters()
    {
        var block = new BasicBlock(2, 2);
        var state = block.StateDict();
        Assert.Equal(
            ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
             "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked"],
            state.Keys);
        Assert.Equal(block.NamedParameters().Select(p => p.Name), state.Keys.Where(k => block.NamedParameters().Any(p => p.Name == k)));
        foreach (var (name, parameter) in block.NamedParameters())
        {
            Assert.False(state[name].RequiresGrad);
            Assert.Equal(parameter.ToArray(), state[name].ToArray());
        }

        // The values are aliases: writing into one changes the module.
        using (StaticGrad.Autograd.NoGrad())
        {
            state["bn1.weight"].FillInPlace(3);
        }

        Assert.All(block.Bn1.Weight!.ToArray(), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void A_saved_and_reloaded_model_has_bit_identical_parameters_and_buffers_and_the_same_output()
    {
        var trained = new Sequential(new Conv2d(1, 3, 3, generator: new RandomGenerator(1)), new BatchNorm2d(3), new ReLU(), new BasicBlock(3, 4, 2, generator: new RandomGenerator(2)));
        trained.Forward(Tensor.Randn([4, 1, 8, 8], 3));
        trained.Forward(Tensor.Randn([4, 1, 8, 8], 4));
        using var stream = new MemoryStream();
        StateDictFile.Save(trained.StateDict(), stream);
        stream.Position = 0;

        var fresh = new Sequential(new Conv2d(1, 3, 3, generator: new RandomGenerator(5)), new BatchNorm2d(3), new ReLU(), new BasicBlock(3, 4, 2, generator: new RandomGenerator(6)));
        var result = fresh.LoadStateDict(StateDictFile.Load(stream));
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var (key, value) in trained.StateDict())
        {
            Assert.Equal(value.DType, fresh.StateDict()[key].DType);
            Assert.Equal(value.ToArray(), fresh.StateDict()[key].ToArray());
        }

        Assert.Equal(2.0, fresh.StateDict()["1.num_batches_tracked"].Item());
        trained.Eval();
        fresh.Eval();
        var x = Tensor.Randn([2, 1, 8, 8], 7);
        Assert.Equal(trained.Forward(x).ToArray(), fresh.Forward(x).ToArray());
    }

    [Fact]
    public void The_file_layout_is_the_documented_one()
    {
        var state = new StateDict
        {
            { "w", Tensor.FromArray([1.5, -2.0]) },
            { "n", Tensor.Zeros([], DType.Int64) },
        };
        using var stream = new MemoryStream();
        StateDictFile.Save(state, stream);
        var bytes = stream.ToArray();

        // magic, version 1, 2 entries; "w": name length 1, 'w', dtype 1 (float64), rank 1, size 2, two doubles;
        // "n": name length 1, 'n', dtype 2 (int64), rank 0, one long.
        Assert.Equal("SGSTATE\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal((byte)'w', bytes[20]);
        Assert.Equal(1, bytes[21]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(26)));
        Assert.Equal(1.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(30)));
        Assert.Equal(-2.0, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(38)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(46)));
        Assert.Equal((byte)'n', bytes[50]);
        Assert.Equal(2, bytes[51]);
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(52)));
        Assert.Equal(0L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(56)));
        Assert.Equal(64, bytes.Length);
    }

    [Fact]
    public void Damaged_files_are_rejected()
    {
        using var stream = new MemoryStream();
        StateDictFile.Save(new BatchNorm2d(2).StateDict(), stream);
        var bytes = stream.ToArray();

        Assert.Throws<InvalidDataException>(() => StateDictFile.Load(new MemoryStream(bytes[..^3])));
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => StateDictFile.Load(new MemoryStream(wrongMagic)));
        var newer = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(newer.AsSpan(8), 2);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => StateDictFile.Load(new MemoryStream(newer))).Message);
    }

    [Fact]
    public void Strict_loading_names_missing_and_unexpected_keys_like_pytorch_and_non_strict_loading_returns_them()
    {
        var source = new Sequential(("features", new Conv2d(1, 2, 3)), ("fc", new Linear(2, 5)));
        var target = new Sequential(("features", new Conv2d(1, 2, 3)), ("head", new Linear(2, 5)));
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(source.StateDict()));
        Assert.StartsWith(
            "Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"head.weight\", \"head.bias\". \n\tUnexpected key(s) in state_dict: \"fc.weight\", \"fc.bias\". ",
            e.Message);

        var result = target.LoadStateDict(source.StateDict(), strict: false);
        Assert.Equal(["head.weight", "head.bias"], result.MissingKeys);
        Assert.Equal(["fc.weight", "fc.bias"], result.UnexpectedKeys);
        Assert.Equal(source.StateDict()["features.weight"].ToArray(), target.StateDict()["features.weight"].ToArray());
    }

    [Fact]
    public void A_shape_mismatch_fails_even_without_strict_and_values_convert_to_the_models_dtype()
    {
        var wide = new Sequential(new Linear(3, 4));
        var narrow = new Sequential(new Linear(3, 2));
        var e = Assert.Throws<ArgumentException>(() => narrow.LoadStateDict(wide.StateDict(), strict: false));
        Assert.Contains("size mismatch for 0.weight: copying a param with shape torch.Size([4, 3]) from checkpoint, the shape in current model is torch.Size([2, 3]).", e.Message);

        var single = new Sequential(new Linear(3, 2, dtype: DType.Float32));
        narrow.LoadStateDict(single.StateDict());
        Assert.Equal(DType.Float64, narrow.StateDict()["0.weight"].DType);
        Assert.Equal(single.StateDict()["0.weight"].ToArray(), narrow.StateDict()["0.weight"].ToArray());
    }

    [Fact]
    public void Buffers_share_the_namespace_of_parameters_and_non_persistent_buffers_are_not_saved()
    {
        var module = new WithBuffers();
        Assert.Equal(["saved", "scratch"], module.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["scale", "saved"], module.StateDict().Keys);
        Assert.Throws<ArgumentException>(() => module.Register("scale"));
    }

    private sealed class WithBuffers : Module
    {
        public WithBuffers()
        {
            RegisterParameter("scale", new Parameter(Tensor.Ones([1])));
            RegisterBuffer("saved", Tensor.Zeros([2]));
            RegisterBuffer("scratch", Tensor.Zeros([2]), persistent: false);
        }

        public void Register(string name) => RegisterBuffer(name, Tensor.Zeros([1]));

        public override Tensor Forward(Tensor input) => input;
    }
}
