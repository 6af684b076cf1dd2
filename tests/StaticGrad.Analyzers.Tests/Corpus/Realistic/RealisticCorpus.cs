namespace StaticGrad.Analyzers.Tests.Corpus.Realistic;

/// <summary>
/// Thirty training-code scenarios, each written once with placeholders for the library's names and instantiated for
/// StaticGrad and TorchSharp, each as a failing snippet and a corrected twin: 120 snippets, 60 positives, of which the
/// scenarios marked interprocedural need another method, local function, lambda or a module's constructor (through a
/// field read by a method or a property read by another class) to be decided.
/// </summary>
public static class RealisticCorpus
{
    private sealed record Scenario(string Name, string Rule, bool Interprocedural, Func<Spelling, (string Members, string Body)> Positive, Func<Spelling, (string Members, string Body)> Negative);

    private static readonly Scenario[] Scenarios =
    {
        new("helper_builds_a_constant", "SG0002", true,
            s => ($"static Tensor T() => {s.Vector};", $"var y = (T() * 3.0).{s.Sum}();\ny.{s.Backward}(); // <-"),
            s => ($"static Tensor T() => {s.TrackedVector};", $"var y = (T() * 3.0).{s.Sum}();\ny.{s.Backward}();")),
        new("evaluate_runs_under_no_grad", "SG0002", true,
            s => ($"static Tensor Evaluate(Tensor w, Tensor x)\n{{\n    using (var scope = {s.NoGrad}) {{ return (w * x).{s.Sum}(); }}\n}}", $"var w = {s.TrackedVector};\nvar loss = Evaluate(w, {s.Vector});\nloss.{s.Backward}(); // <-"),
            s => ("static Tensor Evaluate(Tensor w, Tensor x) => (w * x)." + s.Sum + "();", $"var w = {s.TrackedVector};\nvar loss = Evaluate(w, {s.Vector});\nloss.{s.Backward}();")),
        new("loss_helper_called_under_no_grad", "SG0002", true,
            s => ($"static Tensor Loss(Tensor w) => (w * w).{s.Sum}();", $"var w = {s.TrackedVector};\nTensor l;\nusing (var scope = {s.NoGrad}) {{ l = Loss(w); }}\nl.{s.Backward}(); // <-"),
            s => ($"static Tensor Loss(Tensor w) => (w * w).{s.Sum}();", $"var w = {s.TrackedVector};\nvar l = Loss(w);\nl.{s.Backward}();")),
        new("preprocessing_detaches", "SG0002", true,
            s => ($"static Tensor Prepare(Tensor t) => t.{s.Detach}() * 2.0;", $"var w = {s.TrackedVector};\nvar y = Prepare(w).{s.Sum}();\ny.{s.Backward}(); // <-"),
            s => ("static Tensor Prepare(Tensor t) => t * 2.0;", $"var w = {s.TrackedVector};\nvar y = Prepare(w).{s.Sum}();\ny.{s.Backward}();")),
        new("manual_update_with_helper_argument", "SG0006", true,
            s => ($"static Tensor Step(Tensor g) => g * 0.1;", $"var w = {s.TrackedVector};\nw.{s.AddInPlace}(Step({s.Vector})); // <-"),
            s => ($"static Tensor Step(Tensor g) => g * 0.1;", $"var w = {s.TrackedVector};\nusing (var scope = {s.NoGrad}) {{ w.{s.AddInPlace}(Step({s.Vector})); }}")),
        new("identity_helper_keeps_the_leaf", "SG0006", true,
            s => ("static Tensor Same(Tensor t) => t;", $"var w = {s.TrackedVector};\nvar v = Same(w);\nv.{s.AddInPlace}({s.Vector}); // <-"),
            s => ("static Tensor Same(Tensor t) => t;", $"var c = {s.Vector};\nvar v = Same(c);\nv.{s.AddInPlace}({s.Vector});")),
        new("local_function_makes_a_constant", "SG0002", true,
            s => ("", $"Tensor Ones() => {s.Vector};\nvar y = Ones().{s.Sum}();\ny.{s.Backward}(); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nTensor Scaled() => w * 2.0;\nvar y = Scaled().{s.Sum}();\ny.{s.Backward}();")),
        new("lambda_predicts_under_no_grad", "SG0002", true,
            s => ("", $"var w = {s.TrackedVector};\nFunc<Tensor, Tensor> predict = x => {{ using (var scope = {s.NoGrad}) {{ return (w * x).{s.Sum}(); }} }};\nvar p = predict({s.Vector});\np.{s.Backward}(); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nFunc<Tensor, Tensor> predict = x => (w * x).{s.Sum}();\nvar p = predict({s.Vector});\np.{s.Backward}();")),
        new("lambda_given_to_an_evaluate_helper", "SG0002", true,
            s => ($"static Tensor Evaluate(Func<Tensor> compute)\n{{\n    using (var scope = {s.NoGrad}) {{ return compute(); }}\n}}", $"var w = {s.TrackedVector};\nvar loss = Evaluate(() => (w * w).{s.Sum}());\nloss.{s.Backward}(); // <-"),
            s => ("static Tensor Run(Func<Tensor> compute) => compute();", $"var w = {s.TrackedVector};\nvar loss = Run(() => (w * w).{s.Sum}());\nloss.{s.Backward}();")),
        new("augmentation_lambda_detaches", "SG0002", true,
            s => ("static Tensor Apply(Func<Tensor, Tensor> f, Tensor x) => f(x);", $"var w = {s.TrackedVector};\nvar y = Apply(t => t.{s.Detach}() * 2.0, w).{s.Sum}();\ny.{s.Backward}(); // <-"),
            s => ("static Tensor Apply(Func<Tensor, Tensor> f, Tensor x) => f(x);", $"var w = {s.TrackedVector};\nvar y = Apply(t => t * 2.0, w).{s.Sum}();\ny.{s.Backward}();")),
        new("train_step_already_ran_backward", "SG0005", true,
            s => ($"static void TrainStep(Tensor loss) => loss.{s.Backward}();", $"var w = {s.TrackedVector};\nvar loss = w.{s.Exp}().{s.Sum}();\nTrainStep(loss);\nloss.{s.Backward}(); // <-"),
            s => ($"static void TrainStep(Tensor loss) => loss.{s.Backward}(retain{(s.Library == "TorchSharp" ? "_graph" : "Graph")}: true);", $"var w = {s.TrackedVector};\nvar loss = w.{s.Exp}().{s.Sum}();\nTrainStep(loss);\nloss.{s.Backward}();")),
        new("helper_turns_grad_off", "SG0002", true,
            s => ($"static void Freeze() => {s.SetGradEnabled}(false);", $"var w = {s.TrackedVector};\nFreeze();\nvar y = (w * w).{s.Sum}();\ny.{s.Backward}(); // <-"),
            s => ($"static void Thaw() => {s.SetGradEnabled}(true);", $"var w = {s.TrackedVector};\nThaw();\nvar y = (w * w).{s.Sum}();\ny.{s.Backward}();")),
        new("helper_detaches_in_place", "SG0002", true,
            s => ($"static void Stop(Tensor t) => t.{s.DetachInPlace}();", $"var w = {s.TrackedVector};\nvar y = (w * 2.0).{s.Sum}();\nStop(y);\ny.{s.Backward}(); // <-"),
            s => ($"static void Keep(Tensor t) => t.{s.RetainGrad}();", $"var w = {s.TrackedVector};\nvar y = (w * 2.0).{s.Sum}();\nKeep(y);\ny.{s.Backward}();")),
        new("batch_built_by_a_chain_of_helpers", "SG0002", true,
            s => ($"static Tensor Row() => {s.Vector};\nstatic Tensor MakeBatch() => Row() * 2.0;\nstatic Tensor Model(Tensor b) => b.{s.Exp}().{s.Sum}();", $"var loss = Model(MakeBatch());\nloss.{s.Backward}(); // <-"),
            s => ($"static Tensor Row() => {s.Vector};\nstatic Tensor MakeBatch() => Row() * 2.0;\nstatic Tensor Model(Tensor b, Tensor w) => (b * w).{s.Exp}().{s.Sum}();", $"var w = {s.TrackedVector};\nvar loss = Model(MakeBatch(), w);\nloss.{s.Backward}();")),
        new("freezing_a_computed_tensor", "SG0001", false,
            s => ("", $"var w = {s.TrackedVector};\nvar h = w * 2.0;\nh.{s.RequiresGrad} = false; // <-"),
            s => ("", $"var w = {s.TrackedVector};\nvar h = (w * 2.0).{s.Detach}();\nh.{s.RequiresGrad} = false;")),
        new("reading_the_gradient_of_an_activation", "SG0004", false,
            s => ("", $"var w = {s.TrackedVector};\nvar h = w * 2.0;\nh.{s.Sum}().{s.Backward}();\nConsole.WriteLine(h.{s.Grad}); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nvar h = w * 2.0;\nh.{s.RetainGrad}();\nh.{s.Sum}().{s.Backward}();\nConsole.WriteLine(h.{s.Grad});")),
        new("integer_labels_require_grad", "SG0003", false,
            s => ("", $"var labels = {s.LongTracked}; // <-"),
            s => ("", $"var labels = {s.TrackedVector};")),
        new("second_backward_through_the_graph", "SG0005", false,
            s => ("", $"var w = {s.TrackedVector};\nvar loss = w.{s.Exp}().{s.Sum}();\nloss.{s.Backward}();\nloss.{s.Backward}(); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nvar loss = w.{s.Exp}().{s.Sum}();\nloss.{s.Backward}(retain{(s.Library == "TorchSharp" ? "_graph" : "Graph")}: true);\nloss.{s.Backward}();")),
        new("training_loop_without_zero_grad", "SG0016", false,
            s => ("", $"var p = {s.Parameter};\nvar opt = {s.Optimizer};\nvar x = {s.Vector};\nfor (var i = 0; i < epochs; i++)\n{{\n    var loss = (p * x).{s.Sum}();\n    loss.{s.Backward}();\n    opt.{s.Step}(); // <-\n}}"),
            s => ("", $"var p = {s.Parameter};\nvar opt = {s.Optimizer};\nvar x = {s.Vector};\nfor (var i = 0; i < epochs; i++)\n{{\n    opt.{s.ZeroGrad}();\n    var loss = (p * x).{s.Sum}();\n    loss.{s.Backward}();\n    opt.{s.Step}();\n}}")),
        new("running_loss_keeps_the_graph", "SG0017", false,
            s => ("", $"var w = {s.TrackedVector};\nvar x = {s.Vector};\nvar total = {s.Zeros1};\nfor (var i = 0; i < epochs; i++)\n{{\n    var loss = (w * x).{s.Sum}();\n    total += loss; // <-\n}}\nConsole.WriteLine(total.{s.Item});"),
            s => ("", $"var w = {s.TrackedVector};\nvar x = {s.Vector};\nvar total = {s.Zeros1};\nfor (var i = 0; i < epochs; i++)\n{{\n    var loss = (w * x).{s.Sum}();\n    total += loss.{s.Detach}();\n}}\nConsole.WriteLine(total.{s.Item});")),
        new("retaining_the_grad_of_a_constant", "SG0007", false,
            s => ("", $"var c = {s.Vector} * 2.0;\nc.{s.RetainGrad}(); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nvar c = w * 2.0;\nc.{s.RetainGrad}();")),
        new("library_layer_evaluated_under_no_grad", "SG0002", false,
            s => ("", $"var layer = {Layer(s)};\nTensor output;\nusing (var scope = {s.NoGrad}) {{ output = layer.{Forward(s)}({s.Vector}); }}\noutput.{s.Sum}().{s.Backward}(); // <-"),
            s => ("", $"var layer = {Layer(s)};\nvar output = layer.{Forward(s)}({s.Vector});\noutput.{s.Sum}().{s.Backward}();")),
        new("activation_of_a_module_field_frozen", "SG0001", false,
            s => (Net(s, $"public {T(s)} Features({T(s)} x)\n{{\n    var h = x * _w;\n    h.{s.RequiresGrad} = false; // <-\n    return h;\n}}"), $"var net = new Net();\nConsole.WriteLine(net.Features({s.Vector}));"),
            s => (Net(s, $"public {T(s)} Features({T(s)} x)\n{{\n    var h = (x * _w).{s.Detach}();\n    h.{s.RequiresGrad} = false;\n    return h;\n}}"), $"var net = new Net();\nConsole.WriteLine(net.Features({s.Vector}));")),
        new("gradient_of_a_scaled_weight_property", "SG0004", true,
            s => (Net(s, $"public Parameter Weight {{ get; }} = {s.Parameter};"), $"var net = new Net();\nvar scaled = net.Weight * 2.0;\nscaled.{s.Sum}().{s.Backward}();\nConsole.WriteLine(scaled.{s.Grad}); // <-"),
            s => (Net(s, $"public Parameter Weight {{ get; }} = {s.Parameter};"), $"var net = new Net();\nvar scaled = net.Weight * 2.0;\nscaled.{s.RetainGrad}();\nscaled.{s.Sum}().{s.Backward}();\nConsole.WriteLine(scaled.{s.Grad});")),
        new("freezing_the_output_of_a_weight_property", "SG0001", true,
            s => (Net(s, "public Parameter Weight => _w;"), $"var net = new Net();\nvar h = net.Weight.{s.Exp}();\nh.{s.RequiresGrad} = false; // <-"),
            s => (Net(s, "public Parameter Weight => _w;"), $"var net = new Net();\nvar h = net.Weight.{s.Exp}().{s.Detach}();\nh.{s.RequiresGrad} = false;")),
        new("prediction_gradient_with_registered_weights", "SG0004", true,
            s => (Net(s, $"public {T(s)} Predict({T(s)} x) => x * _w;", registered: true), $"var net = new Net();\nvar opt = {ModelOptimizer(s)};\nvar p = net.Predict({s.Vector});\np.{s.Sum}().{s.Backward}();\nopt.{s.Step}();\nConsole.WriteLine(p.{s.Grad}); // <-"),
            s => (Net(s, $"public {T(s)} Predict({T(s)} x) => x * _w;", registered: true), $"var net = new Net();\nvar opt = {ModelOptimizer(s)};\nvar p = net.Predict({s.Vector});\np.{s.RetainGrad}();\np.{s.Sum}().{s.Backward}();\nopt.{s.Step}();\nConsole.WriteLine(p.{s.Grad});")),
        new("backward_of_a_vector", "SG0009", false,
            s => ("", $"var w = {s.TrackedVector};\nvar y = w.{s.Exp}();\ny.{s.Backward}(); // <-"),
            s => ("", $"var w = {s.TrackedVector};\nvar y = w.{s.Exp}().{s.Sum}();\ny.{s.Backward}();")),
        // Session 12: the mode after a helper's no_grad block, one helper in both modes, a helper with a foreach.
        new("update_after_an_evaluation_helper", "SG0006", true,
            s => (Score(s), $"var w = {s.TrackedVector};\nvar score = Score(w, {s.Vector});\nw.{s.AddInPlace}({s.Vector}); // <-"),
            s => (Score(s), $"var w = {s.TrackedVector};\nvar score = Score(w, {s.Vector});\nusing (var scope = {s.NoGrad}) {{ w.{s.AddInPlace}({s.Vector}); }}")),
        new("helper_weight_used_under_no_grad", "SG0002", true,
            s => ($"static Tensor Scaled(Tensor x) => x * {s.TrackedVector};", $"Tensor y;\nusing (var scope = {s.NoGrad}) {{ y = Scaled({s.Vector}).{s.Sum}(); }}\ny.{s.Backward}(); // <-"),
            s => ($"static Tensor Scaled(Tensor x) => x * {s.TrackedVector};", $"var y = Scaled({s.Vector}).{s.Sum}();\ny.{s.Backward}();")),
        new("penalty_summed_in_a_foreach", "SG0002", true,
            s => (Penalty(s), $"var c = {s.Vector};\nvar penalty = Penalty(c, new[] {{ 0.1, 0.2 }});\npenalty.{s.Backward}(); // <-"),
            s => (Penalty(s), $"var w = {s.TrackedVector};\nvar penalty = Penalty(w, new[] {{ 0.1, 0.2 }});\npenalty.{s.Backward}();")),
    };

