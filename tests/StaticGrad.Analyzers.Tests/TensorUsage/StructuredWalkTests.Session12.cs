namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// The constructs walked since session 12 (<c>continue</c>, <c>foreach</c> over framework collections, a conditional
/// operator assigned to a local, a parameter or an array element): each body is structured, and the walk reports
/// exactly what the graph reports, where a rule holds on every path and where it does not (the theories, shared with
/// session 11's constructs, are in StructuredWalkTests.Constructs.cs, the TorchSharp cases with TorchSharp's scopes).
/// </summary>
public partial class StructuredWalkTests
{
    private const string Items = "var items = new List<double>(new[] { 1.0, 2.0 });\n";

    public static TheoryData<string, string, string> Session12Cases => new()
    {
        // continue: the increment (for) or the head (while) joins every continue and the body's end.
        { "for, continue, reported on every path", "var w = Tensor.FromArray(new[] { 1.0 });\nvar y = w * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        continue;\n    }\n\n    y = y * 2.0;\n}\n\ny.Sum().Backward();", "SG0002" },
        { "for, continue, not on every path", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        y = Tensor.FromArray(new[] { 3.0 });\n        continue;\n    }\n\n    y = w * 3.0;\n}\n\ny.Sum().Backward();", "-SG0002" },
        { "for, continue skips the new graph", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = (w * 2.0).Sum();\nfor (var i = 0; i < n; i++)\n{\n    y.Backward();\n    if (flag)\n    {\n        continue;\n    }\n\n    y = (w * 2.0).Sum();\n}", "-SG0005" },
        { "while, continue, reported on every path", "var w = Tensor.FromArray(new[] { 1.0 });\nvar y = w * 2.0;\nwhile (n > 0)\n{\n    n--;\n    if (flag)\n    {\n        continue;\n    }\n\n    y = y * 3.0;\n}\n\ny.Sum().Backward();", "SG0002" },
        { "while, continue, not on every path", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w * 2.0;\nwhile (n > 0)\n{\n    n--;\n    if (flag)\n    {\n        y = Tensor.FromArray(new[] { 3.0 });\n        continue;\n    }\n\n    y = w * 3.0;\n}\n\ny.Sum().Backward();", "-SG0002" },
        { "continue and break in nested loops", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nfor (var i = 0; i < n; i++)\n{\n    var j = 0;\n    while (j < i)\n    {\n        j++;\n        if (j > 2 || flag)\n        {\n            continue;\n        }\n\n        using (Autograd.NoGrad())\n        {\n            w.AddInPlace(1.0);\n        }\n    }\n\n    if (flag)\n    {\n        break;\n    }\n\n    w.AddInPlace(2.0);\n}", "SG0006" },
        // foreach over a framework collection.
        { "foreach, reported in the body", Items + "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nforeach (var v in items)\n{\n    w.AddInPlace(v);\n}", "SG0006" },
        { "foreach under NoGrad", Items + "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nforeach (var v in items)\n{\n    using (Autograd.NoGrad())\n    {\n        w.AddInPlace(v);\n    }\n}", "-SG0006" },
        { "foreach, continue, reported after", Items + "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nforeach (var v in items)\n{\n    if (v > 1)\n    {\n        continue;\n    }\n\n    using (Autograd.NoGrad())\n    {\n        w.AddInPlace(v);\n    }\n}\n\nw.AddInPlace(1.0);", "SG0006" },
        { "foreach, the element is unknown", "IEnumerable<Tensor> ts = new[] { Tensor.FromArray(new[] { 1.0 }) };\nforeach (var t in ts)\n{\n    t.Sum().Backward();\n}", "-SG0002" },
        { "foreach over an array, the mode stays known", "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nforeach (Tensor t in new[] { w })\n{\n    var s = t.Sum();\n}\n\nw.AddInPlace(1.0);", "SG0006" },
        { "foreach, the penalty helper", Items + "var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);\nTensor? total = null;\nforeach (var v in items)\n{\n    var term = (w * v).Sum();\n    total = total is null ? term : total + term;\n}\n\ntotal!.Backward();", "-SG0002" },
        { "foreach, a break on every path", Items + "var c = Tensor.FromArray(new[] { 1.0 });\nvar y = c * 2.0;\nforeach (var v in items)\n{\n    if (v > 1)\n    {\n        break;\n    }\n\n    y = y * v;\n}\n\ny.Sum().Backward();", "SG0002" },
        { "foreach, a break that leaves from another state", Items + "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w * 2.0;\nforeach (var v in items)\n{\n    if (v > 1)\n    {\n        y = Tensor.FromArray(new[] { 3.0 });\n        break;\n    }\n\n    y = w * v;\n}\n\ny.Sum().Backward();", "-SG0002" },
        // A conditional operator assigned to a variable or an element.
        { "a conditional assigned to a local", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = Tensor.FromArray(new[] { 1.0 });\ny = flag ? w * 2.0 : w * 3.0;\ny.Sum().Backward();", "-SG0002" },
        { "a conditional assigned to a local, reported", "var c = Tensor.FromArray(new[] { 1.0 });\nvar y = c * 1.0;\ny = flag ? c * 2.0 : c.Exp();\ny.Sum().Backward();", "SG0002" },
        { "a conditional assigned to an element", "var c = Tensor.FromArray(new[] { 1.0 });\nvar targets = new double[n];\nfor (var r = 0; r < n; r++)\n{\n    targets[r] = c.Sum().Item() > 0 ? 1.0 : 0.0;\n}\n\nc.Sum().Backward();", "SG0002" },
        { "a tensor stored in an element escapes", "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar ts = new Tensor[1];\nts[0] = flag ? w * 2.0 : w * 3.0;\nts[0].Sum().Backward();", "-SG0002" },
    };
}
