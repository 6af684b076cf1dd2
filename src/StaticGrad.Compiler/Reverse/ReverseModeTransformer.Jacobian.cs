using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>One floating field of a tuple or struct result in <c>{Name}Jacobian</c>: its seed leaf and its adjoint set.</summary>
/// <param name="Title">The field as the user names it (<c>X</c>, <c>Position.X</c>), for the comment of its sweep.</param>
/// <param name="Seed">The IR parameter that seeds this field in the scalarised result Σ seed.leaf · leaf.</param>
/// <param name="Adjoints">Per differentiable parameter, the name of this field's adjoint in the Jacobian's signature.</param>
public sealed record JacobianField(string Title, string Seed, IReadOnlyDictionary<string, string> Adjoints);

/// <summary>
/// <c>{Name}Jacobian</c>: the forward sweep once, then one reverse sweep per floating field of the result, each seeded
/// with that field alone and writing its own adjoint set. The scalarised result Σ seed.leaf · leaf is linear in the
/// seed leaves, so seeding one leaf at 1 and the others at 0 gives that field's row. A reverse sweep restores the
/// values its statements overwrote; the next sweep must start from the forward sweep's final state again, so the
/// variables a sweep assigns are copied after the forward sweep and set back before each later sweep, and the
/// adjoints of the locals are cleared. That is only as cheap as a few register moves when the body has no tape and
/// no array writes (no loops, no stores, no local arrays): otherwise <see cref="WriteJacobianBody"/> declines and
/// the emitter calls the backward once per field.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>A name for the Jacobian's signature or body, from the method's name scope.</summary>
    public string JacobianName(string stem) => Fresh(stem);

    /// <summary>
    /// Writes the body of <c>{Name}Jacobian</c> (between its braces) over one forward sweep, or returns false (writing
    /// nothing) when the body's reverse sweeps could not start again from the forward sweep's state cheaply.
    /// <paramref name="value"/> is the local the result is written to through the IR's output span <paramref name="valueSpan"/>.
    /// </summary>
    public bool WriteJacobianBody(IndentedWriter output, IReadOnlyList<JacobianField> fields, string valueSpan, string resultType, string value)
    {
        if (!SweepsCanRestart())
        {
            return false;
        }

        PlanForwardBuiltinLocals();
        var forward = new IndentedWriter();
        forward.Indent(output.Level);
        Forward(_method.Body, forward);
        if (WriteWideJacobianBody(output, forward, fields, valueSpan, resultType, value))
        {
            return true;
        }

        var differentiable = _method.Parameters.Where(p => p.IsDifferentiable).ToList();
        var fieldLocals = new List<Dictionary<string, string>>();
        var sweeps = new List<string>();
        foreach (var field in fields)
        {
            // Spans receive their adjoints directly; a scalar's ref adjoint is accumulated in a local, as in the backward.
            var locals = new Dictionary<string, string>();
            foreach (var parameter in differentiable)
            {
                if (IsSignatureAdjoint(parameter.Name))
                {
                    _adjoints[parameter.Name] = field.Adjoints[parameter.Name];
                    continue;
                }

                _adjoints[parameter.Name] = locals[parameter.Name] = Fresh("_" + field.Adjoints[parameter.Name]);
            }

            fieldLocals.Add(locals);
            _valueCache = null;
            var reverse = new IndentedWriter();
            reverse.Indent(output.Level + 1);
            Reverse(_method.Body, reverse);
            sweeps.Add(reverse.ToString());
        }

        if (_usesTape)
        {
            return false;
        }

        ResolveKeptBuiltins(forward);
        foreach (var local in _method.Locals)
        {
            output.WriteLine(LocalDeclaration(local.Name, local.Type));
        }

        foreach (var declaration in _declarations)
        {
            output.WriteLine(declaration);
        }

        var intermediates = _adjoints.Where(p => p.Key != _resultName && !differentiable.Any(d => d.Name == p.Key)).ToList();
        foreach (var pair in intermediates)
        {
            output.WriteLine(_types[pair.Key].ScalarKeyword + " " + pair.Value + " = " + Zero(_types[pair.Key]) + ";");
        }

        foreach (var local in fieldLocals.SelectMany(l => l))
        {
            output.WriteLine(_types[local.Key].ScalarKeyword + " " + local.Value + " = " + Zero(_types[local.Key]) + ";");
        }

        // The seed leaves and the output span are parameters of the IR; here they are locals the sweeps set.
        foreach (var seedLeaf in _method.Parameters.Where(p => fields.Any(f => f.Seed == p.Name)))
        {
            output.WriteLine(seedLeaf.Type.ScalarKeyword + " " + seedLeaf.Name + " = " + Zero(seedLeaf.Type) + ";");
        }

        output.WriteLine(_method.ReturnType.ScalarKeyword + " " + Seed + " = " + One(_method.ReturnType) + ";");
        output.WriteLine("var " + value + " = default(" + resultType + ");");
        output.WriteLine("global::System.Span<" + resultType + "> " + valueSpan + " = global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + value + ", 1);");
        output.WriteLine();
        output.WriteLine("// Forward sweep once: every field's reverse sweep starts from its final state.");
        output.Append(forward);

        var restored = RestoredBySweeps();
        var copies = restored.ToDictionary(v => v, v => Fresh(Unprefixed(v) + "Forward"));
        foreach (var variable in restored)
        {
            output.WriteLine("var " + copies[variable] + " = " + variable + ";");
        }

        if (_readForwardBuiltinLocals.Count > 0)
        {
            output.WriteLine("// The reverse sweeps read " + string.Join(", ", _readForwardBuiltinLocals) + " for the Math calls their derivatives repeat (each local is assigned once and never restored).");
        }

        for (var i = 0; i < fields.Count; i++)
        {
            output.WriteLine();
            output.WriteLine("// Reverse sweep seeded with " + fields[i].Title + " alone: its partial derivatives, added to " + string.Join(", ", differentiable.Select(p => fields[i].Adjoints[p.Name])) + ".");
            if (i > 0)
            {
                foreach (var variable in restored)
                {
                    output.WriteLine(variable + " = " + copies[variable] + ";");
                }

                foreach (var pair in intermediates)
                {
                    output.WriteLine(pair.Value + " = " + Zero(_types[pair.Key]) + ";");
                }

                output.WriteLine(Seed + " = " + One(_method.ReturnType) + ";");
                var previous = _method.Parameters.First(p => p.Name == fields[i - 1].Seed);
                output.WriteLine(previous.Name + " = " + Zero(previous.Type) + ";");
            }

            var seed = _method.Parameters.First(p => p.Name == fields[i].Seed);
            output.WriteLine(seed.Name + " = " + One(seed.Type) + ";");
            output.WriteLine("{");
            output.AppendText(sweeps[i]);
            output.WriteLine("}");
            foreach (var local in fieldLocals[i])
            {
                output.WriteLine(fields[i].Adjoints[local.Key] + " += " + local.Value + ";");
            }
        }

        output.WriteLine();
        output.WriteLine("return " + value + ";");
        return true;
    }

    private static string Unprefixed(string name) => Naming.NameScope.Unescaped(name).TrimStart('_');

    private static string One(IrType type) => type.Scalar == ScalarKind.Float ? "1f" : "1.0";

    /// <summary>No loops, array writes, local arrays or reassigned array parameters: what a sweep changes is a few scalars.</summary>
    private bool SweepsCanRestart() =>
        !IrWalker.Statements(_method.Body).Any(s => s is LoopStmt or StoreStmt or NewArrayStmt)
        && !_method.Locals.Any(l => l.Type.IsCollection)
        && !_method.Parameters.Any(p => p.Type.IsCollection && _reassignedParameters.Contains(p.Name));

    /// <summary>
    /// The variables a reverse sweep sets back: the targets of the assignments whose old value the forward sweep saves
    /// (or undoes by the inverse), the only primal writes of a reverse sweep over a body <see cref="SweepsCanRestart"/>.
    /// </summary>
    private List<string> RestoredBySweeps() =>
        IrWalker.Statements(_method.Body).OfType<AssignStmt>().Where(a => SaveOf(a) != Storage.None).Select(a => a.Target).Distinct().ToList();
}
