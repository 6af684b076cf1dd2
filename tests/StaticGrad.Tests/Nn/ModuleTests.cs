using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

public sealed class ModuleTests
{
    [Fact]
    public void Named_parameters_use_dotted_names_in_registration_order_own_parameters_first()
    {
        var net = new Net();
        Assert.Equal(
            ["scale", "backbone.0.weight", "backbone.0.bias", "backbone.2.weight", "backbone.2.bias", "fc.weight", "fc.bias"],
            net.NamedParameters().Select(p => p.Name));
        Assert.Equal(net.NamedParameters().Select(p => p.Parameter), net.Parameters());
        Assert.Equal(["scale"], net.NamedParameters(recurse: false).Select(p => p.Name));
        Assert.Equal(["backbone", "fc"], net.NamedChildren().Select(c => c.Name));
        Assert.Equal(["", "backbone", "backbone.0", "backbone.1", "backbone.2", "fc"], net.NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void A_shared_module_or_parameter_is_listed_once()
    {
        var shared = new Linear(2, 2);
        var seq = new Sequential(shared, new ReLU(), shared);
        Assert.Equal(["0.weight", "0.bias"], seq.NamedParameters().Select(p => p.Name));
        Assert.Single(seq.Children().OfType<Linear>());
    }

    [Fact]
    public void Replacing_a_head_keeps_its_position_and_its_parameters_are_new_and_trainable()
    {
        var net = new Net();
        net.SetRequiresGrad(false);
        var oldHead = net.Fc;
        net.Fc = new Linear(3, 5);
        Assert.NotSame(oldHead, net.Fc);
        Assert.Equal(["backbone", "fc"], net.NamedChildren().Select(c => c.Name));
        Assert.Equal("fc.weight", net.NamedParameters().ElementAt(5).Name);
        Assert.Same(net.Fc.Weight, net.NamedParameters().ElementAt(5).Parameter);
        Assert.All(net.Fc.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(net.Backbone.Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.Equal([2, 5], net.Forward(Tensor.Ones([2, 4])).Shape);
    }

    [Fact]
    public void Sequential_indexers_replace_children_in_place()
    {
        var seq = new Sequential(("body", new Linear(2, 3)), ("act", new Tanh()), ("head", new Linear(3, 1)));
        var head = new Linear(3, 4);
        seq["head"] = head;
        Assert.Same(head, seq[2]);
        Assert.Same(head, seq[-1]);
        var act = new Sigmoid();
        seq[1] = act;
        Assert.Same(act, seq["act"]);
        Assert.Equal(["body", "act", "head"], seq.NamedChildren().Select(c => c.Name));
        Assert.Equal(3, seq.Count);
        Assert.Throws<KeyNotFoundException>(() => seq["missing"] = head);
        Assert.Throws<ArgumentOutOfRangeException>(() => seq[3]);
        Assert.Throws<ArgumentException>(() => new Sequential(("a", new ReLU()), ("a", new Tanh())));
    }

    [Fact]
    public void Sequential_can_be_built_with_a_collection_initializer_and_an_empty_chain_is_the_identity()
    {
        var seq = new Sequential { new Linear(2, 3), new ReLU() };
        Assert.Equal(["0", "1"], seq.NamedChildren().Select(c => c.Name));
        var x = Tensor.FromArray([1.0, -2.0]);
        Assert.Same(x, new Sequential().Forward(x));
    }

    [Fact]
    public void Registration_rejects_names_PyTorch_rejects()
    {
        var module = new Registrar();
        Assert.Equal("parameter name can't contain \".\", got: a.b", Assert.Throws<ArgumentException>(() => module.AddParameter("a.b")).Message.Split(" (Parameter")[0]);
        Assert.Equal("parameter name can't be empty string \"\"", Assert.Throws<ArgumentException>(() => module.AddParameter(string.Empty)).Message.Split(" (Parameter")[0]);
        module.AddModule("child");
        Assert.Equal("attribute 'child' already exists", Assert.Throws<ArgumentException>(() => module.AddParameter("child")).Message.Split(" (Parameter")[0]);
        module.AddParameter("p");
        Assert.Equal("attribute 'p' already exists", Assert.Throws<ArgumentException>(() => module.AddModule("p")).Message.Split(" (Parameter")[0]);
    }

    [Fact]
    public void Train_and_eval_reach_every_descendant()
    {
        var net = new Net();
        Assert.All(net.Modules(), m => Assert.True(m.Training));
        Assert.Same(net, net.Eval());
        Assert.All(net.Modules(), m => Assert.False(m.Training));
        net.Train();
        Assert.All(net.Modules(), m => Assert.True(m.Training));
    }

    [Fact]
    public void Freezing_a_module_freezes_every_parameter_and_its_output_is_a_constant()
    {
        var net = new Net();
        net.SetRequiresGrad(false);
        Assert.All(net.Parameters(), p => Assert.False(p.RequiresGrad));
        var output = net.Forward(Tensor.Ones([1, 4]));
        Assert.False(output.RequiresGrad);
        Assert.True(output.IsLeaf);
        net.SetRequiresGrad();
        Assert.True(net.Forward(Tensor.Ones([1, 4])).RequiresGrad);
    }

    [Fact]
    public void ZeroGrad_sets_gradients_to_null_or_zeros()
    {
        var net = new Net();
        net.Forward(Tensor.Ones([3, 4])).Sum().Backward();
        Assert.All(net.Parameters(), p => Assert.NotNull(p.Grad));
        net.ZeroGrad(setToNone: false);
        Assert.All(net.Parameters(), p => Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0.0, v)));
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Parameter_wraps_data_as_a_leaf_sharing_its_storage()
    {
        var data = Tensor.FromArray([1.0, 2.0]);
        var parameter = new Parameter(data);
        Assert.True(parameter.IsLeaf);
        Assert.True(parameter.RequiresGrad);
        data.AddInPlace(1);
        Assert.Equal([2.0, 3.0], parameter.ToArray());
        Assert.Equal(1, parameter.Version);
        Assert.False(new Parameter(data, requiresGrad: false).RequiresGrad);
    }

    private sealed class Net : Module
    {
        public Net()
        {
            Scale = RegisterParameter("scale", new Parameter(Tensor.Ones([1])))!;
            Backbone = RegisterModule("backbone", new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 3)));
            Fc = new Linear(3, 2);
        }

        public Parameter Scale { get; }

        public Sequential Backbone { get; }

        public Linear Fc
        {
            get => GetModule<Linear>("fc");
            set => RegisterModule("fc", value);
        }

        public override Tensor Forward(Tensor input) => Fc.Forward(Backbone.Forward(input * Scale));
    }

    private sealed class Registrar : Module
    {
        public void AddParameter(string name) => RegisterParameter(name, new Parameter(Tensor.Zeros([1])));

        public void AddModule(string name) => RegisterModule(name, new ReLU());

        public override Tensor Forward(Tensor input) => input;
    }
}
