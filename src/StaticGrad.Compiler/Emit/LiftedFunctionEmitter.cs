using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// Writes the members of a method's lifted recursive local functions (<see cref="DifferentiableMethodSpec.Lifted"/>)
/// into the method's own files, each as one more partial declaration of the containing type: the primal and the
/// backward with the backward, the tangent with the tangent, the Hessian members with the Hessian.
/// </summary>
internal static class LiftedFunctionEmitter
{
    public static string? WithBackward(string? source, DifferentiableMethodSpec spec, IReadOnlyList<RuleSpec> rules) =>
        With(source, spec, lifted => Differentiator.Differentiate(lifted, rules).Source is { } backward ? Primal(lifted) + backward : null);

    /// <summary>
    /// <paramref name="source"/> followed by <paramref name="emit"/> of every lifted function; null when one of them
    /// has none (the method's code calls it, so the file could not compile without it).
    /// </summary>
    public static string? With(string? source, DifferentiableMethodSpec spec, Func<DifferentiableMethodSpec, string?> emit)
    {
        if (source is null || spec.Lifted.Count == 0)
        {
            return source;
        }

        var text = new StringBuilder(source);
        foreach (var lifted in spec.Lifted)
        {
            if (emit(lifted) is not { } member)
            {
                return null;
            }

            text.Append(member);
        }

        return text.ToString();
    }

    /// <summary>The function itself, printed from its IR: generated code calls it where the method called the local function.</summary>
    private static string Primal(DifferentiableMethodSpec lifted)
    {
        var method = lifted.Method;
        var w = new IndentedWriter();
        PartialTypeWriter.Open(w, lifted);
        w.WriteLine(PartialTypeWriter.GeneratedCodeAttribute);
        w.WriteLine(lifted.Accessibility + (lifted.IsStatic ? " static " : " ") + method.ReturnType.ScalarKeyword + " " + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.CSharp + " " + p.Name)) + ")");
        w.OpenBrace();
        new TangentPrinter(TangentBody.Of(method), Array.Empty<string>()).WriteBody(w);
        w.CloseBrace();
        PartialTypeWriter.Close(w, lifted);
        return w.ToString();
    }
}