    public static IReadOnlyList<RealisticCase> Cases { get; } = Build();

    private static string T(Spelling s) => "Tensor";

    private static string ModelOptimizer(Spelling s) => s.Library == "TorchSharp" ? "torch.optim.SGD(net.parameters(), 0.1)" : "new Sgd(net.Parameters(), lr: 0.1)";

    /// <summary>
    /// A module nested in the training class (so no other assembly can reach it) holding a parameter in a private
    /// readonly field; TorchSharp registers it by reflection, StaticGrad's only when <paramref name="registered"/>.
    /// </summary>
    private static string Net(Spelling s, string members, bool registered = false)
    {
        var torch = s.Library == "TorchSharp";
        var field = torch ? "private readonly Parameter _w;" : "private readonly Parameter _w;";
        var create = torch ? "new Parameter(torch.tensor(new[] { 0.5, 1.5 }))" : "new Parameter(Tensor.FromArray(new[] { 0.5, 1.5 }))";
        var constructor = torch
            ? $"public Net() : base(\"net\")\n{{\n    _w = {create};\n    RegisterComponents();\n}}"
            : registered ? $"public Net() {{ _w = RegisterParameter(\"w\", {create})!; }}" : $"public Net() {{ _w = {create}; }}";
        var forward = torch ? "public override Tensor forward(Tensor x) => (x * _w).sum();" : "public override Tensor Forward(Tensor x) => (x * _w).Sum();";
        var baseType = torch ? "nn.Module<Tensor, Tensor>" : "Module";
        return $"private sealed class Net : {baseType}\n{{\n    {field}\n\n{Indent(constructor, 1)}\n\n    {forward}\n\n{Indent(members, 1)}\n}}";
    }

