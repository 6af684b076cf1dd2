using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The reverse-mode transformation of a normalised method body. The forward sweep is the original code, saving
/// each overwritten value the reverse sweep needs (in a local when the site runs at most once, on the pooled
/// tape inside loops) and recording branch decisions and trip counts. The reverse sweep undoes the statements in
/// reverse order: before each one it restores the values it overwrote, so every partial derivative is evaluated on
/// exactly the values the forward statement saw.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private const string TapeType = "global::StaticGrad.CompilerServices.AdTape";

    private readonly MethodIR _method;
    private readonly ActivityAnalysis _activity;
    private readonly RecordingAnalysis _recording;
    private readonly ReductionFusion _fusion;
    private readonly HashSet<string> _fusedAdjoints;
    private readonly string _resultName;
    private readonly NameScope _names;
    private readonly Dictionary<string, string> _signatureAdjoints = new();
    private readonly string _tapeName;
    private readonly Dictionary<string, string> _adjoints = new();
    private readonly Dictionary<string, IrType> _types = new();
    private readonly Dictionary<Stmt, string> _siteNames = new(ReferenceComparer<Stmt>.Instance);
    private readonly List<string> _declarations = new();
    private readonly HashSet<string> _reassignedParameters;
    private readonly Dictionary<string, int> _assignmentCounts;
    private readonly List<(string Target, List<string> Terms)> _pending = new();
    private int _temporaries;
    private bool _usesTape;
    private bool _reversingFinal;
    private ReverseValueCache? _valueCache;

    public ReverseModeTransformer(MethodIR normalized, ActivityAnalysis activity, RecordingAnalysis recording, string resultName)
    {
        _method = normalized;
        _activity = activity;
        _recording = recording;
        _resultName = resultName;
        _names = NameScope.Of(normalized);

        // The signature's names first, in a fixed order, so that every backward of the method names them alike.
        foreach (var parameter in normalized.Parameters.Where(p => p.IsDifferentiable))
        {
            _signatureAdjoints[parameter.Name] = _names.Adjoint(parameter.Name);
        }

        Seed = _names.Fresh("seed");
        _tapeName = _names.Fresh("_tape");
        foreach (var parameter in normalized.Parameters)
        {
            _types[parameter.Name] = parameter.Type;
        }

        foreach (var local in normalized.Locals)
        {
            _types[local.Name] = local.Type;
        }

        _assignmentCounts = IrWalker.Statements(normalized.Body).OfType<AssignStmt>().GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        _reassignedParameters = new HashSet<string>(normalized.Parameters.Where(p => _assignmentCounts.ContainsKey(p.Name)).Select(p => p.Name));
        NameAdjoints();
        _fusion = ReductionFusion.Plan(normalized, activity, recording, resultName);
        _fusedAdjoints = new HashSet<string>(_fusion.Accumulators.Select(a => _adjoints[a]));
    }

    /// <summary>
    /// The documented name of a parameter's adjoint before clashes are resolved: <c>x</c> → <c>dx</c>, <c>alphas</c> →
    /// <c>dAlphas</c> (<see cref="NameScope.AdjointStem"/>). The backward's signature uses <see cref="SignatureAdjoint"/>.
    /// </summary>
    public static string AdjointName(string parameter) => NameScope.AdjointStem(parameter);

    /// <summary>The name of the <c>seed</c> parameter (<c>seed</c> unless the method uses that name).</summary>
    public string Seed { get; }

    /// <summary>The name of a differentiable parameter's adjoint in the backward's signature: <see cref="AdjointName"/> unless it clashes.</summary>
    public string SignatureAdjoint(string parameter) => _signatureAdjoints[parameter];

    /// <summary>Writes the body of the backward method (between its braces).</summary>
    public void WriteBody(IndentedWriter output)
    {
        var forward = new IndentedWriter();
        forward.Indent(output.Level);
        _sweepFunctionLevel = output.Level;
        _keepsOnTape = true;
        Forward(_method.Body, forward);

        var reverse = new IndentedWriter();
        reverse.Indent(output.Level);
        Reverse(_method.Body, reverse);
        ResolveKeptBuiltins(forward);
        var direct = DirectAccumulation.Find(forward.ToString(), reverse.ToString(), output.Level, _method.Parameters
            .Where(p => p.Type.Shape == ShapeKind.Scalar && _adjoints.ContainsKey(p.Name) && !IsSignatureAdjoint(p.Name))
            .Select(p => new KeyValuePair<string, string>(_adjoints[p.Name], _signatureAdjoints[p.Name])));

        foreach (var local in _method.Locals)
        {
            output.WriteLine(LocalDeclaration(local.Name, local.Type));
        }

        foreach (var declaration in _declarations)
        {
            output.WriteLine(declaration);
        }

        foreach (var pair in _adjoints.Where(p => p.Key != _resultName && !IsSignatureAdjoint(p.Key) && !direct.ContainsKey(p.Value)))
        {
            var type = _types[pair.Key];
            output.WriteLine(type.IsCollection
                ? type.ScalarKeyword + "[] " + pair.Value + " = global::System.Array.Empty<" + type.ScalarKeyword + ">();"
                : type.ScalarKeyword + " " + pair.Value + " = " + Zero(type) + ";");
        }

        if (_usesTape)
        {
            output.WriteLine("var " + _tapeName + " = " + TapeType + ".Current;");
        }

        output.WriteLine();
        output.WriteLine("// Forward sweep: the original computation" + (_recording.Needed.Count > 0 || _usesTape ? ", saving what the reverse sweep needs." : "."));
        output.Append(forward);
        output.WriteLine();
        output.WriteLine("// Reverse sweep: seed times the derivative of the result, pulled back to the parameters.");
        output.AppendText(DirectAccumulation.Retarget(reverse.ToString(), output.Level, direct));
        foreach (var parameter in _method.Parameters.Where(p => _adjoints.ContainsKey(p.Name) && !IsSignatureAdjoint(p.Name) && !direct.ContainsKey(_adjoints[p.Name])))
        {
            output.WriteLine(_signatureAdjoints[parameter.Name] + " += " + _adjoints[parameter.Name] + ";");
        }

        foreach (var local in _method.Locals.Where(l => l.Type.IsCollection && l.Type.StructName.Length == 0 && _adjoints.ContainsKey(l.Name)))
        {
            output.WriteLine(TapeType + ".Return(" + _adjoints[local.Name] + ");");
        }

        foreach (var buffer in _interchangeBuffers)
        {
            output.WriteLine(TapeType + ".Return(" + buffer + ");");
        }

        output.WriteLine("return " + _resultName + ";");
        foreach (var function in _sweepFunctions)
        {
            output.AppendText(function);
        }
    }

    /// <summary>
    /// Whether a parameter's adjoint is accumulated directly in the backward's argument: only spans are. A scalar's
    /// <c>ref</c> adjoint may alias anything, so it is accumulated in a local (kept in a register) and added once at
    /// the end; so is the adjoint of a parameter the body reassigns, which must not see the caller's value.
    /// </summary>
    private bool IsSignatureAdjoint(string variable) =>
        _method.Parameters.Any(p => p.Name == variable && p.IsDifferentiable && p.Type.IsCollection) && !_reassignedParameters.Contains(variable);

    private void NameAdjoints()
    {
        foreach (var parameter in _method.Parameters.Where(p => p.IsDifferentiable))
        {
            _adjoints[parameter.Name] = IsSignatureAdjoint(parameter.Name) ? _signatureAdjoints[parameter.Name] : Fresh("_" + _signatureAdjoints[parameter.Name]);
        }

        foreach (var local in _method.Locals.Where(l => _activity.IsActive(l.Name)))
        {
            _adjoints[local.Name] = local.Name == _resultName ? Seed : Fresh(AdjointName(NameScope.Unescaped(local.Name).TrimStart('_')));
        }
    }

    private string Fresh(string baseName) => _names.Fresh(baseName);

    private string Temporary(string prefix) => Fresh(prefix + (_temporaries++).ToString(CultureInfo.InvariantCulture));

    private static string LocalDeclaration(string name, IrType type) => type.Shape switch
    {
        ShapeKind.Scalar => type.ScalarKeyword + " " + name + " = " + Zero(type) + ";",
        ShapeKind.Array => type.CSharp + " " + name + " = null!;",
        _ => SpanLocal.Declaration(type, name),
    };

    private static string Zero(IrType type) => type.Scalar switch
    {
        ScalarKind.Double => "0.0",
        ScalarKind.Float => "0f",
        ScalarKind.Long => "0L",
        ScalarKind.Bool => "false",
        _ => "0",
    };

    private static string PopMethod(IrType type) => type.Scalar switch
    {
        ScalarKind.Double => "PopDouble",
        ScalarKind.Float => "PopSingle",
        ScalarKind.Long => "PopInt64",
        ScalarKind.Bool => "PopBoolean",

        // An enum local (session 20) is pushed by the generic Push<T>: pop it from the same typed stack.
        ScalarKind.Opaque => "Pop<" + type.OpaqueName + ">",
        _ => "PopInt32",
    };

    // Forward sweep.
    private void Forward(EquatableArray<Stmt> block, IndentedWriter w)
    {
        PlanSharedResults(block);
        Stmt? previous = null;
        foreach (var statement in block)
        {
            var before = previous;
            previous = statement;
            switch (statement)
            {
                case AssignStmt a:
                    Save(statement, a.Target, a.Type, w);
                    w.WriteLine(a.Target + " = " + SharedResultValue(statement, ForwardValue(statement, a.Value, w), w) + ";");
                    WriteKeptPushes(statement, w);
                    break;
                case StoreStmt s:
                    Save(statement, ExpressionPrinter.Element(s.Array, s.Index), s.ElementType, w);
                    w.WriteLine(ExpressionPrinter.Element(s.Array, s.Index) + " = " + SharedResultValue(statement, ForwardValue(statement, s.Value, w), w) + ";");
                    WriteKeptPushes(statement, w);
                    break;
                case NewArrayStmt n:
                    ForwardCreation(n, w);
                    break;
                case IfStmt branch:
                    {
                        var condition = ExpressionPrinter.Print(branch.Condition);
                        var control = ControlOf(statement);
                        if (control != Storage.None)
                        {
                            var decision = SiteName(statement, "_b", IrType.Bool);
                            w.WriteLine(decision + " = " + condition + ";");
                            condition = decision;
                        }

                        w.WriteLine("if (" + condition + ")");
                        w.OpenBrace();
                        Forward(branch.Then, w);
                        w.CloseBrace();
                        if (branch.Else.Count > 0)
                        {
                            w.WriteLine("else");
                            w.OpenBrace();
                            Forward(branch.Else, w);
                            w.CloseBrace();
                        }

                        // Pushed after the branch, above what the branch pushed: the reverse sweep pops it first.
                        if (control == Storage.Tape)
                        {
                            UseTape();
                            w.WriteLine(_tapeName + ".Push(" + condition + ");");
                        }

                        break;
                    }

                case LoopStmt loop when _fusion.IsFused(statement):
                    _forwardLoopDepth++;
                    ForwardFused(loop, before, w);
                    _forwardLoopDepth--;
                    break;
                case LoopStmt loop:
                    {
                        RentLoopSlots(loop, before, w);
                        _forwardLoopDepth++;
                        var control = ControlOf(statement);
                        var counter = control == Storage.None || IsCountedByIndex(statement, before) || ForwardOrder.ContainsKey(statement) ? null : SiteName(statement, "_n", IrType.Int);
                        var tripCount = counter is null ? null : TripCountAfter(statement, before);
                        void Plain(IndentedWriter target) => InRegisters(loop, target, inner =>
                        {
                            if (counter is not null && tripCount is null)
                            {
                                inner.WriteLine(counter + " = 0;");
                            }

                            if ((counter is null || tripCount is not null) && ForwardRowsOf(loop, before) is { } rows)
                            {
                                ForwardOverRows(loop, rows, inner);
                            }
                            else
                            {
                                var condition = loop.Condition is null ? "true" : ExpressionPrinter.Print(loop.Condition);
                                inner.WriteLine(loop.TestFirst ? "while (" + condition + ")" : "do");
                                inner.OpenBrace();
                                if (counter is not null && tripCount is null)
                                {
                                    inner.WriteLine(counter + "++;");
                                }

                                Forward(loop.Body, inner);
                                Forward(loop.Step, inner);
                                inner.CloseBrace(loop.TestFirst ? string.Empty : " while (" + condition + ");");
                            }
                            if (tripCount is not null)
                            {
                                inner.WriteLine(counter + " = " + tripCount + ";");
                            }

                            if (control == Storage.Tape && counter is not null)
                            {
                                UseTape();
                                inner.WriteLine(_tapeName + ".Push(" + counter + ");");
                            }
                        });
                        if (counter is null && TriangleRowsOf(loop, before) is { } triangle)
                        {
                            ForwardTriangleRows(triangle, w, Plain);
                        }
                        else
                        {
                            Plain(w);
                        }

                        _forwardLoopDepth--;
                        break;
                    }

                case EffectStmt effect:
                    w.WriteLine(effect.Text(ExpressionPrinter.Print));
                    break;
                default:
                    throw new System.InvalidOperationException("Statement " + statement.GetType().Name + " must be normalised before the reverse transformation.");
            }
        }
    }

    /// <summary>
    /// A fused reduction loop (<see cref="ReductionFusion"/>): the accumulators' adjoints are set before the loop,
    /// and each iteration runs its forward, then its reverse, then the step.
    /// </summary>
    private void ForwardFused(LoopStmt loop, Stmt? previous, IndentedWriter w)
    {
        foreach (var accumulator in _fusion.SeededBy(loop))
        {
            var g = Seed;
            foreach (var step in accumulator.Path)
            {
                var operand = IsName(g) ? g : "(" + g + ")";
                g = step.Op switch
                {
                    BinaryOp.Subtract => "-" + operand,
                    BinaryOp.Multiply => operand + " * " + ExpressionPrinter.Operand(step.Other!),
                    BinaryOp.Divide => operand + " / " + ExpressionPrinter.Operand(step.Other!),
                    _ => step.CastFrom is { } type ? "(" + type.ScalarKeyword + ")" + operand : g,
                };
            }

            w.WriteLine(_adjoints[accumulator.Name] + " += " + g + ";");
        }

        var condition = loop.Condition is null ? "true" : ExpressionPrinter.Print(loop.Condition);
        w.WriteLine((_fusion.IsFusedInner(loop) ? "// Fused inside the outer iteration" : "// Fused") + ": the result is linear in " + string.Join(", ", _fusion.AccumulatorsOf(loop).Select(a => a.Name)) + ", so each iteration is reversed right after it runs.");
        if (_fusion.PrivateArraysOf(loop).ToList() is { Count: > 0 } privateArrays)
        {
            w.WriteLine("// Written whole before it is read in each iteration, so its stores save nothing: " + string.Join(", ", privateArrays) + ".");
        }

        RentIterationSlots(loop, w);
        var carriedStart = PlanCarriedElements(loop, previous);
        InRegisters(loop, w, inner =>
        {
            if (carriedStart is not null)
            {
                DeclareCarriedElements(inner);
            }

            inner.WriteLine(loop.TestFirst ? "while (" + condition + ")" : "do");
            inner.OpenBrace();
            var iteration = new IndentedWriter();
            iteration.Indent(inner.Level);
            Forward(loop.Body, iteration);
            Reverse(loop.Body, iteration);
            var text = AssignIterationAdjoints(loop, iteration.ToString());
            inner.AppendText(carriedStart is null ? text : EndCarriedIteration(text, inner.Level));
            Forward(loop.Step, inner);
            inner.CloseBrace(loop.TestFirst ? string.Empty : " while (" + condition + ");");
            if (carriedStart is not null)
            {
                SettleCarriedElements(carriedStart, inner);
            }
        });
        ReturnIterationSlots(loop, w);
    }

    private void Save(Stmt statement, string location, IrType type, IndentedWriter w)
    {
        switch (SaveOf(statement))
        {
            case Storage.Local:
                w.WriteLine(SiteName(statement, "_s", type) + " = " + location + ";");
                break;
            case Storage.Tape when _slots.TryGetValue(statement, out var slot):
                w.WriteLine(slot.Buffer + "[" + slot.Index + "] = " + location + ";");
                break;
            case Storage.Tape:
                UseTape();
                w.WriteLine(_tapeName + ".Push(" + location + ");");
                break;
        }
    }

    private void Restore(Stmt statement, string location, IrType type, IndentedWriter w)
    {
        switch (SaveOf(statement))
        {
            case Storage.Local:
                w.WriteLine(location + " = " + _siteNames[statement] + ";");
                break;
            case Storage.Tape when _slots.TryGetValue(statement, out var slot):
                w.WriteLine(location + " = " + slot.Buffer + "[" + slot.Index + "];");
                break;
            case Storage.Tape:
                w.WriteLine(location + " = " + _tapeName + "." + PopMethod(type) + "();");
                break;
            case Storage.Inverse:
                var (op, operand) = _recording.InverseOf(statement);
                w.WriteLine(location + (op == BinaryOp.Add ? " -= " : " += ") + ExpressionPrinter.Print(operand) + ";");
                break;
        }
    }

    private string SiteName(Stmt statement, string prefix, IrType type)
    {
        if (!_siteNames.TryGetValue(statement, out var name))
        {
            name = Temporary(prefix);
            _siteNames[statement] = name;
            _declarations.Add(type.ScalarKeyword + " " + name + " = " + Zero(type) + ";");
        }

        return name;
    }

    private void UseTape() => _usesTape = true;

    private Storage SaveOf(Stmt statement) => _fusion.IsPrivateStore(statement) || WrittenOnce.Contains(statement) || IsReadAgainAtCall(statement) || ForwardOrderStarts.Contains(statement) ? Storage.None : InFusedIteration(_recording.SaveOf(statement), statement);

    private Storage ControlOf(Stmt statement) => InFusedIteration(_recording.ControlOf(statement), statement);

    /// <summary>A site that runs once per iteration of a fused loop is read back in the same iteration: a local replaces the tape.</summary>
    private Storage InFusedIteration(Storage storage, Stmt statement) =>
        storage == Storage.Tape && _fusion.RunsOncePerFusedIteration(statement) ? Storage.Local : storage;

    // Reverse sweep.
    private void Reverse(EquatableArray<Stmt> block, IndentedWriter w)
    {
        PlanWholeSeeds(block);
        for (var i = block.Count - 1; i >= 0; i--)
        {
            ReverseStatement(block[i], w);
        }

        EndCarrying(w);
    }

    private void ReverseStatement(Stmt statement, IndentedWriter w)
    {
        if (!_recording.HasReverse(statement))
        {
            return;
        }

        CarryAcross(statement, w);
        if (statement is AssignStmt { DeadOnSomePath: true } or StoreStmt { DeadOnSomePath: true })
        {
            // Its propagation is written inside a test: element updates are not carried into it.
            EndCarrying(w);
        }

        switch (statement)
        {
            case AssignStmt a:
                _reversingFinal = ReferenceEquals(statement, _fusion.Final) || _fusion.IsForwarding(statement);
                WithSavedCalls(statement, w, inner => ReverseAssign(a, inner));
                _reversingFinal = false;
                break;
            case NewArrayStmt n:
                ReverseCreation(n, w);
                break;
            case StoreStmt s:
                WithSavedCalls(statement, w, inner => ReverseStore(s, inner));
                break;
            case IfStmt branch:
                {
                    var decision = _siteNames[statement];
                    if (ControlOf(statement) == Storage.Tape)
                    {
                        w.WriteLine(decision + " = " + _tapeName + ".PopBoolean();");
                    }

                    var hasThen = branch.Then.Any(_recording.HasReverse);
                    var hasElse = branch.Else.Any(_recording.HasReverse);
                    w.WriteLine(hasThen ? "if (" + decision + ")" : "if (!" + decision + ")");
                    w.OpenBrace();
                    Reverse(hasThen ? branch.Then : branch.Else, w);
                    w.CloseBrace();
                    if (hasThen && hasElse)
                    {
                        w.WriteLine("else");
                        w.OpenBrace();
                        Reverse(branch.Else, w);
                        w.CloseBrace();
                    }

                    break;
                }

            case LoopStmt when _fusion.IsFused(statement):
                // Reversed iteration by iteration inside the forward sweep.
                break;
            case LoopStmt loop when _rowAdjointStore is { } store && ReferenceEquals(store.Loop, statement):
                w.WriteLine(store.Store);
                break;
            case LoopStmt loop when ForwardOrder.TryGetValue(statement, out var plan):
                ReverseInForwardOrder(loop, plan, w);
                break;
            case LoopStmt loop:
                var interchange = InterchangeOf(loop);
                if (interchange is { AlwaysBelowGuard: true })
                {
                    ReverseOldOrder(interchange, target => ReverseCounted(loop, target), w);
                }
                else if (interchange is not null)
                {
                    ReverseInterchanged(interchange, w, target => ReverseCounted(loop, target));
                }
                else
                {
                    ReverseCounted(loop, w);
                }

                ReturnIterationSlots(loop, w);
                break;
        }

        WriteWholeSeedCall(statement, w);
    }

    /// <summary>The reverse of a loop that is neither fused nor reversed in forward order: its iterations backwards.</summary>
    private void ReverseCounted(LoopStmt loop, IndentedWriter w)
    {
        InRegisters(loop, w, inner =>
        {
            WriteExitReset(loop, inner);
            if (_countedLoops.TryGetValue(loop, out var counted))
            {
                inner.WriteLine("while (" + counted.Index + " > " + counted.Start + ")");
            }
            else
            {
                var counter = _siteNames[loop];
                if (ControlOf(loop) == Storage.Tape)
                {
                    inner.WriteLine(counter + " = " + _tapeName + ".PopInt32();");
                }

                inner.WriteLine("for (; " + counter + " > 0; " + counter + "--)");
            }

            inner.OpenBrace();
            Reverse(loop.Step, inner);
            WriteRecomputed(loop, inner);

            Reverse(loop.Body, inner);
            inner.CloseBrace();
        });
    }

    private void ReverseStore(StoreStmt s, IndentedWriter w)
    {
        var location = ExpressionPrinter.Element(s.Array, s.Index);
        if (_adjoints.TryGetValue(s.Array, out var arrayAdjoint))
        {
            var adjointLocation = ExpressionPrinter.Element(arrayAdjoint, s.Index);
            if (_activity.IsActive(s.Value))
            {
                var g = Temporary("_t");
                w.WriteLine("var " + g + " = " + adjointLocation + ";");
                var result = Values.ResultOf(s, location, w);
                w.WriteLine(adjointLocation + " = " + Zero(s.ElementType) + ";");
                RestoreElement(s, location, w);
                Values.Propagate(s.Value, result, w, inner => PropagateUnlessZero(s, s.Value, g, s.ElementType, inner));
            }
            else
            {
                w.WriteLine(adjointLocation + " = " + Zero(s.ElementType) + ";");
                RestoreElement(s, location, w);
            }
        }
        else
        {
            RestoreElement(s, location, w);
        }
    }

    private void ReverseAssign(AssignStmt a, IndentedWriter w)
    {
        if (!_adjoints.TryGetValue(a.Target, out var adjoint))
        {
            Restore(a, a.Target, a.Type, w);
            return;
        }

        // A dead write after a fused loop: its value has no derivative and the adjoint holds the loop's share for the
        // value it overwrote (ReductionFusion.DeadWrites.cs), so only the primal is restored.
        if (_fusion.KeepsAdjoint(a))
        {
            Restore(a, a.Target, a.Type, w);
            return;
        }

        var valueIsActive = _activity.IsActive(a.Value);
        var readsTarget = IrWalker.ReadVariables(a.Value).Contains(a.Target);
        var saved = SaveOf(a) != Storage.None;

        // The result is assigned at most once at run time, and a single assignment outside loops is never undone
        // twice: neither needs its adjoint cleared afterwards.
        var keepAdjoint = a.Target == _resultName || _recording.IsFirstDefinition(a);
        if (!saved && !readsTarget)
        {
            if (valueIsActive)
            {
                Values.Propagate(a.Value, Values.ResultOf(a, beforeRestore: false, w), w, inner => PropagateUnlessZero(a, a.Value, adjoint, a.Type, inner));
            }

            if (!keepAdjoint)
            {
                w.WriteLine(adjoint + " = " + Zero(a.Type) + ";");
            }

            return;
        }

        // v = v ± e, not saved: the adjoint of v passes through unchanged and only e's adjoint grows.
        if (!saved && RecordingAnalysis.LinearUpdate(a) is { } update)
        {
            Values.Propagate(update.Operand, null, w, inner => PropagateUnlessZero(a, update.Operand, update.Op == BinaryOp.Add ? adjoint : "-" + adjoint, a.Type, inner));
            return;
        }

        string? g = null;
        string? result = null;
        if (valueIsActive)
        {
            g = Temporary("_t");
            w.WriteLine("var " + g + " = " + adjoint + ";");
            result = Values.ResultOf(a, beforeRestore: true, w);
        }

        if (g is null || a.Type.Shape != ShapeKind.Scalar)
        {
            w.WriteLine(adjoint + " = " + Zero(a.Type) + ";");
            Restore(a, a.Target, a.Type, w);
            if (g is not null)
            {
                Values.Propagate(a.Value, result, w, inner => PropagateUnlessZero(a, a.Value, g, a.Type, inner));
            }

            return;
        }

        var tail = new IndentedWriter();
        tail.Indent(w.Level);
        tail.WriteLine(adjoint + " = " + Zero(a.Type) + ";");
        Restore(a, a.Target, a.Type, tail);
        Values.Propagate(a.Value, result, tail, inner => PropagateUnlessZero(a, a.Value, g, a.Type, inner));
        w.AppendText(AssignInsteadOfClearing(tail.ToString(), adjoint));
    }

    /// <summary>Where the reverse of a statement takes the values of its <c>Math</c> calls from.</summary>
    private ReverseValueCache Values => _valueCache ??= new ReverseValueCache(_method, _activity, _recording, Temporary, _savedCalls.ContainsKey);

    /// <summary>Adds <paramref name="g"/> (C# text of an adjoint) times the derivative of <paramref name="expression"/> into the adjoints of what it reads.</summary>
    private void Propagate(Expr expression, string g, IndentedWriter w)
    {
        if (!_activity.IsActive(expression))
        {
            return;
        }

        switch (expression)
        {
            case VarExpr v when _bufferedTerms.TryGetValue(v.Name, out var term):
                // A column term read from its buffer (OldOrderColumnTerms): its adjoint goes where the term's would.
                Propagate(term, g, w);
                return;
            case VarExpr v:
                Accumulate(_adjoints[v.Name], g);
                return;
            case ElementExpr e:
                AccumulateElement(e, g);
                return;
        }

        if (!IsName(g))
        {
            var bound = Temporary("_t");
            w.WriteLine(expression.Type.ScalarKeyword + " " + bound + " = " + g + ";");
            g = bound;
        }

        switch (expression)
        {
            case CastExpr c:
                Propagate(c.Operand, "(" + c.Operand.Type.ScalarKeyword + ")" + g, w);
                break;
            case UnaryExpr { Op: UnaryOp.Negate } u:
                Propagate(u.Operand, "-" + g, w);
                break;
            case BinaryExpr b:
                PropagateBinary(b, g, w);
                break;
            case ConditionalExpr c:
                Flush(w);
                w.WriteLine("if (" + ExpressionPrinter.Print(c.Condition) + ")");
                w.OpenBrace();
                Propagate(c.WhenTrue, g, w);
                Flush(w);
                w.CloseBrace();
                if (_activity.IsActive(c.WhenFalse))
                {
                    w.WriteLine("else");
                    w.OpenBrace();
                    Propagate(c.WhenFalse, g, w);
                    Flush(w);
                    w.CloseBrace();
                }

                break;
            case BuiltinCallExpr call when LogQuotientRule.QuotientOf(call) is { } quotient:
                Propagate(quotient.Left, LogQuotientRule.Numerator(g, ExpressionPrinter.Operand(quotient.Left)), w);
                Propagate(quotient.Right, LogQuotientRule.Denominator(g, ExpressionPrinter.Operand(quotient.Right)), w);
                break;
            case BuiltinCallExpr call:
                {
                    var rule = BuiltinRules.Find(call.Function, call.Args.Count)!;
                    // Derivative formulas use MathF for float values even when the call was Math's float overload (Math.Abs(float)).
                    // The call's value is its own text: the statement's reverse binds or replaces it (ReverseValueCache).
                    var isFloat = call.Type.Scalar == ScalarKind.Float;
                    var context = new RuleContext(isFloat ? "global::System.MathF" : "global::System.Math", call.Args.Select(ExpressionPrinter.Operand).ToList(), g, isFloat, ExpressionPrinter.Print(call));
                    for (var i = 0; i < call.Args.Count; i++)
                    {
                        if (_activity.IsActive(call.Args[i]) && rule.Partial(context, i) is { } partial)
                        {
                            Propagate(call.Args[i], partial, w);
                        }
                    }

                    break;
                }

            case MethodCallExpr call:
                if (!PropagateSavedCall(call, g, w) && !PropagateResultForm(call, g, w))
                {
                    PropagateCall(call, g, w);
                }

                break;
            default:
                throw new System.InvalidOperationException("No derivative for " + expression.GetType().Name);
        }
    }

    private void PropagateBinary(BinaryExpr b, string g, IndentedWriter w)
    {
        var left = ExpressionPrinter.Operand(b.Left);
        var right = ExpressionPrinter.Operand(b.Right);
        switch (b.Op)
        {
            case BinaryOp.Add:
                Propagate(b.Left, g, w);
                Propagate(b.Right, g, w);
                break;
            case BinaryOp.Subtract:
                Propagate(b.Left, g, w);
                Propagate(b.Right, "-" + g, w);
                break;
            case BinaryOp.Multiply:
                // A generated backward returns its callee's value: when the other factor's partial needs that value,
                // the backward runs first and its result is reused instead of calling the primal again.
                if (IsBackwardCall(b.Right) && _activity.IsActive(b.Left))
                {
                    var value = PropagateCall((MethodCallExpr)b.Right, Bound(left + " * " + g, b.Type, w), w, captureValue: true)!;
                    Propagate(b.Left, g + " * " + value, w);
                }
                else if (IsBackwardCall(b.Left) && _activity.IsActive(b.Right))
                {
                    var value = PropagateCall((MethodCallExpr)b.Left, Bound(g + " * " + right, b.Type, w), w, captureValue: true)!;
                    Propagate(b.Right, value + " * " + g, w);
                }
                else if (PowerProduct(b, g) is { } power)
                {
                    // x · x, c · v · v, v · v · v: one term (k·c)·v^(k−1)·g instead of the product rule's k terms.
                    Propagate(power.Value, power.Partial, w);
                }
                else
                {
                    Propagate(b.Left, g + " * " + right, w);
                    Propagate(b.Right, left + " * " + g, w);
                }

                break;
            case BinaryOp.Divide:
                PropagateQuotient(b, g, w);
                break;
            case BinaryOp.Remainder:
                Propagate(b.Left, g, w);
                Propagate(b.Right, "-" + g + " * " + (b.Type.Scalar == ScalarKind.Float ? "global::System.MathF" : "global::System.Math") + ".Truncate(" + left + " / " + right + ")", w);
                break;
            default:
                throw new System.InvalidOperationException("No derivative for operator " + b.Op);
        }
    }

    /// <summary>Whether an expression is an active call whose reverse is a generated backward (which returns the call's value).</summary>
    private bool IsBackwardCall(Expr expression) =>
        expression is MethodCallExpr { Target.Kind: CallKind.Differentiable } call && _activity.IsActive(expression) && !_savedCalls.ContainsKey(call);

    /// <summary>The C# text of an adjoint as a name, binding it to a temporary when it is an expression.</summary>
    private string Bound(string g, IrType type, IndentedWriter w)
    {
        if (IsName(g))
        {
            return g;
        }

        var bound = Temporary("_t");
        w.WriteLine(type.ScalarKeyword + " " + bound + " = " + g + ";");
        return bound;
    }

    /// <summary>
    /// The reverse of a call: the callee's backward (or rule) with this call's arguments and the adjoint as seed.
    /// With <paramref name="captureValue"/>, returns a temporary holding the value the backward returns. With
    /// <paramref name="scalarTemporaries"/>, a scalar variable's adjoint is passed as a fresh temporary added to it after
    /// the call: a branch that is rarely taken then does not take the adjoint's address for the whole method (an
    /// address-taken local lives on the stack in every other statement too).
    /// </summary>
    private string? PropagateCall(MethodCallExpr call, string g, IndentedWriter w, bool captureValue = false, bool deferrable = true, bool scalarTemporaries = false)
    {
        if (!captureValue && deferrable && DeferLeafCall(call, g, w))
        {
            return null;
        }

        var passings = PassingsOf(call, out var backward);
        var arguments = call.Args.Select(ExpressionPrinter.Print).ToList();
        var adjoints = new List<string>();
        var after = new List<(Expr Argument, string Adjoint)>();
        var scratch = new List<string>();
        var grids = new List<(string Grid, string Adjoint)>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var argument = call.Args[i];
            switch (passings[i].Passing)
            {
                case AdjointPassing.Ref:
                    if (argument is VarExpr v && _activity.IsActive(v.Name) && !scalarTemporaries)
                    {
                        adjoints.Add("ref " + _adjoints[v.Name]);
                    }
                    else if (argument is ElementExpr e && _activity.IsActive(e.Array))
                    {
                        adjoints.Add("ref " + ExpressionPrinter.Element(_adjoints[e.Array], e.Index));
                    }
                    else
                    {
                        var temporary = Temporary("_t");
                        w.WriteLine(argument.Type.ScalarKeyword + " " + temporary + " = " + Zero(argument.Type) + ";");
                        adjoints.Add("ref " + temporary);
                        if (_activity.IsActive(argument))
                        {
                            after.Add((argument, temporary));
                        }
                    }

                    break;
                case AdjointPassing.Span:
                    if (argument is VarExpr array && _activity.IsActive(array.Name))
                    {
                        adjoints.Add(_adjoints[array.Name]);
                    }
                    else if (argument is SliceExpr slice && _activity.IsActive(slice.Array))
                    {
                        adjoints.Add(slice.Of(_adjoints[slice.Array], readOnly: false, ExpressionPrinter.Print(slice.Start), ExpressionPrinter.Print(slice.Length)));
                    }
                    else if (argument is GridExpr grid)
                    {
                        // The callee's adjoint of the local grid's copy, added back into the local's flat adjoint.
                        var temporary = Temporary("_t");
                        w.WriteLine("var " + temporary + " = " + grid.Zeros(ExpressionPrinter.Print(grid.Rows), ExpressionPrinter.Print(grid.Columns)) + ";");
                        adjoints.Add(temporary);
                        if (_activity.IsActive(grid.Array))
                        {
                            grids.Add((temporary, _adjoints[grid.Array]));
                        }
                    }
                    else
                    {
                        // The callee wants an adjoint buffer for an argument whose derivative is not needed here.
                        var temporary = Temporary("_t");
                        var (allocation, rented) = ScratchArray.For(argument.Type, arguments[i]);
                        w.WriteLine("var " + temporary + " = " + allocation + ";");
                        adjoints.Add(temporary);
                        if (rented)
                        {
                            scratch.Add(temporary);
                        }
                    }

                    break;
            }
        }

        // The backward reads and writes adjoints through its ref and span arguments.
        Flush(w);
        var value = captureValue ? Temporary("_v") : null;
        w.WriteLine((value is null ? string.Empty : call.Type.ScalarKeyword + " " + value + " = ") + backward + "(" + string.Join(", ", arguments.Concat(adjoints).Concat(new[] { g })) + ");");
        foreach (var temporary in scratch)
        {
            w.WriteLine(TapeType + ".Return(" + temporary + ");");
        }

        foreach (var (grid, adjoint) in grids)
        {
            w.WriteLine(GridExpr.AddTo(grid, adjoint));
        }

        foreach (var (argument, adjoint) in after)
        {
            Propagate(argument, adjoint, w);
        }

        return value;
    }

    /// <summary>
    /// Queues <c>target += g</c>. The queue is written by <see cref="Flush"/> at the end of the statement (or before
    /// code that reads adjoints): the contributions to one location become one update, so a span element is loaded,
    /// bounds-checked and stored once instead of once per occurrence.
    /// </summary>
    private void Accumulate(string target, string g)
    {
        g = ReadForwardBuiltinLocals(_reversingStatement, g);
        // The result's partial with respect to a fused accumulator was added before its loop.
        if (_reversingFinal && _fusedAdjoints.Contains(target))
        {
            return;
        }

        var index = _pending.FindIndex(p => p.Target == target);
        if (index < 0)
        {
            _pending.Add((target, new List<string> { g }));
        }
        else
        {
            _pending[index].Terms.Add(g);
        }
    }

    private void Flush(IndentedWriter w)
    {
        foreach (var (target, terms) in _pending)
        {
            var update = Update(terms);
            if (!CarryElementUpdate(target, update, w))
            {
                w.WriteLine(target + update);
            }
        }

        _pending.Clear();
    }

    /// <summary>The text after the target of <c>target += sum;</c> (<c> -= name;</c> for one negated name).</summary>
    private static string Update(List<string> terms)
    {
        if (terms.Count == 1 && terms[0].StartsWith("-", System.StringComparison.Ordinal) && IsName(terms[0].Substring(1)))
        {
            return " -= " + terms[0].Substring(1) + ";";
        }

        var sum = new System.Text.StringBuilder();
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i].IndexOf('?') >= 0 ? "(" + terms[i] + ")" : terms[i];
            if (i > 0 && term.StartsWith("-", System.StringComparison.Ordinal) && IsName(term.Substring(1)))
            {
                sum.Append(" - ").Append(term.Substring(1));
            }
            else
            {
                sum.Append(i > 0 ? " + " : string.Empty).Append(term);
            }
        }

        return " += " + sum + ";";
    }

    /// <summary>Propagates a statement's adjoint and writes the queued accumulations.</summary>
    private void PropagateStatement(Expr expression, string g, IndentedWriter w)
    {
        Propagate(expression, g, w);
        Flush(w);
    }

    private static bool IsName(string text) => text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c == '_') && !char.IsDigit(text[0]);
}
