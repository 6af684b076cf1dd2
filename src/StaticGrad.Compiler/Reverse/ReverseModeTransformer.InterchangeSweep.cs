using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The column sweep of an interchanged row/column nest (<see cref="ReverseInterchanged"/>) in a static local function,
/// its rows over spans (session 21). Session 21 read the JIT's code for GMM's backward: the method has more locals
/// than the JIT tracks, so in the sweep's inner loop (inline in that method) the row and stepped counters lived in
/// stack slots (27 instructions, 13 stack operands, 2 bounds checks per triangle entry); the same text in a function of
/// its own gets registers, and over spans of one length walked by <c>q &lt; run.Length</c> the JIT clones the loop
/// without bounds checks (11 instructions, no stack operand, none checked).
/// <para>
/// The function takes every method-level variable the sweep mentions by value (arrays and spans by reference, as
/// before) and returns the exit values of the scalars it assigns, so the method sees what the inline sweep left; the
/// row index is restored after it as before. A sweep that mentions anything else (a field, an instance member), or a
/// struct or opaque value, stays inline.
/// </para>
/// <para>
/// Rows over spans: in column <c>col</c> the rows <c>first … n − 1</c> read each array the term reads at
/// <c>idx(j, col)</c>, and the forward read every one of them (the guard's argument, see <see cref="ReverseInterchanged"/>),
/// so where every index moves by exactly one element from row to row (<see cref="StrictRowStride"/>: linear in the row
/// with coefficient 1, no remainder or division) the run <c>idx(first, col) … idx(first, col) + n − first − 1</c> is in
/// range and contiguous; the adjoint spans are at least as long as their arrays (the guard) and the row buffer is rented
/// with a row per row. Only for arrays that hold the same array in both sweeps (<see cref="IsOneArray"/>: parameters never
/// assigned, locals created once; a local only without an adjoint, whose rented length is not checked here), where every
/// stepped integer is stepped from row to row (<see cref="RowSteppedIntegers"/>) and the body reads the row index and the
/// stepped integers only inside those indices; else the rows stay indexed.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>The sweeps' local functions, written after the method's return, and their indentation there.</summary>
    private readonly List<string> _sweepFunctions = new();

    private int _sweepFunctionLevel;

    /// <summary>
    /// The row loop of one column over spans (text indented at <paramref name="level"/>), or null where the rows must stay
    /// indexed. <paramref name="body"/> is the reversed row body without the row's steps; <paramref name="steps"/> are the
    /// row-stepped integers with their strides.
    /// </summary>
    private string? RowsOverSpans(InterchangePlan plan, Expr operand, string body, string buffer, string rowAdjoint, string start, IReadOnlyDictionary<string, long> steps, int level)
    {
        var starts = plan.ColumnPlan.Starts.ToDictionary(a => a.Target, a => a.Value);
        var elements = IrWalker.Descendants(operand).OfType<ElementExpr>().ToList();
        if (plan.Steps.Any(s => !steps.ContainsKey(s.Target))
            || elements.Any(e => (!_method.Parameters.Any(p => p.Name == e.Array) && _adjoints.ContainsKey(e.Array)) || !IsOneArray(e.Array) || !IsFloatingArray(e.Array)
                || StrictRowStride(e.Index, plan.Row, plan.ColumnIndex, starts) != 1))
        {
            return null;
        }

        // Every element of those arrays and of their adjoints in the body, at an index the term reads, becomes its run's.
        var indices = new HashSet<string>(elements.Select(e => ExpressionPrinter.Print(e.Index)));
        var names = elements.Select(e => e.Array).Distinct()
            .SelectMany(a => new[] { (Name: a, Array: a, Adjoint: false) }
                .Concat(_adjoints.TryGetValue(a, out var adjoint) ? new[] { (Name: adjoint, Array: a, Adjoint: true) } : System.Array.Empty<(string, string, bool)>()))
            .ToList();
        var first = Fresh("_" + NameScope.Unescaped(buffer).TrimStart('_') + "Run");
        var counter = Fresh("_q");
        var runs = new List<string>();
        foreach (var (name, array, adjoint) in names)
        {
            var pattern = new Regex(@"(?<![\w@.])" + Regex.Escape(name) + @"(?![\w@])(\[(?<index>[^\[\]]*)\])?");
            var fail = false;
            var spans = new Dictionary<string, string>();
            body = pattern.Replace(body, m =>
            {
                var index = m.Groups["index"].Value;
                if (!m.Groups["index"].Success || !indices.Contains(index))
                {
                    fail = true;
                    return m.Value;
                }

                if (!spans.TryGetValue(index, out var span))
                {
                    spans[index] = span = Fresh("_" + NameScope.Unescaped(name).TrimStart('_') + "Run");
                    runs.Add("var " + span + " = " + (adjoint && IsSignatureAdjoint(array)
                        ? name + ".Slice(" + index + ", " + first + ".Length);"
                        : "new global::System." + (adjoint ? "Span<" : "ReadOnlySpan<") + _types[array].ScalarKeyword + ">(" + name + ", " + index + ", " + first + ".Length);"));
                }

                return span + "[" + counter + "]";
            });
            if (fail)
            {
                return null;
            }
        }

        // Only the indices read the row and the stepped integers: the loop below steps neither.
        var mentioned = LoopLocals.Written(body, _ => true).Concat(LoopLocals.OnlyRead(body, _ => true)).ToList();
        if (mentioned.Count == 0 || mentioned.Contains(plan.Row) || steps.Keys.Any(mentioned.Contains))
        {
            return null;
        }

        var w = new IndentedWriter();
        w.Indent(level);
        var scalar = plan.Floating.Type.ScalarKeyword;
        w.WriteLine("// Over the column's runs: every index moves by one element from row to row, and the forward read each of them.");
        w.WriteLine("var " + first + " = new global::System.ReadOnlySpan<" + scalar + ">(" + buffer + ", " + (plan.RowStart == "0" ? plan.Row : plan.Row + " - " + start) + ", " + plan.RowBound + " - " + plan.Row + ");");
        foreach (var run in runs)
        {
            w.WriteLine(run);
        }

        w.WriteLine("var " + counter + " = 0;");
        w.WriteLine("while (" + counter + " < " + first + ".Length)");
        w.OpenBrace();
        w.WriteLine("var " + rowAdjoint + " = " + first + "[" + counter + "];");
        w.AppendOutdented(body);
        w.WriteLine(counter + " = " + counter + " + 1;");
        w.CloseBrace();
        foreach (var v in steps.Where(v => v.Value != 0))
        {
            w.WriteLine(v.Key + " = " + v.Key + (v.Value > 0 ? " + " : " - ") + (System.Math.Abs(v.Value) == 1 ? counter : counter + " * " + System.Math.Abs(v.Value).ToString(System.Globalization.CultureInfo.InvariantCulture)) + ";");
        }

        w.WriteLine(plan.Row + " = " + plan.Row + " + " + counter + ";");
        return w.ToString();
    }

    /// <summary>
    /// <see cref="RowStride"/> for an index the rows are sliced by: exact (a remainder or a quotient is not linear in the
    /// row), through the starts of the stepped integers, null when not a constant.
    /// </summary>
    private static long? StrictRowStride(Expr index, string row, string column, IReadOnlyDictionary<string, Expr> starts) => index switch
    {
        BinaryExpr { Op: not (BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply) } => null,
        BinaryExpr b when StrictRowStride(b.Left, row, column, starts) is null || StrictRowStride(b.Right, row, column, starts) is null => null,
        VarExpr v when v.Name != column && v.Name != row && starts.TryGetValue(v.Name, out var start) => StrictRowStride(start, row, column, starts),
        ConstExpr or VarExpr or BinaryExpr => RowStride(index, row, column, starts),
        _ => null,
    };

    /// <summary>
    /// Writes the column sweep <paramref name="sweep"/> (indented one level deeper than <paramref name="w"/>) as a call of a
    /// static local function declared after it (see the type's summary); false where it must stay inline.
    /// <paramref name="row"/> is restored by the caller, so its exit value is not returned.
    /// </summary>
    private bool TryWriteSweepFunction(string sweep, string row, IndentedWriter w) =>
        TryWriteSweepFunction(sweep, row, "_Columns", "// The columns in a function of their own, whose locals the JIT keeps in registers (this method has more than it tracks).", w);

    /// <summary>
    /// <see cref="TryWriteSweepFunction(string, string, IndentedWriter)"/> with <paramref name="functionName"/> (made fresh) and the
    /// comment above its call; a <paramref name="row"/> that names no variable returns every scalar the text assigns.
    /// </summary>
    private bool TryWriteSweepFunction(string sweep, string row, string functionName, string comment, IndentedWriter w)
    {
        var written = LoopLocals.Written(sweep, _ => true);
        var mentioned = written.Concat(LoopLocals.OnlyRead(sweep, _ => true)).ToList();
        if (mentioned.Count == 0)
        {
            return false;
        }

        var declared = new HashSet<string>(Regex.Matches(sweep, @"\b(?:var|double|float|int|long|bool)\s+(@?\w+)\s*=").Cast<Match>().Select(m => m.Groups[1].Value));
        var parameters = new List<(string Name, string Type)>();
        foreach (var name in mentioned.Where(n => !declared.Contains(n) && !NameScope.IsKeyword(n)))
        {
            // A contextual keyword is the text's own (var, global) unless the method has a variable of that name (a user's
            // from or select): that one the function takes like any other.
            if (NameScope.IsContextualKeyword(name) && !IsMethodVariable(name))
            {
                continue;
            }

            if (SweepType(name) is not { } type)
            {
                return false;
            }

            parameters.Add((name, type));
        }

        var results = parameters.Where(p => p.Name != row && written.Contains(p.Name)).ToList();
        var function = Fresh(functionName);
        var call = function + "(" + string.Join(", ", parameters.Select(p => p.Name)) + ");";
        w.WriteLine(comment);
        w.WriteLine(results.Count switch
        {
            0 => call,
            1 => results[0].Name + " = " + call,
            _ => "(" + string.Join(", ", results.Select(r => r.Name)) + ") = " + call,
        });
        // Declared after the method's return (written by Transform): a local function's return inside the fused iteration's
        // text would read as a jump out of it (AssignIterationAdjoints), and the functions capture nothing.
        var f = new IndentedWriter();
        f.Indent(_sweepFunctionLevel);
        f.WriteLine();
        f.WriteLine("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        f.WriteLine("static " + (results.Count switch
        {
            0 => "void",
            1 => results[0].Type,
            _ => "(" + string.Join(", ", results.Select(r => r.Type)) + ")",
        }) + " " + function + "(" + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name)) + ")");
        f.OpenBrace();
        f.AppendText(Shifted(sweep, f.Level - (w.Level + 1)));
        if (results.Count > 0)
        {
            f.WriteLine("return " + (results.Count == 1 ? results[0].Name : "(" + string.Join(", ", results.Select(r => r.Name)) + ")") + ";");
        }

        f.CloseBrace();
        _sweepFunctions.Add(f.ToString());
        return true;
    }

    /// <summary><paramref name="text"/> with each line indented <paramref name="levels"/> levels more (or less, where it has them).</summary>
    private static string Shifted(string text, int levels) => string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line
        : levels >= 0 ? new string(' ', 4 * levels) + line
        : line.Substring(System.Math.Min(-4 * levels, line.Length - line.TrimStart(' ').Length))));

    /// <summary>Whether <paramref name="name"/> is a variable of the method (a parameter, a local, an adjoint or a declared temporary).</summary>
    private bool IsMethodVariable(string name) =>
        _method.Parameters.Any(p => p.Name == name) || _method.Locals.Any(l => l.Name == name) || _adjoints.ContainsValue(name)
        || _declarations.Any(d => d.Split(' ') is { Length: >= 3 } parts && parts[1] == name && parts[2] == "=");

    /// <summary>The C# type of a method-level variable the sweep function takes, or null where it cannot take it.</summary>
    private string? SweepType(string name)
    {
        static bool Plain(IrType t) => t.StructName.Length == 0 && t.Scalar is ScalarKind.Double or ScalarKind.Float or ScalarKind.Int or ScalarKind.Long or ScalarKind.Bool
            && t.Shape is ShapeKind.Scalar or ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan;

        if (_method.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter)
        {
            return Plain(parameter.Type) ? parameter.Type.CSharp : null;
        }

        if (_method.Locals.FirstOrDefault(l => l.Name == name) is { } local)
        {
            return Plain(local.Type) ? local.Type.CSharp : null;
        }

        if (_adjoints.FirstOrDefault(p => p.Value == name) is { Key: { } variable } && _types.TryGetValue(variable, out var type) && Plain(type))
        {
            return IsSignatureAdjoint(variable) ? "global::System.Span<" + type.ScalarKeyword + ">"
                : type.IsCollection ? type.ScalarKeyword + "[]" : type.ScalarKeyword;
        }

        // The tape (a class: the function pops from the method's own), for an old order whose saves are on it (OldOrderSweep).
        if (name == _tapeName && _usesTape)
        {
            return TapeType;
        }

        // A kept Math value (SavedBuiltins), declared with the method's locals once the sweeps are written.
        if (_keptBuiltins.Values.SelectMany(k => k).FirstOrDefault(k => k.Name == name) is { } kept)
        {
            return kept.Declaration.Split(' ')[0] is "double" or "float" ? kept.Declaration.Split(' ')[0] : null;
        }

        // An iteration slot buffer (IterationSlots): rented once before its root loop, only read by the reverse.
        if (_slotBuffers.Values.SelectMany(b => b).FirstOrDefault(b => b.Name == name) is { Element: "double" or "float" or "int" or "long" or "bool" } slots)
        {
            return slots.Element + "[]";
        }

        return _declarations.Select(d => d.Split(' ')).FirstOrDefault(parts => parts.Length >= 3 && parts[1] == name && parts[2] == "=") is { } declaration
            && declaration[0] is "double" or "float" or "int" or "long" or "bool" or "double[]" or "float[]"
            ? declaration[0]
            : null;
    }
}
