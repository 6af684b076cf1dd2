using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Emit;

/// <summary>The declaration of a span local that a generated method hoists to its top.</summary>
internal static class SpanLocal
{
    /// <summary>
    /// Initialised with an empty <c>stackalloc</c> so that the local may later hold a <c>stackalloc</c> of the body (its
    /// scope is the method's). The C# 11 spelling, <c>scoped Span&lt;T&gt; s = default;</c>, does not compile for a
    /// consumer on C# 9 or 10, and this one means the same in every version.
    /// </summary>
    public static string Declaration(IrType type, string name) =>
        type.CSharp + " " + name + " = stackalloc " + type.ScalarKeyword + "[0];";
}
