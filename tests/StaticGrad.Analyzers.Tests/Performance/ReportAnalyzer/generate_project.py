# Writes Big.cs, a 5 000-line StaticGrad training project (helpers, modules, loops, lambdas) used to measure the
# analyzers (see docs/tensor-usage-analysis.md, "Cost").
#   python3 generate_project.py          dense: every class is a module plus a training loop with helpers
#   python3 generate_project.py mixed    one training loop per ten classes, the others modules, data and loss helpers
import sys
mixed = len(sys.argv) > 1 and sys.argv[1] == "mixed"
lines = ["using System;", "using StaticGrad;", "using StaticGrad.Nn;", "using StaticGrad.Optim;", ""]
i = 0
while len(lines) < 5000:
    if mixed and i % 10 != 0:
        lines += f"""public sealed class Block{i} : Module
{{
    public Linear First {{ get; }} = new Linear(3, 4);
    public Linear Second {{ get; }} = new Linear(4, 1);
    public override Tensor Forward(Tensor x) => Second.Forward(First.Forward(x).Relu()).Sigmoid();
}}

public static class Data{i}
{{
    public static Tensor Row(double a) => Tensor.FromArray(new[] {{ a, a * 0.5, a - 1 }});
    public static Tensor Scale(Tensor x, double s) => x * s;
    public static Tensor Normalize(Tensor x)
    {{
        var mean = x.Mean();
        var centered = x - mean;
        return centered / (centered.Square().Mean() + 1e-6).Sqrt();
    }}

    public static Tensor Batch(int n, bool shuffle)
    {{
        var rows = Row(n);
        for (var k = 0; k < 3; k++)
        {{
            rows = shuffle ? rows + Row(k) : rows * 0.5;
        }}

        return Normalize(rows);
    }}

    public static Tensor Mse(Tensor prediction, Tensor target) => (prediction - target).Square().Mean();
    public static Tensor Penalty(Tensor w, double lambda) => w.Square().Sum() * lambda;
    public static double Score(Module model, Tensor x, Tensor y)
    {{
        using (Autograd.NoGrad())
        {{
            return Mse(model.Forward(x), y).Item();
        }}
    }}
}}
""".split("\n")
        i += 1
        continue
    lines += f"""public sealed class Net{i} : Module
{{
    public Linear Layer {{ get; }} = new Linear(3, 1);
    public override Tensor Forward(Tensor x) => Layer.Forward(x).Tanh();
}}

public static class Training{i}
{{
    static Tensor Row{i}(double a) => Tensor.FromArray(new[] {{ a, a + 1, a + 2 }});
    static Tensor Batch{i}(int n) => Row{i}(n) * 2.0;
    static Tensor Loss{i}(Tensor w, Tensor x) => ((w * x).Sum() - 1.0).Square();
    static Tensor Evaluate{i}(Tensor w, Tensor x)
    {{
        using (Autograd.NoGrad()) {{ return Loss{i}(w, x); }}
    }}

    public static double Train{i}(int epochs, bool flag)
    {{
        var w = Tensor.FromArray(new[] {{ 0.1, 0.2, 0.3 }}, requiresGrad: true);
        var opt = new Sgd(new[] {{ w }}, lr: 0.01);
        var total = 0.0;
        for (var e = 0; e < epochs; e++)
        {{
            opt.ZeroGrad();
            var x = Batch{i}(e);
            var loss = flag ? Loss{i}(w, x) : Loss{i}(w, x.Exp());
            loss.Backward();
            opt.Step();
            total += loss.Item();
        }}

        var check = Evaluate{i}(w, Batch{i}(0));
        Func<Tensor, Tensor> predict = t => (w * t).Sum();
        var p = predict(Row{i}(1));
        p.Backward();
        return total + check.Item();
    }}
}}
""".split("\n")
    i += 1
open("Big.cs", "w").write("\n".join(lines))
print(len(lines), "lines", i, "classes")
