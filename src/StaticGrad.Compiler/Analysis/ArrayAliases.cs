using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Which array names of a method may denote the same array. Parameters may alias each other (a caller can pass one
/// array twice), so any two names may, except a fresh local: one created only by <c>new T[n]</c> or
/// <c>stackalloc</c>, flat, and never assigned, copied into another name or stored as an element, so no other name
/// ever refers to its storage (the spring chain's <c>forces</c> against its <c>particles</c>).
/// </summary>
public sealed class ArrayAliases
{
    private readonly HashSet<string> _fresh;

    public ArrayAliases(MethodIR method)
    {
        var statements = IrWalker.Statements(method.Body).ToList();
        var escaped = new HashSet<string>(statements.OfType<AssignStmt>().Select(a => a.Target));
        foreach (var statement in statements)
        {
            // A whole-array value assigned or stored anywhere makes a second name for it.
            var copied = statement switch
            {
                AssignStmt a when a.Type.IsCollection => IrWalker.Descendants(a.Value),
                StoreStmt s => IrWalker.Descendants(s.Value),
                _ => Enumerable.Empty<Expr>(),
            };
            escaped.UnionWith(copied.Select(NameOf).Where(n => n is not null)!);
        }

        _fresh = new HashSet<string>(statements.OfType<NewArrayStmt>()
            .Where(n => n.Type.Shape is ShapeKind.Array or ShapeKind.Span && !escaped.Contains(n.Target) && !method.Parameters.Any(p => p.Name == n.Target))
            .Select(n => n.Target));
    }

    /// <summary>Whether a store into <paramref name="written"/> may change an element read through <paramref name="read"/>.</summary>
    public bool MayAlias(string written, string read) => written == read || (!_fresh.Contains(written) && !_fresh.Contains(read));

    /// <summary>Whether no other name ever refers to the storage of <paramref name="array"/> (a fresh local).</summary>
    public bool IsFresh(string array) => _fresh.Contains(array);

    /// <summary>Whether a call hands the callee an array (or a slice or grid of one), which it could write.</summary>
    public static bool PassesArray(MethodCallExpr call) =>
        call.Args.SelectMany(IrWalker.Descendants).Any(e => NameOf(e) is not null || e.Type.IsCollection);

    private static string? NameOf(Expr e) => e switch
    {
        VarExpr { Type.IsCollection: true } v => v.Name,
        SliceExpr s => s.Array,
        GridExpr g => g.Array,
        _ => null,
    };
}