    private static string Score(Spelling s) =>
        $"static double Score(Tensor w, Tensor x)\n{{\n    using (var scope = {s.NoGrad}) {{ return (w * x).{s.Sum}().{s.Item}; }}\n}}";

    private static string Penalty(Spelling s) =>
        $"static Tensor Penalty(Tensor w, double[] decays)\n{{\n    var total = (w * 0.0).{s.Sum}();\n    foreach (var d in decays)\n    {{\n        var term = (w * d).{s.Sum}();\n        total = d > 0 ? total + term : total;\n    }}\n\n    return total;\n}}";

    private static string Layer(Spelling s) => s.Library == "TorchSharp" ? "torch.nn.Linear(2, 1)" : "new Linear(2, 1)";

    private static string Forward(Spelling s) => s.Library == "TorchSharp" ? "forward" : "Forward";

    private static List<RealisticCase> Build()
    {
        var cases = new List<RealisticCase>();
        foreach (var spelling in new[] { Spelling.StaticGrad, Spelling.TorchSharp })
        {
            foreach (var scenario in Scenarios)
            {
                var (members, body) = scenario.Positive(spelling);
                cases.Add(new RealisticCase(scenario.Name + "." + spelling.Library + ".positive", spelling.Library, scenario.Rule, scenario.Interprocedural, Source(spelling, members, body)));
                (members, body) = scenario.Negative(spelling);
                cases.Add(new RealisticCase(scenario.Name + "." + spelling.Library + ".negative", spelling.Library, null, scenario.Interprocedural, Source(spelling, members, body)));
            }
        }

        return cases;
    }

    private static string Source(Spelling spelling, string members, string body) => $$"""
using System;
using System.Collections.Generic;
{{spelling.Usings}}

public static class Training
{
{{Indent(members, 1)}}

    public static void Run(int epochs)
    {
{{Indent(body, 2)}}
    }
}
""";

    private static string Indent(string text, int levels) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', 4 * levels) + line));
}
