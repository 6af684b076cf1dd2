using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Lowers statements; expressions are in the other part of this class.</summary>
internal sealed partial class StatementLowering
{
    private readonly LoweringContext _context;

    /// <summary>Depth of <c>using (Autograd.NoGrad())</c> scopes: assignments inside them are detached.</summary>
    private int _noGradDepth;

    private int _loopDepth;

    /// <summary>Locals whose declaration was reported: their uses are not reported again.</summary>
    private readonly HashSet<ISymbol> _refused = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Types of locals refused in this method: the first local of a type gets the error, later ones are refused with it
    /// (session 25: an amortisation loop in decimal got one error per decimal local, five for one choice of type).
    /// </summary>
    private readonly HashSet<ITypeSymbol> _refusedLocalTypes = new(SymbolEqualityComparer.Default);

    /// <summary>Struct operations refused in this method (by what the error says): a repeat adds no second error.</summary>
    private readonly HashSet<string> _refusedStructOperations = new(System.StringComparer.Ordinal);

    /// <summary>Where statements hoisted out of an expression (an increment used as a value) go; null where that is impossible (loop conditions).</summary>
    private List<Stmt>? _pending;

    public StatementLowering(LoweringContext context) => _context = context;

    public List<Stmt> LowerBlock(IOperation operation)
    {
        var result = new List<Stmt>();
        LowerInto(operation, result);
        return result;
    }

