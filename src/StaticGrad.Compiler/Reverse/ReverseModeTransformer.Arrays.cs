using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Local arrays created more than once (a per-iteration buffer, <c>a = new double[n]</c> again): each creation is a
/// new array, so the forward sweep saves the array it replaces on the tape when the reverse sweep reads the array's
/// values, and the reverse of the creation gets it back. The adjoint is one buffer, grown to the longest array and
/// cleared at each reversed creation, since the adjoint of one array is not the adjoint of the one before.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private void ForwardCreation(NewArrayStmt n, IndentedWriter w)
    {
        var recreated = _recording.IsRecreated(n);
        if (recreated && _recording.SaveOf(n) == Analysis.Storage.Tape)
        {
            UseTape();
            w.WriteLine(_tapeName + ".PushArray(" + n.Target + ");");
        }

        w.WriteLine(n.Target + " = " + (n.IsStackAlloc ? "stackalloc " : "new ") + n.Type.ScalarKeyword + "[" + ExpressionPrinter.Print(n.Length) + "];");
        if (!_adjoints.TryGetValue(n.Target, out var adjoint))
        {
            return;
        }

        // The pool holds doubles and floats: an array of structs gets a new adjoint, as its primal is new.
        var allocation = n.Type.StructName.Length > 0
            ? "new " + n.Type.StructName + "[" + n.Target + ".Length]"
            : TapeType + ".Rent" + (n.Type.Scalar == ScalarKind.Float ? "Singles" : "Doubles") + "(" + n.Target + ".Length)";
        if (!recreated)
        {
            w.WriteLine(adjoint + " = " + allocation + ";");
            return;
        }

        w.WriteLine("if (" + adjoint + ".Length < " + n.Target + ".Length)");
        w.OpenBrace();
        if (n.Type.StructName.Length == 0)
        {
            w.WriteLine(TapeType + ".Return(" + adjoint + ");");
        }

        w.WriteLine(adjoint + " = " + allocation + ";");
        w.CloseBrace();
    }

    private void ReverseCreation(NewArrayStmt n, IndentedWriter w)
    {
        if (_adjoints.TryGetValue(n.Target, out var adjoint))
        {
            w.WriteLine("global::System.Array.Clear(" + adjoint + ", 0, " + adjoint + ".Length);");
        }

        if (_recording.SaveOf(n) == Analysis.Storage.Tape)
        {
            w.WriteLine(n.Target + " = " + _tapeName + ".PopArray<" + n.Type.ScalarKeyword + ">();");
        }
    }
}
