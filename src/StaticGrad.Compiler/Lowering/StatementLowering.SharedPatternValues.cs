using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Pattern variables bound to one value. A generic-math method cannot write a relational pattern on a <c>T</c> (no
/// <c>T</c> value is a constant), so where a double method writes <c>(s is &gt; 0.1 ? x : y) * (s is &gt; 0.1 ? x : y)</c>
/// and the lowering repeats <c>s</c> in both factors, the generic one binds <c>s</c> once per test:
/// <c>(s is var a &amp;&amp; a &gt; 0.1 ? x : y) * (s is var b &amp;&amp; b &gt; 0.1 ? x : y)</c>. Read as two variables, the
/// factors print differently, so the reverse differentiates a product (two terms added to the adjoint one after the
/// other) where the double method's is a square (one term, <c>2·u·g</c>): one ulp apart (batch 20264100 P12). A
/// variable bound to a value that an earlier pattern variable of the same block holds is therefore read as that
/// variable, when it is sound to: neither is written anywhere but by its pattern (so both hold the value from
/// their bindings on), only plain assignments lie between the two bindings and none writes what the value reads, and
/// the value calls no user method (it is evaluated once instead of twice) and holds no Detach (which prints as its
/// operand, so equal text would not mean an equal derivative); and both patterns are lowered once (the method's own
/// statements, not a local function's or a loop header's).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The variables bound by patterns and written nowhere else, by their names in the IR.</summary>
    private readonly HashSet<string> _onlyBoundByPattern = new(System.StringComparer.Ordinal);

    /// <summary>Pattern variables read as an earlier one: the symbol, and the earlier variable's name.</summary>
    private readonly Dictionary<ISymbol, string> _sharedPatternValues = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Binds <paramref name="local"/> to <paramref name="value"/> as the variable of an earlier pattern that holds the
    /// same value, if there is one it may share; else assigns it (the pattern's own binding).
    /// </summary>
    private bool BindPatternVariable(IOperation pattern, ILocalSymbol local, IrType type, Expr value)
    {
        var shareable = IsShareable(value) && IsLoweredOnce(pattern, local) && IsOnlyBoundByPattern(pattern, local);
        var earlier = shareable ? EarlierBinding(type, value) : null;
        if (_sharedPatternValues.TryGetValue(local, out var shared))
        {
            // The same pattern lowered again (a loop condition, an inlined local function): its reads already name the
            // earlier variable, which must hold this value here too.
            if (earlier != shared)
            {
                UnsupportedPattern(pattern, "this pattern variable here (bind the value to a local in its own statement)");
                return false;
            }

            return true;
        }

        if (earlier is not null && !_context.TryGetVariable(local, out _, out _))
        {
            _context.DeclareVariable(local, type, alias: earlier);
            _sharedPatternValues[local] = earlier;
            return true;
        }

        var name = _context.DeclareLocal(local, type);
        if (shareable)
        {
            _onlyBoundByPattern.Add(name);
        }

        _pending!.Add(new AssignStmt(name, type, value));
        return true;
    }

    /// <summary>A value whose one evaluation may stand for two: no call of a user method, no Detach.</summary>
    private static bool IsShareable(Expr value) => !IrWalker.Descendants(value).Any(e => e is MethodCallExpr or DetachExpr);

    /// <summary>
    /// The name of a pattern variable assigned <paramref name="value"/> among the plain assignments just before this
    /// binding, none of which writes what the value reads; else null.
    /// </summary>
    private string? EarlierBinding(IrType type, Expr value)
    {
        var text = ExpressionPrinter.Operand(value);
        var reads = new HashSet<string>(IrWalker.ReadVariables(value), System.StringComparer.Ordinal);
        for (var i = _pending!.Count - 1; i >= 0 && _pending[i] is AssignStmt assignment; i--)
        {
            if (_onlyBoundByPattern.Contains(assignment.Target) && assignment.Type == type && ExpressionPrinter.Operand(assignment.Value) == text)
            {
                return assignment.Target;
            }

            if (reads.Contains(assignment.Target))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether the pattern binds its variable at one place of the IR: not in a local function or lambda (inlined at
    /// every call) nor in a loop's header (a condition with effects is lowered before the loop and again at the end of
    /// its body), where a variable read as another could keep a value the other's next binding replaces.
    /// </summary>
    private bool IsLoweredOnce(IOperation pattern, ILocalSymbol local)
    {
        if (!SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _context.Method))
        {
            return false;
        }

        for (var child = pattern; child.Parent is { } parent; child = parent)
        {
            if (parent is ILoopOperation loop && !ReferenceEquals(loop.Body, child))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the method writes <paramref name="local"/> nowhere (its pattern binds it; that is no reference).</summary>
    private static bool IsOnlyBoundByPattern(IOperation pattern, ILocalSymbol local)
    {
        var root = pattern;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return !root.Descendants().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local) && !IsPlainRead(r));
    }

    /// <summary>Whether a reference only reads its variable (not a target, not passed or taken by reference).</summary>
    private static bool IsPlainRead(IOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => !ReferenceEquals(assignment.Target, reference),
        IIncrementOrDecrementOperation or IAddressOfOperation or ITupleOperation or IDeclarationExpressionOperation => false,
        IArgumentOperation argument => argument.Parameter?.RefKind is null or RefKind.None,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol.RefKind == RefKind.None,
        IVariableInitializerOperation => false,
        _ => true,
    };
}
