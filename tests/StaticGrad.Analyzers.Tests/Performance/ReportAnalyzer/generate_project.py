# Writes Big.cs, a 5 000-line StaticGrad training project (helpers, modules, loops, lambdas) used to measure the
# analyzers with `dotnet build -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary` (see docs/tensor-usage-analysis.md).
import sys
lines = ["using System;", "using StaticGrad;", "using StaticGrad.Nn;", "using StaticGrad.Optim;", ""]
i = 0
while len(lines) < 5000:
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
