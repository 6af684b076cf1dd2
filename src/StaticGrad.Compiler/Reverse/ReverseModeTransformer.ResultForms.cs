using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The reverse of a call to a callee whose derivative is written from its value (<see cref="ResultRules"/>: the
/// logistic σ′ = σ·(1 − σ)). The callee's backward would run the callee again (LSTM: one <c>exp</c> per gate and
/// cell); here the value is bound once, <c>double _s = Sigmoid(z);</c>, and where the call is a statement's whole
/// right side and its target still holds the value, <see cref="ReverseValueCache"/> replaces that call by the target,
/// so the partial costs two multiplications. Otherwise the primal runs once, which is cheaper than its backward.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private bool PropagateResultForm(MethodCallExpr call, string g, IndentedWriter w)
    {
        if (call.Target.ResultForm.Length == 0 || call.Args.Count != 1 || !_activity.IsActive(call.Args[0]))
        {
            return false;
        }

        var isFloat = call.Type.Scalar == ScalarKind.Float;
        var value = Temporary("_s");
        w.WriteLine(call.Type.ScalarKeyword + " " + value + " = " + ExpressionPrinter.Print(call) + ";");
        var context = new RuleContext(isFloat ? "global::System.MathF" : "global::System.Math", new[] { ExpressionPrinter.Operand(call.Args[0]) }, g, isFloat, value);
        Propagate(call.Args[0], ResultRules.Partial(call.Target.ResultForm, context), w);
        return true;
    }
}