    private void LowerInto(IOperation operation, List<Stmt> output)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        var saved = _pending;
        _pending = output;
        LowerStatement(operation, output);
        _pending = saved;
    }

    private Expr LowerLoopCondition(IOperation condition)
    {
        var saved = _pending;
        _pending = null;
        var lowered = LowerExpression(condition);
        _pending = saved;
        return lowered;
    }

    private void LowerStatement(IOperation operation, List<Stmt> output)
    {
        switch (operation)
        {
            case IBlockOperation block:
                LowerSequence(block.Operations, output);
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        LowerDeclarator(declarator, declaration.Initializer, output);
                    }
                }

                break;
            case IExpressionStatementOperation statement:
                LowerExpressionStatement(statement.Operation, output);
                break;
            case IConditionalOperation conditional:
                output.Add(new IfStmt(
                    LowerExpression(conditional.Condition),
                    LowerNested(conditional.WhenTrue),
                    conditional.WhenFalse is null ? EquatableArray<Stmt>.Empty : LowerNested(conditional.WhenFalse)));
                break;
            case IWhileLoopOperation { Condition: { } condition } loop when HasEffects(condition):
                LowerLoopWithConditionEffects(condition, loop.Body, Enumerable.Empty<IOperation>(), loop.ConditionIsTop, output);
                break;
            case IForLoopOperation { Condition: { } condition } loop when HasEffects(condition):
                LowerSequence(loop.Before, output);
                LowerLoopWithConditionEffects(condition, loop.Body, loop.AtLoopBottom, testFirst: true, output);
                break;
            case IWhileLoopOperation loop:
                _loopDepth++;
                output.Add(new LoopStmt(
                    loop.Condition is null ? null : LowerLoopCondition(loop.Condition),
                    LowerNested(loop.Body),
                    EquatableArray<Stmt>.Empty,
                    loop.ConditionIsTop));
                _loopDepth--;
                break;
            case IForLoopOperation loop:
                LowerSequence(loop.Before, output);
                _loopDepth++;
                var step = new List<Stmt>();
                LowerSequence(loop.AtLoopBottom, step);
                output.Add(new LoopStmt(
                    loop.Condition is null ? null : LowerLoopCondition(loop.Condition),
                    LowerNested(loop.Body),
                    step.ToEquatableArray(),
                    TestFirst: true));
                _loopDepth--;
                break;
            case IForEachLoopOperation loop:
                LowerForEach(loop, output);
                break;
            case IReturnOperation inlined when TryLowerInlinedReturn(inlined, output):
                break;
            case IReturnOperation { ReturnedValue: { } value }:
                output.Add(new ReturnStmt(_context.ResultSeeds is null ? LowerExpression(value) : LowerStructResult(value)));
                break;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                output.Add(new BreakStmt());
                break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                output.Add(new ContinueStmt());
                break;
            case IBranchOperation:
                UnsupportedStatement(operation, "'goto' statements (write the jump as a loop with 'break' or 'continue', or test a bool flag)");
                break;
            case ISwitchOperation switchOperation:
                LowerSwitch(switchOperation, output);
                break;
            case IUsingOperation usingOperation when IsNoGrad(usingOperation.Resources):
                _noGradDepth++;
                LowerInto(usingOperation.Body, output);
                _noGradDepth--;
                break;
            case IEmptyOperation:
                break;
            case ILocalFunctionOperation:
                // Inlined where it is called.
                break;
            case ITryOperation:
                UnsupportedStatement(operation, "'try' statements (validate the inputs with 'if' and 'throw' instead, or catch around the call of the method)");
                break;
            case IUsingOperation:
                UnsupportedStatement(operation, "'using' statements other than 'using (Autograd.NoGrad())'");
                break;
            case ILockOperation:
                UnsupportedStatement(operation, "'lock' statements (take the lock around the call of the method)");
                break;
            case ILabeledOperation labeled:
                // A label alone changes nothing; the 'goto' that targets it is the one error.
                if (labeled.Operation is { } target)
                {
                    LowerInto(target, output);
                }

                break;
            case IThrowOperation throwOperation:
                LowerThrowStatement(throwOperation, output);
                break;
            default:
                UnsupportedStatement(operation, "statements like " + Describe(operation));
                break;
        }
    }

    private void LowerSequence(IEnumerable<IOperation> operations, List<Stmt> output)
    {
        var list = operations.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is IUsingDeclarationOperation usingDeclaration)
            {
                if (!IsNoGrad(usingDeclaration.DeclarationGroup))
                {
                    UnsupportedStatement(list[i], "'using' declarations other than 'using var scope = Autograd.NoGrad()'");
                    continue;
                }

                // 'using var scope = Autograd.NoGrad();' covers the rest of the enclosing block.
                _noGradDepth++;
                LowerSequence(list.Skip(i + 1), output);
                _noGradDepth--;
                return;
            }

            LowerInto(list[i], output);
        }
    }

    private EquatableArray<Stmt> LowerNested(IOperation operation) => LowerBlock(operation).ToEquatableArray();

    /// <summary>A local refused at its declaration (its reads and writes report nothing more).</summary>
    private bool IsRefusedLocal(IOperation? operation) => operation is not null && SkipConversions(operation) is ILocalReferenceOperation { Local: var local } && _refused.Contains(local);

    /// <summary>
    /// An array or span of a struct whose floating fields are not all writable (a readonly record struct's positional
    /// properties): the message naming the struct and the rewrites that work; null for any other type.
    /// </summary>
    private static string? ReadOnlyStructArray(ITypeSymbol type)
    {
        var element = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Span" or "ReadOnlySpan" } span => span.TypeArguments[0],
            _ => null,
        };
        if (element is not { TypeKind: TypeKind.Struct, IsTupleType: false } || StructLayout.Of(element) is not { HasFloating: true } layout
            || !layout.Leaves.Any(l => l.Type.IsFloating && !l.Writable))
        {
            return null;
        }

        var fields = string.Join(", ", layout.Leaves.Where(l => l.Path.Count == 1).Select(l => l.Type.CSharp + " " + l.Path[0]));
        return "arrays of '" + element.Name + "', whose fields are read-only (a readonly or record struct; use an array of tuples, 'new (" + fields + ")[n]', or a struct with public fields)";
    }

    private bool IsNoGrad(IOperation resources) =>
        resources.DescendantsAndSelf().OfType<IInvocationOperation>().Any(i => Symbols.IsAutograd(i.TargetMethod, "NoGrad"));

    private void LowerDeclarator(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? sharedInitializer, List<Stmt> output)
    {
        var local = declarator.Symbol;

        // Every read of a const local is its value, folded where it is read: nothing to declare.
        if (local.IsConst)
        {
            return;
        }

        if (DeclareHeldRange(declarator, declarator.Initializer ?? sharedInitializer, output))
        {
            return;
        }

        var type = TypeMapping.ToIrType(local.Type) ?? (local.Type.TypeKind == TypeKind.Enum ? EnumType(local.Type) : null);
        if ((type is null && LowerStructDeclarator(local, declarator.Initializer ?? sharedInitializer, output)) || DeclareRowAlias(declarator, declarator.Initializer ?? sharedInitializer)
            || DeclareFlatArray(declarator, declarator.Initializer ?? sharedInitializer, output))
        {
            return;
        }

        if (type is null)
        {
            var initializerValue = (declarator.Initializer ?? sharedInitializer)?.Value;
            var lambda = initializerValue is { } v && SkipConversions(v) is IDelegateCreationOperation or IAnonymousFunctionOperation;
            if (lambda || _refusedLocalTypes.Add(local.Type))
            {
                UnsupportedStatement(declarator, lambda
                    ? "lambda expressions (use a local function, which is differentiated with the method)"
                    : ReadOnlyStructArray(local.Type) ?? "locals of type '" + local.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() + "'" + LocalTypeRewrite(local.Type));
            }

            _refused.Add(local);
            return;
        }

        if (local.IsRef)
        {
            DeclareRefLocal(local, (declarator.Initializer ?? sharedInitializer)?.Value, declarator, output);
            return;
        }

        var name = _context.DeclareLocal(local, type);
        var initializer = declarator.Initializer ?? sharedInitializer;
        if (initializer is null)
        {
            return;
        }

        if (type.IsCollection)
        {
            LowerArrayCreation(name, type, initializer.Value, declarator.Syntax, output);
            return;
        }

        output.Add(new AssignStmt(name, type, Assigned(LowerExpression(initializer.Value))));
    }

    private void LowerArrayCreation(string name, IrType type, IOperation value, SyntaxNode declarationSyntax, List<Stmt> output)
    {
        value = SkipConversions(value);
        switch (value)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } creation:
                output.Add(new NewArrayStmt(name, type, LowerExpression(creation.DimensionSizes[0]), IsStackAlloc: false));
                if (creation.Initializer is { } structElements && type.StructName.Length > 0)
                {
                    StoreStructElements(name, structElements.ElementValues, output);
                }
                else if (creation.Initializer is { } elements)
                {
                    for (var i = 0; i < elements.ElementValues.Length; i++)
                    {
                        output.Add(new StoreStmt(name, type.Element, new ConstExpr(IrType.Int, Emit.IndentedWriter.Literal(i)), Assigned(LowerExpression(elements.ElementValues[i]))));
                    }
                }

                return;
            case { Syntax: StackAllocArrayCreationExpressionSyntax } when _loopDepth > 0:
                // A span cannot be saved for the reverse sweep; an array can (see ReverseModeTransformer.Arrays).
                _context.Report("SG1010", declarationSyntax, name, "is a 'stackalloc' span created inside a loop (a span cannot be saved for the reverse sweep)");
                return;
            case { Syntax: StackAllocArrayCreationExpressionSyntax { Initializer: null } stackAlloc }
                when stackAlloc.Type is ArrayTypeSyntax { RankSpecifiers: [{ Sizes: [var size] }] }
                     && _context.SemanticModel.GetOperation(size, _context.CancellationToken) is { } sizeOperation:
                output.Add(new NewArrayStmt(name, type, LowerExpression(sizeOperation), IsStackAlloc: true));
                return;
            case { Syntax: ElementAccessExpressionSyntax { ArgumentList.Arguments: [{ Expression: RangeExpressionSyntax }] } }:
                UnsupportedStatement(value, "ranges like '" + Shorten(value) + "' (pass the whole array or span with a start index and a count, or copy the part into a local array in a loop)");
                return;
            case var _ when ArrayLiteralElements(value) is { } elements:
                StoreArrayLiteral(name, type, elements, declarationSyntax, output);
                return;
            case var _ when StoreSpreadLiteral(name, type, value, output) || RefuseCallSpread(value):
                return;
            default:
                _context.Report("SG1010", declarationSyntax, name, "is not created with 'new T[n]' or 'stackalloc T[n]'");
                return;
        }
    }

    private void LowerExpressionStatement(IOperation operation, List<Stmt> output)
    {
        if (LowerStructStatement(operation, output))
        {
            return;
        }

        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var refused } } when _refused.Contains(refused):
                // Reported at its declaration.
                break;
            case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { ArrayReference: var refusedArray } } when IsRefusedLocal(refusedArray):
                // An element of a refused local array: reported at its declaration.
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment
                when _context.TryGetVariable(local.Local, out var arrayName, out var arrayType) && arrayType.IsCollection && !arrayType.IsMultiDimensional:
                // A local array created again ('buffer = new double[n];'): a new array, as in a declaration.
                LowerArrayCreation(arrayName, arrayType, assignment.Value, assignment.Syntax, output);
                break;
            case ISimpleAssignmentOperation assignment when LowerFlatRowCreation(assignment, output):
                break;
            case ISimpleAssignmentOperation { Target: not IDiscardOperation } assignment:
                LowerAssignment(assignment.Target, LowerExpression(assignment.Value), assignment.Syntax, output);
                break;
            case ICompoundAssignmentOperation compound when compound.OperatorMethod is null || GenericMath.IsInterfaceMember(compound.OperatorMethod):
                {
                    var pinned = PinImpureIndices(compound.Target);
                    var target = LowerExpression(compound.Target);
                    var value = LowerExpression(compound.Value);
                    if (MapBinary(compound.OperatorKind) is not { } op)
                    {
                        UnsupportedStatement(compound, "compound assignments like '" + Shorten(compound) + "'");
                        return;
                    }

                    var resultType = Promote(target.Type, value.Type);
                    var combined = InContext(new BinaryExpr(resultType, op, Convert(target, resultType, compound.Syntax), Convert(value, resultType, compound.Syntax), _context.Site(compound.Syntax)), compound.IsChecked);
                    var narrowed = Convert(combined, target.Type, compound.Syntax);
                    Repin(pinned);
                    LowerAssignment(compound.Target, ReferenceEquals(narrowed, combined) ? combined : InContext(narrowed, compound.IsChecked), compound.Syntax, output);
                    Unpin(pinned);
                    break;
                }

            case IIncrementOrDecrementOperation increment when increment.OperatorMethod is null || GenericMath.IsInterfaceMember(increment.OperatorMethod):
                {
                    var pinned = PinImpureIndices(increment.Target);
                    var target = LowerExpression(increment.Target);
                    var one = new ConstExpr(target.Type, Literal(target.Type, 1));
                    var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                    Repin(pinned);
                    LowerAssignment(increment.Target, InContext(new BinaryExpr(target.Type, op, target, one, _context.Site(increment.Syntax)), increment.IsChecked), increment.Syntax, output);
                    Unpin(pinned);
                    break;
                }

            case IThrowOperation throwOperation:
                LowerThrowStatement(throwOperation, output);
                break;
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call:
                LowerLocalFunctionCall(call, TypeMapping.ToIrType(call.Type), output);
                break;
            case IInvocationOperation:
                LowerDiscardedCall(operation, output);
                break;
            case ISimpleAssignmentOperation { Target: IDiscardOperation } discard:
                LowerDiscardedCall(discard.Value, output);
                break;
            default:
                UnsupportedStatement(operation, "statements like " + Describe(operation));
                break;
        }
    }

    private void LowerAssignment(IOperation target, Expr value, SyntaxNode syntax, List<Stmt> output)
    {
        value = Assigned(value);
        if (AssignStructMember(target, value, output))
        {
            return;
        }

        switch (target)
        {
            case ILocalReferenceOperation { Local: var refused } when _refused.Contains(refused):
                return;
            case ILocalReferenceOperation or IParameterReferenceOperation when LowerRefLocalTarget(target) is null:
                {
                    var symbol = target is ILocalReferenceOperation l ? (ISymbol)l.Local : ((IParameterReferenceOperation)target).Parameter;
                    if (!_context.TryGetVariable(symbol, out var name, out var type))
                    {
                        UnsupportedStatement(target, AssignedVariable(symbol));
                        return;
                    }

                    if (type.IsCollection)
                    {
                        if (_context.ParameterCollections.Contains(name))
                        {
                            _context.Report("SG1009", syntax, name);
                        }
                        else
                        {
                            _context.Report("SG1010", syntax, name, "is reassigned");
                        }

                        return;
                    }

                    output.Add(new AssignStmt(name, type, value));
                    return;
                }

            // A span indexed from the end (`s[^1] = …`) is an implicit indexer: the same element write as `s[s.Length - 1]`.
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation or ILocalReferenceOperation:
                {
                    if (LowerExpression(target) is not ElementExpr element)
                    {
                        return;
                    }

                    // An element of a one-dimensional parameter array or span is written through a copy (ParameterCopies).
                    if (_context.ParameterCollections.Contains(element.Array) && element.Index is IndexPairExpr)
                    {
                        _context.Report("SG1009", syntax, element.Array);
                        return;
                    }

                    if (element.Array.Contains("."))
                    {
                        UnsupportedStatement(target, "writes to fields");
                        return;
                    }

                    output.Add(new StoreStmt(element.Array, element.Type, element.Index, value));
                    return;
                }

            case IFieldReferenceOperation or IPropertyReferenceOperation:
                UnsupportedStatement(target, "writes to fields and properties");
                return;
            default:
                UnsupportedStatement(target, "assignments to targets like " + Describe(target));
                return;
        }
    }

    /// <summary>Inside <c>using (Autograd.NoGrad())</c> every assigned value is detached.</summary>
    private Expr Assigned(Expr value) => _noGradDepth > 0 && value is not DetachExpr ? new DetachExpr(value) : value;

    private void LowerForEach(IForEachLoopOperation loop, List<Stmt> output)
    {
        if (IsRefusedLocal(loop.Collection))
        {
            // A loop over a refused local array: reported at its declaration.
            return;
        }

        if (LowerForEachRow(loop, output) || LowerForEachStruct(loop, output) || LowerForEachRowElement(loop, output))
        {
            return;
        }

        // A static readonly table or an array field of this (configuration, read as a constant) is enumerated by
        // index like a local array: its elements are constants, read where the loop reads them.
        var collection = LowerExpression(WholeArray(SkipConversions(loop.Collection)));
        var (arrayName, arrayType) = collection switch
        {
            VarExpr { Type: { IsCollection: true, IsMultiDimensional: false } } v => (v.Name, v.Type),
            ConstExpr { Type: { IsCollection: true, IsMultiDimensional: false } } c => (c.Text, c.Type),
            _ => (null, null),
        };
        if (loop.LoopControlVariable is IDeclarationExpressionOperation or ITupleOperation)
        {
            UnsupportedStatement(loop.LoopControlVariable, "'foreach' deconstructions other than 'var (x, y)' into new locals, one per element of a tuple of numbers (or write 'foreach (var p in points)' and read p.X and p.Y)");
            return;
        }

        if (arrayName is null || arrayType is null || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var element })
        {
            UnsupportedStatement(loop.Collection, "'foreach' loops over anything but a local, parameter or static readonly array or span");
            return;
        }

        var elementType = arrayType.Element;
        var elementName = _context.DeclareLocal(element, elementType);
        var index = _context.DeclareHidden("_" + elementName + "Index", IrType.Int);
        output.Add(new AssignStmt(index, IrType.Int, new ConstExpr(IrType.Int, "0")));
        _loopDepth++;
        var body = new List<Stmt> { new AssignStmt(elementName, elementType, Assigned(new ElementExpr(elementType, arrayName, new VarExpr(IrType.Int, index)))) };
        LowerInto(loop.Body, body);
        _loopDepth--;
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, new VarExpr(IrType.Int, index), new LengthExpr(arrayName), -1),
            body.ToEquatableArray(),
            new Stmt[] { new AssignStmt(index, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, new VarExpr(IrType.Int, index), new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true));
    }

    /// <summary>
    /// A switch on inactive values becomes an if/else chain. A 'break' before the end of a section makes the chain
    /// the body of a one-pass loop (<c>do { … } while (false)</c>), so the break leaves it exactly as it left the switch.
    /// </summary>
    private void LowerSwitch(ISwitchOperation switchOperation, List<Stmt> output)
    {
        var value = PatternInput(switchOperation.Value);
        var breaks = switchOperation.Descendants().OfType<IBranchOperation>().Where(b => Targets(b, switchOperation)).ToList();
        var trailing = new HashSet<IOperation>(switchOperation.Cases
            .Select(c => c.Body.LastOrDefault())
            .Where(o => o is IBranchOperation { BranchKind: BranchKind.Break })!);
        var needsLoop = breaks.Any(b => b.BranchKind == BranchKind.Break && !trailing.Contains(b));
        if (needsLoop && breaks.Any(b => b.BranchKind == BranchKind.Continue))
        {
            UnsupportedStatement(switchOperation, "'continue' statements inside a switch that also breaks before the end of a section");
            return;
        }

        var cases = new List<(Expr? Condition, EquatableArray<Stmt> Body)>();
        if (needsLoop)
        {
            _loopDepth++;
        }

        foreach (var section in switchOperation.Cases)
        {
            Expr? condition = null;
            var isDefault = false;
            foreach (var clause in section.Clauses)
            {
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        isDefault = true;
                        break;
                    case ISingleValueCaseClauseOperation single:
                        var test = new BinaryExpr(IrType.Bool, BinaryOp.Equal, value, LowerExpression(single.Value), -1);
                        condition = condition is null ? test : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalOr, condition, test, -1);
                        break;
                    case IPatternCaseClauseOperation patternClause:
                        var matched = CaseCondition(patternClause, value);
                        condition = condition is null ? matched : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalOr, condition, matched, -1);
                        break;
                    default:
                        UnsupportedStatement(clause, "case labels like '" + Shorten(clause) + "' (use constants, patterns or 'default')");
                        break;
                }
            }

            var body = new List<Stmt>();
            LowerSequence(section.Body.Where(o => !trailing.Contains(o)), body);
            cases.Add((isDefault ? null : condition, body.ToEquatableArray()));
        }

        if (needsLoop)
        {
            _loopDepth--;
        }

        // The default section runs when no case matched, wherever it is written.
        var chain = cases.FirstOrDefault(c => c.Condition is null).Body;
        chain = chain.Count > 0 ? chain : EquatableArray<Stmt>.Empty;
        for (var i = cases.Count - 1; i >= 0; i--)
        {
            if (cases[i].Condition is { } condition)
            {
                chain = new Stmt[] { new IfStmt(condition, cases[i].Body, chain) }.ToEquatableArray();
            }
        }

        if (needsLoop)
        {
            output.Add(new LoopStmt(new ConstExpr(IrType.Bool, "false"), chain, EquatableArray<Stmt>.Empty, TestFirst: false));
        }
        else
        {
            output.AddRange(chain);
        }
    }

    /// <summary>Whether a break or continue leaves <paramref name="switchOperation"/> (a break inside a nested loop or switch does not).</summary>
    private static bool Targets(IBranchOperation branch, ISwitchOperation switchOperation)
    {
        for (var parent = branch.Parent; parent is not null; parent = parent.Parent)
        {
            if (ReferenceEquals(parent, switchOperation))
            {
                return true;
            }

            if (parent is ILoopOperation || (parent is ISwitchOperation && branch.BranchKind == BranchKind.Break))
            {
                return false;
            }
        }

        return false;
    }

    private void UnsupportedStatement(IOperation operation, string what) => _context.Report("SG1002", operation.Syntax, what);

    /// <summary>
    /// What an assignment to a variable that is not the body's own writes, in the user's words: a primary-constructor
    /// parameter is the object's state (the method may read it as a constant, never change it), so the rewrite is a local copy.
    /// </summary>
    private static string AssignedVariable(ISymbol symbol) =>
        symbol is IParameterSymbol parameter && PrimaryConstructorParameters.TypeOf(parameter) is { } type
            ? "assignments to the primary-constructor parameter '" + parameter.Name + "' of '" + type.Name + "' (a [Differentiable] method may read it as a constant but not change the object's state; copy it into a local, 'var current = " + parameter.Name + ";', and assign the local)"
            : "assignments to this variable";

    /// <summary>The construct in the user's words: its source text (never the name of an internal operation kind).</summary>
    private static string Describe(IOperation operation) => "'" + Shorten(operation) + "'";

    private static IOperation SkipConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
