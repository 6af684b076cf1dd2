using StaticGrad.Nn;
using StaticGrad.Optim;
using StaticGrad.Tests.Oracle.Harness;

namespace StaticGrad.Tests.Oracle.Cases;

/// <summary>
/// SPEC R45: seed 001's four-layer experiment. A parameter changes only if it both receives a gradient and is
/// registered with the optimizer. The float64 results are compared bit for bit: dyadic learning rates are exact on
/// any CPU, and lr 0.1 matches PyTorch's FMA (AVX512) run because <see cref="Sgd"/> fuses <c>p − lr·g</c>.
/// </summary>
public sealed class Seed001Cases
{
    [Fact]
    public void R45_seed001_case1_rg_true_not_registered_float32() =>
        Run(nameof(R45_seed001_case1_rg_true_not_registered_float32), dRequiresGrad: true, registerD: false, DType.Float32, lr: 0.1);

    [Fact]
    public void R45_seed001_case2_rg_false_registered_float32() =>
        Run(nameof(R45_seed001_case2_rg_false_registered_float32), dRequiresGrad: false, registerD: true, DType.Float32, lr: 0.1);

    [Fact]
    public void R45_seed001_case3_rg_true_registered_float32() =>
        Run(nameof(R45_seed001_case3_rg_true_registered_float32), dRequiresGrad: true, registerD: true, DType.Float32, lr: 0.1);

    [Fact]
    public void R45_seed001_case1_float64() =>
        Run(nameof(R45_seed001_case1_float64), dRequiresGrad: true, registerD: false, DType.Float64, lr: 0.1);

    [Fact]
    public void R45_seed001_case2_float64() =>
        Run(nameof(R45_seed001_case2_float64), dRequiresGrad: false, registerD: true, DType.Float64, lr: 0.1);

    /// <summary>d.W = 8 − 0.1·237 is −15.700000000000001 with a fused multiply-add (PyTorch on AVX512) and
    /// −15.700000000000003 without (ATEN_CPU_CAPABILITY=default): compared with the AVX512 recording.</summary>
    [Fact]
    public void R45_seed001_case3_float64() =>
        Run(nameof(R45_seed001_case3_float64), dRequiresGrad: true, registerD: true, DType.Float64, lr: 0.1, OracleData.Avx512);

    [Fact]
    public void R45_seed001_case3_float64_dyadic_lr() =>
        Run(nameof(R45_seed001_case3_float64_dyadic_lr), dRequiresGrad: true, registerD: true, DType.Float64, lr: 0.125);

    [Fact]
    public void R45_seed001_case2_float64_dyadic_lr() =>
        Run(nameof(R45_seed001_case2_float64_dyadic_lr), dRequiresGrad: false, registerD: true, DType.Float64, lr: 0.125);

    private static void Run(string id, bool dRequiresGrad, bool registerD, DType dtype, double lr, string recording = OracleData.DefaultCpu)
    {
        var c = OracleCase.Load(id, recording);
        var model = new Seed001Net(dRequiresGrad, dtype, new RandomGenerator(1));
        var selected = model.NamedParameters()
            .Where(p => p.Name.Contains("a_Linear", StringComparison.Ordinal) || (registerD && p.Name.Contains("d_Linear", StringComparison.Ordinal)))
            .ToList();
        var optimizer = new Sgd([new ParamGroup(selected.Select(p => (Tensor)p.Parameter))], lr);
        optimizer.ZeroGrad();
        var input = Tensor.FromArray([2.0]).ToDType(dtype);

        OracleAssert.Matches(c.Input("d_requires_grad"), dRequiresGrad, null, id + ".inputs.d_requires_grad");
        OracleAssert.Matches(c.Input("d_registered"), registerD, null, id + ".inputs.d_registered");
        OracleAssert.Matches(c.Input("lr"), lr, Tolerance.Exact, id + ".inputs.lr");
        OracleAssert.Matches(c.Input("input"), input, null, id + ".inputs.input");
        OracleAssert.Matches(c.Input("registered_param_names"), selected.Select(p => p.Name).ToList(), null, id + ".inputs.registered_param_names");

        var loss = model.Forward(input);
        c.Tensor("loss", loss, Tolerance.Exact);
        loss.Backward();
        optimizer.Step();
        c.Value("params_after_step", model.NamedParameters().ToDictionary(p => p.Name, p => (object?)p.Parameter), Tolerance.Exact);
        c.AllOutputsChecked();
    }

    /// <summary>Seed 001's network, verbatim: parameters replaced through <c>.Data</c> (the a-layer bias even changes
    /// shape to [1] and broadcasts), c frozen, d's flag the experiment's variable; forward <c>d(b(a(x))) + c(b(a(x)))</c>.</summary>
    private sealed class Seed001Net : Module
    {
        public Seed001Net(bool dRequiresGrad, DType dtype, RandomGenerator generator)
        {
            A = RegisterModule("a_Linear", Layer(1, 2, [5.0, 7.0], [3.0], trainable: true));
            B = RegisterModule("b_Linear", Layer(2, 2, [5.0, 6.0, 7.0, 8.0], [9.0, 10.0], trainable: true));
            C = RegisterModule("c_Linear", Layer(2, 1, [1.0, 2.0], [3.0], trainable: false));
            D = RegisterModule("d_Linear", Layer(2, 1, [7.0, 8.0], [9.0], dRequiresGrad));

            Linear Layer(int inFeatures, int outFeatures, double[] weight, double[] bias, bool trainable)
            {
                var layer = new Linear(inFeatures, outFeatures, dtype: dtype, generator: generator);
                layer.Weight.Data = Tensor.FromArray(weight, [outFeatures, inFeatures]).ToDType(dtype);
                layer.Bias!.Data = Tensor.FromArray(bias).ToDType(dtype);
                layer.Weight.RequiresGrad = trainable;
                layer.Bias.RequiresGrad = trainable;
                return layer;
            }
        }

        public Linear A { get; }

        public Linear B { get; }

        public Linear C { get; }

        public Linear D { get; }

        public override Tensor Forward(Tensor input)
        {
            var x = A.Forward(input);
            x = B.Forward(x);
            var x1 = D.Forward(x);
            var x2 = C.Forward(x);
            return x1 + x2;
        }
    }
}
