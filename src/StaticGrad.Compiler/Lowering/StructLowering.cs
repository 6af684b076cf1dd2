using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Differentiable structs, scalarised: a struct value is lowered to one IR expression per leaf (see
/// <see cref="StructLayout"/>), a struct local to one IR local per leaf. Constructors, initializers, <c>with</c>,
/// member reads and writes, System.Numerics operations and the user's own expression-bodied members are expanded
/// leaf by leaf, so activity, recording and both transformers only ever see scalars.
/// </summary>
internal sealed partial class StatementLowering
{
    private const int MaxInlineDepth = 8;

    /// <summary>While lowering an inlined member of a struct: what <c>this</c> stands for.</summary>
    private StructValue? _inlinedInstance;

    /// <summary>While lowering an inlined member: its parameters' values (an <see cref="Expr"/> or a <see cref="StructValue"/>).</summary>
    private Dictionary<IParameterSymbol, object>? _inlinedArguments;

    private int _inlineDepth;

    /// <summary>A struct value: one expression per leaf of its layout.</summary>
    private sealed record StructValue(StructLayout Layout, Expr[] Leaves);

    /// <summary>A parameter whose type was already reported is behind this operation: one error per construct, no follow-on.</summary>
    private bool ReadsRefusedParameter(IOperation operation) =>
        _context.RefusedParameters.Count > 0 && operation.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Any(p => _context.RefusedParameters.Contains(p.Parameter));

    private static bool IsStruct(ITypeSymbol? type) => StructLayout.Of(type) is not null;

    /// <summary>A scalar read from a struct (<c>v.X</c>, <c>Vector3.Dot(a, b)</c>, an inlined member), or null when <paramref name="operation"/> is not one.</summary>
    private Expr? LowerStructPart(IOperation operation)
    {
        switch (operation)
        {
            case IParameterReferenceOperation parameter when _inlinedArguments is not null && _inlinedArguments.TryGetValue(parameter.Parameter, out var bound):
                return bound as Expr ?? Unsupported(operation, "a struct where a number is expected");
            case IFieldReferenceOperation { Instance: { } instance } field when IsStructValue(instance):
                return Part(operation, instance, StructLayout.MemberName(field.Field));
            case IPropertyReferenceOperation { Instance: { } instance, Arguments.Length: 0 } property when IsStructValue(instance):
                return IsStoredMember(property.Property) ? Part(operation, instance, property.Property.Name) : LowerNumericsScalar(operation) ?? InlineScalar(operation, property.Property.GetMethod, instance, new List<IArgumentOperation>());
            case IInvocationOperation invocation when IsNumericsType(invocation.TargetMethod.ContainingType) || (invocation.Instance is { } receiver && IsStructValue(receiver)):
                return LowerNumericsScalar(operation) ?? InlineScalar(operation, invocation.TargetMethod, invocation.Instance, invocation.Arguments);
            case IBinaryOperation { OperatorMethod: { } method } binary when IsStructValue(binary.LeftOperand) || IsStructValue(binary.RightOperand):
                return LowerUserOperatorScalar(operation, method, new[] { binary.LeftOperand, binary.RightOperand }) ?? InlineScalar(operation, method, null, new[] { binary.LeftOperand, binary.RightOperand });
            case var _ when IsStruct(operation.Type) && operation.Type!.TypeKind == TypeKind.Struct && ConstantText(operation) is null:
                return Unsupported(operation, "a '" + operation.Type.Name + "' value here (a struct can be a parameter, a local, or a part of another struct; read its fields, or mark it [NoGrad])");
            default:
                return null;
        }
    }

    /// <summary>
    /// The returned value of a method returning a struct or tuple, as the IR sees it: Σ seed.leaf · leaf, the scalar
    /// whose gradient is the vector-Jacobian product with the caller's seed (see <see cref="StructResult"/>).
    /// </summary>
    private Expr LowerStructResult(IOperation value)
    {
        var (layout, seeds) = _context.ResultSeeds!.Value;
        var leaves = Atoms(LowerStruct(value), "_result").Leaves;
        if (_context.ResultOutput is { } output && _pending is not null)
        {
            _pending.Add(new EffectStmt(StructResult.OutputParts(layout, output).ToEquatableArray(), leaves.ToEquatableArray()));
        }

        var scalar = StructResult.ScalarType(layout.Type)!;
        return Sum(Enumerable.Range(0, leaves.Length).Where(i => seeds[i] is not null)
            .Select(i => Convert(Mul(new VarExpr(layout.Leaves[i].Type, seeds[i]!), Convert(leaves[i], layout.Leaves[i].Type, value.Syntax)), scalar, value.Syntax)));
    }

    /// <summary>A struct-typed operand that is scalarised (not a configuration constant).</summary>
    private bool IsStructValue(IOperation operation) => IsStruct(operation.Type) && ConstantText(operation) is null;

    private static bool IsStoredMember(ISymbol member) =>
        member is IFieldSymbol || (member is IPropertySymbol property && property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)))
        || (member is IPropertySymbol p && StructLayout.IsNumerics(p.ContainingType, "Complex") && p.Name is "Real" or "Imaginary");

    private Expr Part(IOperation operation, IOperation instance, string member)
    {
        var value = LowerStruct(instance);
        var indices = value.Layout.Under(member);
        return indices.Count == 1 && value.Layout.Leaves[indices[0]].Path.Count == 1
            ? value.Leaves[indices[0]]
            : Unsupported(operation, "member '" + member + "' of '" + value.Layout.Type.Name + "'");
    }

    /// <summary>The leaves of a struct-typed expression; an unsupported one is reported once and stands as zeros.</summary>
    private StructValue LowerStruct(IOperation operation)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        if (WrittenArgument<StructValue>(operation) is { } written)
        {
            return written;
        }

        var layout = StructLayout.Of(operation.Type)!;
        switch (operation)
        {
            case IParenthesizedOperation parenthesized:
                return LowerStruct(parenthesized.Operand);
            case IConversionOperation { OperatorMethod: null } conversion when SymbolEqualityComparer.Default.Equals(conversion.Operand.Type, conversion.Type):
                return LowerStruct(conversion.Operand);
            case IConversionOperation { OperatorMethod: null, Operand: ITupleOperation tuple }:
                return Tuple(tuple, layout);
            case ITupleOperation tuple:
                return Tuple(tuple, layout);
            case IConversionOperation { OperatorMethod: null, Operand.Type: { IsTupleType: true } } conversion when StructLayout.Of(conversion.Operand.Type) is { } from && from.Leaves.Count == layout.Leaves.Count:
                return new StructValue(layout, LowerStruct(conversion.Operand).Leaves.Select((e, i) => Convert(e, layout.Leaves[i].Type, conversion.Syntax)).ToArray());
            case ILocalReferenceOperation local when _context.Structs.TryGetValue(local.Local, out var variable):
                return Variables(variable);
            case ILocalReferenceOperation local when _refStructElements.TryGetValue(local.Local, out var element):
                return element;
            case IParameterReferenceOperation parameter when _context.Structs.TryGetValue(parameter.Parameter, out var variable):
                return Variables(variable);
            case IParameterReferenceOperation parameter when _inlinedArguments is not null && _inlinedArguments.TryGetValue(parameter.Parameter, out var bound) && bound is StructValue value:
                return value;
            case IInstanceReferenceOperation when _inlinedInstance is not null:
                return _inlinedInstance;
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation when StructElement(operation) is { } element:
                return element;
            case IDefaultValueOperation:
            case IObjectCreationOperation { Constructor.Parameters.Length: 0, Initializer: null }:
                return Zeros(layout);
        }

        if (ConstantText(operation) is { } text)
        {
            return new StructValue(layout, layout.Leaves.Select(l => (Expr)new ConstExpr(l.Type, text + l.Access)).ToArray());
        }

        switch (operation)
        {
            case IFieldReferenceOperation { Instance: { } instance } field when IsStruct(instance.Type):
                return Sub(LowerStruct(instance), StructLayout.MemberName(field.Field), layout);
            case IPropertyReferenceOperation { Instance: { } instance, Arguments.Length: 0 } property when IsStruct(instance.Type) && IsStoredMember(property.Property):
                return Sub(LowerStruct(instance), property.Property.Name, layout);
            case IObjectCreationOperation creation:
                return Initialize(Construct(creation, layout), creation.Initializer);
            case IWithOperation with:
                return Initialize(LowerStruct(with.Operand), with.Initializer);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                {
                    var condition = Atom(LowerExpression(conditional.Condition), "_condition");
                    var whenTrue = LowerStruct(conditional.WhenTrue);
                    var otherwise = LowerStruct(whenFalse);
                    return new StructValue(layout, layout.Leaves.Select((l, i) => (Expr)new ConditionalExpr(l.Type, condition, whenTrue.Leaves[i], otherwise.Leaves[i])).ToArray());
                }

            default:
                return LowerNumericsStruct(operation, layout) ?? LowerStructResultCall(operation, layout) ?? InlineStruct(operation, layout);
        }
    }

    /// <summary><c>(a, b)</c>: the elements' leaves in order, each converted to the target element's type.</summary>
    private StructValue Tuple(ITupleOperation tuple, StructLayout layout)
    {
        var leaves = new List<Expr>();
        foreach (var element in tuple.Elements)
        {
            if (IsStruct(element.Type) && element.Type!.TypeKind == TypeKind.Struct)
            {
                leaves.AddRange(LowerStruct(element).Leaves);
            }
            else
            {
                leaves.Add(LowerExpression(element is IConversionOperation { OperatorMethod: null, IsImplicit: true } c ? c.Operand : element));
            }
        }

        return leaves.Count == layout.Leaves.Count
            ? new StructValue(layout, leaves.Select((e, i) => Convert(e, layout.Leaves[i].Type, tuple.Syntax)).ToArray())
            : UnsupportedStruct(tuple, layout, "this tuple");
    }

    private static StructValue Variables(StructVariable variable) =>
        new(variable.Layout, variable.Layout.Leaves.Select((l, i) => (Expr)new VarExpr(l.Type, variable.Leaves[i])).ToArray());

    private static StructValue Zeros(StructLayout layout) =>
        new(layout, layout.Leaves.Select(l => (Expr)new ConstExpr(l.Type, ZeroText(l.Type))).ToArray());

    private static string ZeroText(IrType type) => type.Scalar switch
    {
        ScalarKind.Double => "0.0",
        ScalarKind.Float => "0f",
        ScalarKind.Long => "0L",
        ScalarKind.Bool => "false",
        _ => "0",
    };

    private static StructValue Sub(StructValue value, string member, StructLayout layout) =>
        new(layout, value.Layout.Under(member).Select(i => value.Leaves[i]).ToArray());

    /// <summary>A value used more than once by an expansion: bound to a hidden local first, so no expression is duplicated.</summary>
    private Expr Atom(Expr value, string hint)
    {
        if (value is VarExpr or ConstExpr || _pending is null)
        {
            return value;
        }

        var name = _context.DeclareHidden(hint, value.Type);
        _pending.Add(new AssignStmt(name, value.Type, Assigned(value)));
        return new VarExpr(value.Type, name);
    }

    private StructValue Atoms(StructValue value, string hint) =>
        new(value.Layout, value.Leaves.Select((e, i) => Atom(e, hint + "_" + value.Layout.Leaves[i].NameSuffix)).ToArray());

    /// <summary>A constructor call: System.Numerics' by their documented meaning, a user struct's when it only assigns its parameters to members.</summary>
    private StructValue Construct(IObjectCreationOperation creation, StructLayout layout)
    {
        var arguments = creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        if (creation.Constructor is null || creation.Arguments.Any(a => a.Parameter is null || a.ArgumentKind != ArgumentKind.Explicit && a.ArgumentKind != ArgumentKind.DefaultValue))
        {
            return UnsupportedStruct(creation, layout, "this constructor call");
        }

        // The leaves below are read in parameter (or the constructor's assignment) order: named arguments in another
        // order are evaluated first, as written.
        LowerInWrittenOrder(creation.Arguments, expanded: true);

        if (IsNumericsType(layout.Type))
        {
            // Vector3(x, y, z), Vector3(v2, z), Vector4(v3, w), Vector3(value), Quaternion(v3, w), Complex(re, im): the arguments' leaves in order, a single scalar repeated.
            var leaves = new List<Expr>();
            foreach (var argument in arguments)
            {
                if (IsStruct(argument.Type))
                {
                    leaves.AddRange(LowerStruct(argument).Leaves);
                }
                else
                {
                    leaves.Add(LowerExpression(argument));
                }
            }

            if (leaves.Count == 1 && layout.Leaves.Count > 1)
            {
                var single = Atom(leaves[0], "_value");
                leaves = layout.Leaves.Select(_ => single).ToList();
            }

            return leaves.Count == layout.Leaves.Count
                ? new StructValue(layout, leaves.Select((e, i) => Convert(e, layout.Leaves[i].Type, creation.Syntax)).ToArray())
                : UnsupportedStruct(creation, layout, "this constructor of '" + layout.Type.Name + "'");
        }

        var result = Zeros(layout).Leaves;
        var constructor = creation.Constructor;
        if (constructor.Parameters.Length == 0 && constructor.IsImplicitlyDeclared)
        {
            return new StructValue(layout, result);
        }

        var assignments = ConstructorAssignments(constructor);
        if (assignments is null)
        {
            return UnsupportedStruct(creation, layout, "constructors that do more than assign their parameters to fields and properties (use an object initializer)");
        }

        var computed = assignments.Where(a => a.Parameter is null).ToList();
        if (computed.Count > 0 && !BindConstructorArguments(constructor, arguments, computed.Select(a => a.Value!)))
        {
            return UnsupportedStruct(creation, layout, "constructors that do more than assign their parameters to fields and properties (use an object initializer)");
        }

        foreach (var (member, parameter, value) in assignments)
        {
            var indices = layout.Under(member);
            if (indices.Count == 0 || (parameter is null && indices.Count != 1))
            {
                UnbindConstructorArguments(constructor);
                return UnsupportedStruct(creation, layout, "constructors that do more than assign their parameters to fields and properties (use an object initializer)");
            }

            if (parameter is null)
            {
                // 'Degrees = Math.Max(degrees, -273.15);', 'Length = Math.Sqrt(X * X + Y * Y);': the value read with the
                // arguments for the parameters and the members assigned so far for 'this'.
                result[indices[0]] = Convert(LowerConstructorValue(value!, layout, result), layout.Leaves[indices[0]].Type, value!.Syntax);
                continue;
            }

            var argument = arguments[parameter.Ordinal];

            if (IsStruct(argument.Type))
            {
                var part = LowerStruct(argument).Leaves;
                for (var i = 0; i < indices.Count && i < part.Length; i++)
                {
                    result[indices[i]] = part[i];
                }
            }
            else if (indices.Count == 1)
            {
                result[indices[0]] = Convert(LowerExpression(argument), layout.Leaves[indices[0]].Type, argument.Syntax);
            }
        }

        UnbindConstructorArguments(constructor);
        return new StructValue(layout, result);
    }

    /// <summary>
    /// Member ← parameter pairs of a constructor that does nothing else (a record struct's primary constructor
    /// included), or member ← a computed value (<see cref="ConstructorValue"/>, the parameter then null); or null.
    /// </summary>
    private List<(string Member, IParameterSymbol? Parameter, IOperation? Value)>? ConstructorAssignments(IMethodSymbol constructor)
    {
        var result = new List<(string, IParameterSymbol?, IOperation?)>();
        var syntax = constructor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_context.CancellationToken);
        if (syntax is RecordDeclarationSyntax or TypeDeclarationSyntax)
        {
            // A positional record struct: each parameter initialises the property of its name.
            foreach (var parameter in constructor.Parameters)
            {
                result.Add((parameter.Name, parameter, null));
            }

            return result;
        }

        if (syntax is not ConstructorDeclarationSyntax { Initializer: null } declaration)
        {
            return null;
        }

        var model = _context.SemanticModel.Compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(declaration, _context.CancellationToken) is not IConstructorBodyOperation body || (body.BlockBody ?? (IOperation?)body.ExpressionBody) is not { } root)
        {
            return null;
        }

        var statements = root is IBlockOperation block ? block.Operations.ToList() : new List<IOperation> { root };
        foreach (var statement in statements)
        {
            var assignment = (statement as IExpressionStatementOperation)?.Operation as ISimpleAssignmentOperation ?? statement as ISimpleAssignmentOperation;
            if (assignment is not { Target: IMemberReferenceOperation { Instance: IInstanceReferenceOperation } target, Value: var value })
            {
                return null;
            }

            if (SkipConversions(value) is IParameterReferenceOperation parameter)
            {
                result.Add((target.Member.Name, parameter.Parameter, null));
            }
            else if (ConstructorValue(value, constructor))
            {
                result.Add((target.Member.Name, null, value));
            }
            else
            {
                return null;
            }
        }

        return result;
    }

    /// <summary><c>{ X = …, Y = … }</c> of an object creation or a <c>with</c>: each assignment overwrites the member's leaves.</summary>
    private StructValue Initialize(StructValue value, IObjectOrCollectionInitializerOperation? initializer)
    {
        if (initializer is null)
        {
            return value;
        }

        var leaves = value.Leaves.ToArray();
        foreach (var item in initializer.Initializers)
        {
            if (item is not ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } assignment)
            {
                return UnsupportedStruct(item, value.Layout, "this initializer");
            }

            var indices = value.Layout.Under(StructLayout.MemberName(target.Member));
            if (IsStruct(assignment.Value.Type))
            {
                var part = LowerStruct(assignment.Value).Leaves;
                for (var i = 0; i < indices.Count && i < part.Length; i++)
                {
                    leaves[indices[i]] = part[i];
                }
            }
            else if (indices.Count == 1)
            {
                leaves[indices[0]] = Convert(LowerExpression(assignment.Value), value.Layout.Leaves[indices[0]].Type, assignment.Syntax);
            }
        }

        return new StructValue(value.Layout, leaves);
    }

    private StructValue UnsupportedStruct(IOperation operation, StructLayout layout, string what)
    {
        // One error per refused construct in a method, at its first occurrence: three Matrix4x4 products are one
        // missing rule, and the user fixes them together. The first error already marked the method as failed. The key is
        // what is refused (the operation's kind and its constructor, method or operator), not the message: two different
        // constructors refused as "this constructor call" are two errors, each at its own site.
        if (_refusedStructOperations.Add(what + "\u0001" + RefusedConstruct(operation, layout)))
        {
            Unsupported(operation, what);
        }

        return Zeros(layout);
    }

    /// <summary>The construct a refusal is about: the operation's kind and the symbol it calls (or the type it makes).</summary>
    private static string RefusedConstruct(IOperation operation, StructLayout layout)
    {
        ISymbol? symbol = operation switch
        {
            IObjectCreationOperation creation => creation.Constructor,
            IInvocationOperation invocation => invocation.TargetMethod,
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IArgumentOperation argument => argument.Parameter,
            _ => null,
        };
        return operation.Kind + "\u0001" + (symbol is null ? layout.Type.ToDisplayString() : symbol.ToDisplayString() + "\u0001" + symbol.ContainingSymbol?.ToDisplayString());
    }

    /// <summary>
    /// A member of a user struct whose body is one expression (an expression-bodied getter, method or operator, or a
    /// block with one <c>return</c>): its body is lowered in place with <c>this</c> and its parameters bound.
    /// </summary>
    private TResult? Inline<TResult>(IOperation operation, IMethodSymbol? method, IOperation? instance, IReadOnlyList<IOperation> arguments, System.Func<IOperation, TResult> lower)
        where TResult : class
    {
        var body = method is null || _inlineDepth >= MaxInlineDepth ? null : SingleExpressionBody(method);
        if (body is null || method!.Parameters.Length != arguments.Count || method.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out))
        {
            return null;
        }

        var bound = new Dictionary<IParameterSymbol, object>(SymbolEqualityComparer.Default);

        // The arguments are evaluated where C# evaluates them, in the order they are written (named ones too,
        // 'P(v: a[4], u: Check(x))' reads a[4] first): an omitted optional argument is a constant, placed last.
        foreach (var i in Enumerable.Range(0, arguments.Count).OrderBy(i => arguments[i].IsImplicit ? int.MaxValue : arguments[i].Syntax.SpanStart))
        {
            bound[method.Parameters[i]] = IsStruct(arguments[i].Type) ? Atoms(LowerStruct(arguments[i]), "_" + method.Parameters[i].Name) : Atom(LowerExpression(arguments[i]), "_" + method.Parameters[i].Name);
        }

        var self = instance is not null && IsStruct(instance.Type) ? Atoms(LowerStruct(instance), "_self") : null;
        var (savedInstance, savedArguments) = (_inlinedInstance, _inlinedArguments);
        (_inlinedInstance, _inlinedArguments) = (self ?? (method.IsStatic ? null : _inlinedInstance), bound);
        _inlineDepth++;
        var result = lower(body);
        _inlineDepth--;
        (_inlinedInstance, _inlinedArguments) = (savedInstance, savedArguments);
        return result;
    }

    private Expr InlineScalar(IOperation operation, IMethodSymbol? method, IOperation? instance, IReadOnlyList<IArgumentOperation> arguments) =>
        InlineScalar(operation, method, instance, arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray());

    private Expr InlineScalar(IOperation operation, IMethodSymbol? method, IOperation? instance, IReadOnlyList<IOperation> arguments) =>
        Inline(operation, method, instance, arguments, LowerExpression)
        ?? Unsupported(operation, UserOperators.Refusal(method) ?? "'" + (method?.Name ?? "this member") + "' of a struct (only members whose body is one expression are read through; write the computation in the method)");

    private StructValue InlineStruct(IOperation operation, StructLayout layout)
    {
        var (method, instance, arguments) = operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Instance, invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray()),
            IBinaryOperation { OperatorMethod: { } op } binary => (op, null, new[] { binary.LeftOperand, binary.RightOperand }),
            IUnaryOperation { OperatorMethod: { } op } unary => (op, null, new[] { unary.Operand }),
            IPropertyReferenceOperation { Arguments.Length: 0 } property => (property.Property.GetMethod, property.Instance, System.Array.Empty<IOperation>()),
            _ => ((IMethodSymbol?)null, (IOperation?)null, System.Array.Empty<IOperation>()),
        };
        return Inline(operation, method, instance, arguments, LowerStruct)
            ?? LowerUserOperatorStruct(operation, method, arguments, layout)
            ?? UnsupportedStruct(operation, layout, UserOperators.Refusal(method) ?? DescribeStructOperation(operation, method));
    }

    private string DescribeStructOperation(IOperation operation, IMethodSymbol? method) => method is null
        ? "'" + operation.Type?.Name + "' values computed as here, " + Describe(operation)
        : method.MethodKind == MethodKind.LocalFunction
        ? "calls of the local function '" + method.Name + "', which returns a '" + method.ReturnType.ToDisplayString() + "' " + WhyNotReadThrough(method)
        : "'" + method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "' (only System.Numerics operations with a rule and struct members whose body is one expression are supported)";

    // A one-expression local function is refused only past the inlining depth: by calling itself, or through a chain
    // of such functions more than MaxInlineDepth deep. Saying "more than one statement" there would send the user to
    // rewrite a body that is already one expression.
    private string WhyNotReadThrough(IMethodSymbol method)
    {
        if (SingleExpressionBody(method) is not { } body)
        {
            return "with more than one statement (write its body as one expression, '… " + method.Name + "(…) => (…, …);', or make it a [Differentiable] static method)";
        }

        return body.DescendantsAndSelf().OfType<IInvocationOperation>().Any(c => SymbolEqualityComparer.Default.Equals(c.TargetMethod.OriginalDefinition, method.OriginalDefinition))
            ? "and calls itself (a recursive local function is not read through: write the recursion as a loop in the method, or make it a [Differentiable] static method)"
            : "through a chain of local functions or struct members more than " + MaxInlineDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " calls deep (call fewer levels, or make one of them a [Differentiable] static method)";
    }

    private IOperation? SingleExpressionBody(IMethodSymbol method)
    {
        var syntax = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_context.CancellationToken);
        var model = syntax is null ? null : _context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        ExpressionSyntax? expression = syntax switch
        {
            MethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            OperatorDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            AccessorDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            ArrowExpressionClauseSyntax arrow => arrow.Expression,
            // A local function returning a tuple or struct, `(double Gut, double Plasma) Deriv(double a, double c) => (…, …);`,
            // is read through at each call like a struct member: its captured variables are read where it is called.
            LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            LocalFunctionStatementSyntax { Body.Statements: [ReturnStatementSyntax { Expression: { } returned }] } => returned,
            BaseMethodDeclarationSyntax { Body.Statements: [ReturnStatementSyntax { Expression: { } returned }] } => returned,
            AccessorDeclarationSyntax { Body.Statements: [ReturnStatementSyntax { Expression: { } returned }] } => returned,
            _ => null,
        };
        return expression is null ? null : model!.GetOperation(expression, _context.CancellationToken);
    }
}
