using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// <c>Math</c> values of the forward sweep kept for the reverse. The reverse of a statement evaluates its partials on
/// the values the forward statement saw, so a call whose text occurs there (<c>exp(−r·T)</c> as the other factor of a
/// product, the argument of an outer call) has the value the forward sweep computed. For a statement that runs once
/// per reversal (outside loops, or once per iteration of a fused loop), the forward keeps each such call's value in a
/// local, <c>(_m = Math.Exp(u))</c>, and the statement's reverse reads the local instead of calling again.
/// <para>
/// Only calls the forward statement always evaluates are kept: not in a branch of <c>?:</c> or right of
/// <c>&amp;&amp;</c>/<c>||</c>. A derivative's text can equal the text of a call that did not run (cos from sin′ next
/// to a <c>Math.Cos</c> in the branch not taken), and its local would hold nothing. Whether the reverse reads a kept
/// value is known only once the reverse is written, so the forward writes markers around each candidate, and
/// <see cref="ResolveKeptBuiltins"/> turns them into the assignment or removes them.
/// </para>
/// <para>
/// Inside loops (session 18, LSTM's <c>h = o · tanh(c)</c>) the local holds only the last run's value, so a library
/// call (<see cref="TapeKeptFunctions"/>) is pushed after the statement and popped into the local at the start of
/// the statement's reverse, above the value the statement's own save pushed. A push and a pop cost less than the
/// call they replace; a call the hardware does in one instruction (Sqrt, Abs, Min…) is evaluated again instead.
/// Only the gradient's one forward and one reverse sweep do this (<see cref="_keepsOnTape"/>), and not in loops
/// reversed in forward order, whose pops would not undo their pushes.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// The library calls worth a push inside loops: each costs tens of cycles (glibc's tanh, exp…), a push and a pop
    /// a few loads and stores.
    /// </summary>
    private static readonly HashSet<string> TapeKeptFunctions = new(System.StringComparer.Ordinal)
    {
        "Acos", "AcosPi", "Acosh", "Asin", "AsinPi", "Asinh", "Atan", "Atan2", "Atan2Pi", "AtanPi", "Atanh", "Cbrt",
        "Cos", "CosPi", "Cosh", "Exp", "Exp10", "Exp10M1", "Exp2", "Exp2M1", "ExpM1", "Hypot", "Log", "Log10",
        "Log10P1", "Log2", "Log2P1", "LogP1", "Pow", "RootN", "Sin", "SinPi", "Sinh", "Tan", "TanPi", "Tanh",
    };

    private readonly Dictionary<Stmt, List<KeptBuiltin>> _keptBuiltins = new(ReferenceComparer<Stmt>.Instance);
    private int _keptCount;

    /// <summary>Set by <see cref="WriteBody"/>: calls in loops may be kept on the tape (the Jacobian's sweeps reverse more than once).</summary>
    private bool _keepsOnTape;

    /// <summary>The statements inside loops reversed in forward order (<see cref="ForwardOrder"/>), found on first use.</summary>
    private HashSet<Stmt>? _inForwardOrderLoops;

    /// <summary>A candidate call: its text, the local that would hold it, and whether a reverse read it.</summary>
    private sealed class KeptBuiltin
    {
        public KeptBuiltin(string text, string name, string declaration, IrType? tapeType)
        {
            Text = text;
            Name = name;
            Declaration = declaration;
            TapeType = tapeType;
        }

        public string Text { get; }

        public string Name { get; }

        public string Declaration { get; }

        public bool Used { get; set; }

        /// <summary>The call's type when its value is pushed after each run of a statement inside a loop; null for a local alone.</summary>
        public IrType? TapeType { get; }

        public string Open => "\u0001" + Name + "\u0001";

        public string Close => "\u0002" + Name + "\u0002";

        /// <summary>Starts the line of the forward push; the line goes when no reverse reads the value.</summary>
        public string Push => PushMarker + Name + PushMarker;

        /// <summary>The slot the value is kept in instead of the tape (<see cref="_keptSlots"/>); null: on the tape.</summary>
        public (string Buffer, string Index)? Slot { get; set; }
    }

    private const string PushMarker = "\u0003";

    /// <summary>The forward text with markers around each floating <c>Math</c> call the statement always evaluates (outer first).</summary>
    private string MarkKeptBuiltins(Stmt statement, Expr value, string text)
    {
        var onTape = !RunsOncePerReversal(statement);
        if (onTape && !KeepsOnTape(statement))
        {
            return text;
        }

        foreach (var call in ReverseValueCache.Unconditional(value).Where(c => c.Type.IsFloating && c.Type.StructName.Length == 0 && (!onTape || TapeKeptFunctions.Contains(c.Function))))
        {
            var callText = ExpressionPrinter.Print(call);
            if (ReverseValueCache.Occurrences(text, callText) != 1 || (_keptBuiltins.TryGetValue(statement, out var known) && known.Any(k => k.Text == callText)))
            {
                continue;
            }

            // A counter of its own: the other temporaries keep their numbers whether or not a candidate is used.
            var name = Fresh("_m" + (_keptCount++).ToString(CultureInfo.InvariantCulture));
            var kept = new KeptBuiltin(callText, name, call.Type.ScalarKeyword + " " + name + " = " + Zero(call.Type) + ";", onTape ? call.Type : null);
            text = text.Replace(callText, kept.Open + callText + kept.Close);
            if (!_keptBuiltins.TryGetValue(statement, out var list))
            {
                _keptBuiltins[statement] = list = new List<KeptBuiltin>();
            }

            // The slots were reserved for calls of the statement's own type (KeptCandidates); a call of another type
            // (MathF.Tanh in a double statement) stays on the tape rather than take a slot of the wrong element type.
            if (onTape && _keptSlots.TryGetValue(statement, out var reserved) && reserved.Count > 0 && reserved.Peek().ElementType == call.Type.ScalarKeyword)
            {
                var (buffer, index, _) = reserved.Dequeue();
                kept.Slot = (buffer, index);
            }

            list.Add(kept);
        }

        return text;
    }

    /// <summary>Whether a statement inside a loop may keep its calls' values on the tape.</summary>
    private bool KeepsOnTape(Stmt statement)
    {
        if (!_keepsOnTape)
        {
            return false;
        }

        if (_inForwardOrderLoops is null)
        {
            _inForwardOrderLoops = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
            foreach (var loop in ForwardOrder.Keys.Cast<LoopStmt>())
            {
                _inForwardOrderLoops.UnionWith(IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()));
            }
        }

        return !_inForwardOrderLoops.Contains(statement);
    }

    /// <summary>After a statement's forward line: the pushes of its calls kept on the tape (outer first), marked until resolved.</summary>
    private void WriteKeptPushes(Stmt statement, IndentedWriter w)
    {
        if (!_keptBuiltins.TryGetValue(statement, out var list))
        {
            return;
        }

        foreach (var kept in list.Where(k => k.TapeType is not null))
        {
            w.WriteLine(kept.Push + (kept.Slot is { } slot ? slot.Buffer + "[" + slot.Index + "] = " + kept.Name + ";" : _tapeName + ".Push(" + kept.Name + ");"));
        }
    }

    /// <summary>Before a statement's reverse: the values of its calls kept on the tape that the reverse reads, popped in reverse order of their pushes.</summary>
    private void WriteKeptPops(Stmt statement, IndentedWriter w)
    {
        if (!_keptBuiltins.TryGetValue(statement, out var list))
        {
            return;
        }

        foreach (var kept in Enumerable.Reverse(list).Where(k => k.TapeType is not null && k.Used))
        {
            if (kept.Slot is { } slot)
            {
                w.WriteLine(kept.Name + " = " + slot.Buffer + "[" + slot.Index + "];");
                continue;
            }

            UseTape();
            w.WriteLine(kept.Name + " = " + _tapeName + "." + PopMethod(kept.TapeType!) + "();");
        }
    }

    /// <summary>A statement's reverse text with each kept call's text read from its local (outer calls first).</summary>
    private string ReadKeptBuiltins(Stmt statement, string text)
    {
        text = ReadForwardBuiltinLocals(statement, text);
        if (!_keptBuiltins.TryGetValue(statement, out var list))
        {
            return text;
        }

        foreach (var kept in list)
        {
            if (ReverseValueCache.Occurrences(text, kept.Text) > 0)
            {
                kept.Used = true;
                text = text.Replace(kept.Text, kept.Name);
            }
        }

        return text;
    }

    /// <summary>Turns the markers of the forward sweep into assignments of the values a reverse reads, and drops the others.</summary>
    private void ResolveKeptBuiltins(IndentedWriter forward)
    {
        foreach (var kept in _keptBuiltins.Values.SelectMany(k => k))
        {
            forward.Replace(kept.Open, kept.Used ? "(" + kept.Name + " = " : string.Empty, 0);
            forward.Replace(kept.Close, kept.Used ? ")" : string.Empty, 0);
            if (kept.TapeType is not null && kept.Used)
            {
                forward.Replace(kept.Push, string.Empty, 0);
            }

            if (kept.Used)
            {
                _declarations.Add(kept.Declaration);
            }
        }

        // What is left marked is the push of a value no reverse reads.
        forward.RemoveLinesContaining(PushMarker);
    }
}
