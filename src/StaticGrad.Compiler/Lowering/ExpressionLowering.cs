using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

internal sealed partial class StatementLowering
{
    /// <summary>Stands for an expression that was reported as unsupported, so that lowering goes on and finds more.</summary>
    private static readonly Expr s_error = new ConstExpr(IrType.Double, "0.0");

    private Expr LowerExpression(IOperation operation)
    {
        _context.CancellationToken.ThrowIfCancellationRequested();
        if (WrittenArgument<Expr>(operation) is { } written)
        {
            return written;
        }

        var type = TypeMapping.ToIrType(operation.Type);
        if (operation.ConstantValue is { HasValue: true, Value: { } constant } && type is { IsCollection: false } && ConstantText(constant, type) is { } text)
        {
            return new ConstExpr(type, text);
        }

        if (operation is IPropertyReferenceOperation { Property: var constantProperty } && type is not null && GenericMath.ConstantText(constantProperty) is { } genericConstant)
        {
            return new ConstExpr(type, genericConstant);
        }

        if ((LowerStructPart(operation) ?? LowerArrayPart(operation)) is { } part)
        {
            return part;
        }

        if (ConstantRead(operation) is { } read)
        {
            return read;
        }

        if (EnumConstant(operation) is { } enumConstant)
        {
            return enumConstant;
        }

        if (type is { IsCollection: true } && LowerArrayLiteral(operation) is { } literal)
        {
            return literal;
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return Variable(operation, local.Local);
            case IParameterReferenceOperation parameter:
                return Variable(operation, parameter.Parameter);
            case IFieldReferenceOperation field:
                return LowerFieldOrProperty(operation, field.Field, field.Instance, type);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer:
                return Element(operation, indexer.Instance, indexer.Arguments[0].Value, type);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when LowerExpression(instance) is VarExpr { Type.IsCollection: true } array:
                return new LengthExpr(array.Name);
            case IPropertyReferenceOperation property:
                return LowerFieldOrProperty(operation, property.Property, property.Instance, type);
            case IImplicitIndexerReferenceOperation implicitIndexer:
                return Element(operation, implicitIndexer.Instance, implicitIndexer.Argument, type);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return Element(operation, element.ArrayReference, element.Indices[0], type);
            case IArrayElementReferenceOperation:
                return Unsupported(operation, "multi-dimensional arrays (index a one-dimensional array with i * n + j)");
            case IConversionOperation conversion:
                return LowerConversion(conversion, type);
            case IParenthesizedOperation parenthesized:
                return LowerExpression(parenthesized.Operand);
            case IBinaryOperation binary when binary.OperatorMethod is null || GenericMath.IsInterfaceMember(binary.OperatorMethod):
                return LowerBinary(binary, type);
            case IUnaryOperation unary when unary.OperatorMethod is null || GenericMath.IsInterfaceMember(unary.OperatorMethod):
                return LowerUnary(unary, type);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when (AsThrow(conditional.WhenTrue) ?? AsThrow(whenFalse)) is { } thrown:
                return LowerConditionalThrow(conditional, thrown, AsThrow(conditional.WhenTrue) is null ? conditional.WhenTrue : whenFalse);
            case IIsPatternOperation isPattern:
                return LowerPattern(isPattern.Pattern, PatternInput(isPattern.Value)) ?? s_error;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when type is { IsCollection: false }:
                return new ConditionalExpr(type, LowerExpression(conditional.Condition), LowerExpression(conditional.WhenTrue), LowerExpression(whenFalse));
            case IInvocationOperation invocation:
                return LowerInvocation(invocation, type);
            case IIncrementOrDecrementOperation increment when increment.OperatorMethod is null || GenericMath.IsInterfaceMember(increment.OperatorMethod):
                return LowerIncrementValue(increment);
            case IAssignmentOperation or IIncrementOrDecrementOperation:
                return Unsupported(operation, "assignments inside expressions (write them as separate statements)");
            case ISwitchExpressionOperation switchExpression when type is { IsCollection: false }:
                return LowerSwitchExpression(switchExpression, type);
            case IAnonymousFunctionOperation or IDelegateCreationOperation when LowerInactiveLambda(operation) is { } inactiveLambda:
                return inactiveLambda;
            case IAnonymousFunctionOperation or IDelegateCreationOperation:
                return Unsupported(operation, operation.Parent is IArgumentOperation
                    ? "lambdas passed as values that read the method's variables ('" + Shorten(operation) + "'; write the search or loop in the body, or call a local function directly)"
                    : "lambda expressions (use a local function, which is differentiated with the method)");
            case IObjectCreationOperation:
                return Unsupported(operation, "object creation expressions");
            case IThrowOperation:
                return Unsupported(operation, "throw expressions here (throw in an 'if' statement, a '?:' branch or a switch arm)");
            case IArrayCreationOperation:
                return Unsupported(operation, "array creations here (create the array in a local declaration, 'var a = new double[n];', or write its elements: new[] { x, y })");
            case IBinaryOperation or IUnaryOperation:
                return Unsupported(operation, "user-defined operators");
            default:
                return Unsupported(operation, "expressions like " + Describe(operation));
        }
    }

    private Expr Variable(IOperation operation, ISymbol symbol)
    {
        if (_substitutions.TryGetValue(symbol, out var argument))
        {
            return argument;
        }

        if (_refused.Contains(symbol))
        {
            return s_error;
        }

        if (_refElements.TryGetValue(symbol, out var referenced))
        {
            return referenced;
        }

        if (_context.TryGetVariable(symbol, out var name, out var type))
        {
            return new VarExpr(type, name);
        }

        return symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } parameter
            ? Unsupported(operation, "primary-constructor parameters ('" + parameter.Name + "': " + (PrimaryConstructorParameters.Refusal(parameter, _context.SemanticModel.Compilation, _inlinedInstance is not null || _context.Method is null) ?? "read here as a value of the body, not as a constant; keep the value in a field or property") + ")")
            : Unsupported(operation, "variables of type '" + (operation.Type?.ToDisplayString() ?? "?") + "'");
    }

    /// <summary>Fields and properties are read as constants: the derivative does not flow through them.</summary>
    private Expr LowerFieldOrProperty(IOperation operation, ISymbol member, IOperation? instance, IrType? type)
    {
        if (type is null)
        {
            return Unsupported(operation, "members of type '" + (operation.Type?.ToDisplayString() ?? "?") + "'");
        }

        string text;
        if (member.IsStatic)
        {
            text = member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Naming.NameScope.Escape(member.Name);
        }
        else if (instance is IInstanceReferenceOperation)
        {
            text = "this." + Naming.NameScope.Escape(member.Name);
        }
        else
        {
            return Unsupported(operation, "reads of members of other objects");
        }

        return new ConstExpr(type, text);
    }

    private Expr Element(IOperation operation, IOperation? collection, IOperation index, IrType? type)
    {
        if (IsRange(index))
        {
            return Unsupported(operation, "ranges like '" + Shorten(operation) + "' (pass the whole array or span with a start index and a count, or copy the part into a local array in a loop)");
        }

        if (IsRefusedLocal(collection))
        {
            // An element of a refused local array: reported at its declaration.
            return s_error;
        }

        if (type is not { IsCollection: false } || collection is null)
        {
            return Unsupported(operation, "indexers of this type");
        }

        var target = LowerExpression(SkipConversions(collection));
        var arrayName = target switch
        {
            VarExpr { Type.IsCollection: true } v => v.Name,
            ConstExpr { Type.IsCollection: true } or ConstExpr { Type.Scalar: ScalarKind.Opaque } => ((ConstExpr)target).Text,
            _ => null,
        };
        if (arrayName is null)
        {
            return Unsupported(operation, "element accesses on anything but a local, parameter or field array or span");
        }

        var loweredIndex = HeldIndex(index, arrayName) ?? (FromEnd(index) is { } fromEnd
            ? new BinaryExpr(IrType.Int, BinaryOp.Subtract, new LengthExpr(arrayName), LowerExpression(fromEnd), -1)
            : LowerExpression(index));
        if (loweredIndex.Type.Scalar != ScalarKind.Int || loweredIndex.Type.IsCollection)
        {
            return Unsupported(index, "indices of type '" + loweredIndex.Type + "'");
        }

        return new ElementExpr(type, arrayName, loweredIndex);
    }

    private Expr LowerConversion(IConversionOperation conversion, IrType? type)
    {
        if (LowerHalfConversion(conversion, type) is { } half)
        {
            return half;
        }

        // double[] → ReadOnlySpan<double>, Span → ReadOnlySpan: the same storage under another type (an operator of Span).
        if (conversion.OperatorMethod is not null && type is { IsCollection: true } && TypeMapping.ToIrType(conversion.Operand.Type) is { IsCollection: true })
        {
            return LowerExpression(conversion.Operand);
        }

        if (conversion.OperatorMethod is not null)
        {
            return Unsupported(conversion, "user-defined conversions");
        }

        var operand = LowerExpression(conversion.Operand);

        // An integer read as an enum (`(ShapeKind)kind`) is an inactive value of the enum's type, as enum parameters are.
        if (type is null && conversion.Type is { TypeKind: TypeKind.Enum } enumType && operand.Type is { IsCollection: false, Scalar: ScalarKind.Int or ScalarKind.Long })
        {
            return new CastExpr(EnumType(enumType), operand, _context.Site(conversion.Syntax));
        }

        // `(uint)i` of an integer, as in the range check `(uint)i >= (uint)a.Length`: the same bits read as unsigned, held
        // as a long (`(long)i & 0xFFFFFFFF`), so that a comparison of two of them is C#'s unsigned one. Integers carry
        // no derivative; anything that needs a 'uint' value (a 'uint' local, arithmetic) is still refused where it is.
        if (type is null && conversion.Type?.SpecialType == SpecialType.System_UInt32 && operand.Type is { IsCollection: false, Scalar: ScalarKind.Int }
            && conversion.Parent is IBinaryOperation { Type.SpecialType: SpecialType.System_Boolean })
        {
            return new BinaryExpr(IrType.Long, BinaryOp.And, Convert(operand, IrType.Long, conversion.Syntax), new ConstExpr(IrType.Long, "0xFFFFFFFFL"), _context.Site(conversion.Syntax));
        }

        if (type is null && conversion.Type is { TypeKind: TypeKind.Enum } target)
        {
            return Unsupported(conversion, "conversions to the enum '" + target.Name + "' from anything but an integer (convert an integer: '(" + target.Name + ")(int)value')");
        }

        if (type is null)
        {
            return Unsupported(conversion, "conversions to '" + (conversion.Type?.ToDisplayString() ?? "?") + "'" + (conversion.Type is { } view && IsReadOnlyView(view) && conversion.Operand.Type is IArrayTypeSymbol
                ? " (a collection interface has no adjoint: declare the parameter as an array or 'ReadOnlySpan<" + ((IArrayTypeSymbol)conversion.Operand.Type).ElementType.ToDisplayString() + ">', whose adjoint is a span, and index it the same way)"
                : string.Empty));
        }

        if (type.IsCollection || operand.Type.IsCollection)
        {
            // Array to span: the same storage under another type; C# converts it implicitly where it is used.
            return operand;
        }

        var converted = Convert(operand, type, conversion.Syntax);
        return ReferenceEquals(converted, operand) ? converted : InContext(converted, conversion.IsChecked);
    }

    /// <summary>An enum local or converted value: inactive, spelled with the enum's name.</summary>
    internal static IrType EnumType(ITypeSymbol enumType) => IrType.Opaque(enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));

    private Expr Convert(Expr operand, IrType type, SyntaxNode syntax)
    {
        if (operand.Type == type)
        {
            return operand;
        }

        if (operand is ConstExpr { Text: var text } constant && double.TryParse(text.TrimEnd('f', 'L'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && !text.Contains(".") && type.IsFloating)
        {
            return new ConstExpr(type, type.Scalar == ScalarKind.Float ? IndentedWriter.Literal((float)number) : IndentedWriter.Literal(number));
        }

        return new CastExpr(type, operand, _context.Site(syntax));
    }

    private Expr LowerBinary(IBinaryOperation binary, IrType? type)
    {
        if (type is null || type.IsCollection || MapBinary(binary.OperatorKind) is not { } op)
        {
            return Unsupported(binary, "the operator in '" + Shorten(binary) + "' on these types");
        }

        var left = LowerExpression(binary.LeftOperand);
        var right = LowerExpression(binary.RightOperand);
        return InContext(new BinaryExpr(type, op, left, right, _context.Site(binary.Syntax)), binary.IsChecked);
    }

    private Expr LowerUnary(IUnaryOperation unary, IrType? type)
    {
        if (type is null || type.IsCollection)
        {
            return Unsupported(unary, "unary operators on these types");
        }

        var op = unary.OperatorKind switch
        {
            UnaryOperatorKind.Minus => UnaryOp.Negate,
            UnaryOperatorKind.Plus => UnaryOp.Plus,
            UnaryOperatorKind.Not => UnaryOp.Not,
            UnaryOperatorKind.BitwiseNegation => UnaryOp.BitwiseNot,
            _ => (UnaryOp?)null,
        };
        if (op is null)
        {
            return Unsupported(unary, "the operator in '" + Shorten(unary) + "'");
        }

        var operand = LowerExpression(unary.Operand);
        return op == UnaryOp.Plus ? operand : InContext(new UnaryExpr(type, op.Value, operand), unary.IsChecked);
    }

    /// <summary>Set while a spread's call is lowered (<see cref="LowerHeldCall"/>): its array result is held as data.</summary>
    private bool _arrayResultCall;

    private Expr LowerInvocation(IInvocationOperation invocation, IrType? type)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return LowerLocalFunctionCall(invocation, type);
        }

        if (invocation.Instance is ILocalReferenceOperation { Local: var refusedLocal } && _refused.Contains(refusedLocal))
        {
            return s_error;
        }

        if (Symbols.IsAutograd(method, "Detach") && invocation.Arguments.Length == 1)
        {
            return new DetachExpr(LowerExpression(invocation.Arguments[0].Value));
        }

        if ((LowerLinqReduction(invocation, type) ?? RefuseLinqSequence(invocation)) is { } linq)
        {
            return linq;
        }

        var arrayResult = _arrayResultCall;
        _arrayResultCall = false;
        if (type is null || (type.IsCollection && !arrayResult))
        {
            return Unsupported(invocation, "calls returning '" + method.ReturnType.ToDisplayString() + "'");
        }

        if (LowerGenericMathCall(invocation, type) is { } genericMath)
        {
            return genericMath;
        }

        var openGeneric = method.IsGenericMethod && !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute);
        if (openGeneric && (!method.IsStatic || method.TypeArguments.Any(t => t is ITypeParameterSymbol)))
        {
            return Unsupported(invocation, "calls of generic methods ('" + method.Name + "'; call a non-generic overload, or wrap a helper in a [Differentiable] method)");
        }

        // The call is printed with its arguments in parameter order: scalar named arguments written in another order
        // are evaluated first, as written (arrays and structs are passed as they are).
        LowerInWrittenOrder(invocation.Arguments, scalarsOnly: true);
        var arguments = new Expr[method.Parameters.Length];
        Dictionary<int, StructValue>? structArguments = null;
        foreach (var argument in invocation.Arguments)
        {
            // 'in' arguments are read as values (InParameters): the callee cannot write them, and a [Differentiable]
            // callee that writes the array an element of which is passed is refused below.
            if (argument.Parameter is null || argument.Parameter.RefKind is not (RefKind.None or RefKind.In))
            {
                return ReadsRefusedParameter(argument) ? s_error : RefuseByReference(invocation, argument);
            }

            if (LowerFlatArgument(method, argument) is { } flat)
            {
                if (ReferenceEquals(flat, s_error))
                {
                    return s_error;
                }

                arguments[argument.Parameter.Ordinal] = flat;
                continue;
            }

            if (TypeMapping.ToIrType(argument.Value.Type) is { IsMultiDimensional: true } grid && !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) && !OnlyReads(method, argument.Parameter))
            {
                return Unsupported(argument, MayWriteReason(grid.Shape == ShapeKind.Jagged ? "jagged" : "two-dimensional", method));
            }

            if (Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) && WritesElementsOf(method, argument.Parameter))
            {
                // The callee's backward runs after its primal changed the caller's array, so it would differentiate at the
                // changed values (and its adjoint of the array would miss the overwrite): refused until calls save it.
                return Unsupported(argument, "calls passing an array to a [Differentiable] method that writes to it ('" + method.Name + "' writes to the elements of its parameter '"
                    + argument.Parameter.Name + "'; in '" + method.Name + "', copy the parameter into a local array and write that, or return the new values)");
            }

            if (KeptOrWrittenArgument(method, argument) is { } keptOrWritten)
            {
                return Unsupported(argument, keptOrWritten);
            }

            if (IsStructValue(argument.Value) && NoGradStructArgument(invocation, argument) is { } whole)
            {
                arguments[argument.Parameter.Ordinal] = whole;
                continue;
            }

            if (IsStructValue(argument.Value) && argument.Value.Type!.TypeKind == TypeKind.Struct)
            {
                // Passed leaf by leaf to a [Differentiable] callee (StructArguments); its placeholder is never printed.
                (structArguments ??= new())[argument.Parameter.Ordinal] = LowerStructArgument(invocation, argument);
                arguments[argument.Parameter.Ordinal] = s_error;
                continue;
            }

            arguments[argument.Parameter.Ordinal] = LowerSliceArgument(argument.Value, argument.Parameter.Type) ?? LowerExpression(argument.Value);
        }

        if (arguments.Any(a => a is null))
        {
            return Unsupported(invocation, "calls with omitted arguments");
        }

        if (CallContainer(method) is { } container && BuiltinRules.Find(method.Name, arguments.Length) is not null)
        {
            return new BuiltinCallExpr(type, container, method.Name, arguments.ToEquatableArray(), _context.Site(invocation.Syntax));
        }

        string callee;
        string backwardPrefix;
        if (method.IsStatic)
        {
            callee = method.ContainingType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Naming.NameScope.Escape(method.Name);
            backwardPrefix = callee;
        }
        else if (invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance, Syntax: BaseExpressionSyntax })
        {
            // base.F(x): the base type's method and so its generated methods, called non-virtually like the call itself
            // (this.FBackward would be the derived type's own, calling itself).
            callee = "base." + Naming.NameScope.Escape(method.Name);
            backwardPrefix = callee;
        }
        else if (invocation.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            if ((method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed)) && (_context.Method?.ContainingType ?? method.ContainingType) is { IsSealed: false })
            {
                // The call runs whichever override the object has; the generated backward it would call is the one of
                // this declaration (generated members are not virtual), so an override's derivative would be missed.
                return Unsupported(invocation, "calls of virtual methods ('" + method.Name + "' may run an override whose derivative the generated backward would not call: seal the method or this type, make it non-virtual, or call base." + method.Name + "(...))");
            }

            callee = "this." + Naming.NameScope.Escape(method.Name);
            backwardPrefix = callee;
        }
        else if (ConstantText(invocation.Instance) is { } receiver)
        {
            if (Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) && (method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed))
                && invocation.Instance?.Type is { IsSealed: false })
            {
                // The object may be of a derived type whose override runs; the generated backward it would call is this
                // declaration's (generated members are not virtual).
                return Unsupported(invocation, "calls of virtual methods ('" + method.Name + "' may run an override whose derivative the generated backward would not call: seal the method or the object's type, or make it non-virtual)");
            }

            // A method of a configuration object: called like any method without a derivative of its own.
            callee = receiver + "." + method.Name;
            backwardPrefix = callee;
        }
        else
        {
            return Unsupported(invocation, "calls of instance methods on other objects");
        }

        var isDifferentiable = Symbols.HasAttribute(method, Symbols.DifferentiableAttribute)
            && (method.DeclaringSyntaxReferences.Length > 0 || method.ContainingType!.GetMembers(method.Name + "Backward").OfType<IMethodSymbol>().Any());
        if (isDifferentiable && ImpureCallIn(method) is { } impure)
        {
            return Unsupported(invocation, "calls of [Differentiable] methods that call a method not known to be pure ('" + method.Name + "' calls '" + impure
                + "', and its derivative runs '" + method.Name + "' again, so that call would run twice: call '" + impure + "' here and pass its value to '" + method.Name + "' as a parameter, or, if '" + impure + "' has no side effects, mark it [System.Diagnostics.Contracts.Pure])");
        }

        var typeArguments = TypeArgumentList(method);
        if (!isDifferentiable)
        {
            NoteMemberWrites(invocation, method);
        }
        var target = new CallTarget(
            isDifferentiable ? CallKind.Differentiable : CallKind.Opaque,
            callee,
            isDifferentiable ? backwardPrefix + "Backward" + typeArguments : string.Empty,
            Symbols.Key(method),
            Symbols.Display(method),
            method.Parameters.Select(p => isDifferentiable ? Symbols.BackwardPassing(p) : Symbols.RulePassing(p)).ToEquatableArray())
        {
            HasHessian = isDifferentiable && HessianOptIn.IsSet(method),
            HasTangent = !isDifferentiable || (method.DeclaringSyntaxReferences.Length > 0 ? OutputOptIn.Explicit(method, OutputOptIn.Forward) == true : method.ContainingType!.GetMembers(method.Name + "Tangent").OfType<IMethodSymbol>().Any()),
            TangentFollowsProjectDefault = isDifferentiable && method.DeclaringSyntaxReferences.Length > 0 && OutputOptIn.Explicit(method, OutputOptIn.Forward) is null,
            ResultForm = isDifferentiable && structArguments is null ? CalleeResultForms.Of(method, _context.SemanticModel.Compilation, _context.CancellationToken) : string.Empty,
            TypeArguments = typeArguments,
            PairBackward = isDifferentiable && structArguments is null && PairBackwardEligibility.Applies(method, _context.SemanticModel.Compilation) ? backwardPrefix + Forward.PairBackward.Suffix : string.Empty,
        };
        if (isDifferentiable && method.Parameters.Any(p => Symbols.BackwardPassing(p).Passing != Symbols.RulePassing(p).Passing))
        {
            var name = method.Name + "Backward" + BackwardEmitter.IncludingNoGradSuffix;
            var exists = method.DeclaringSyntaxReferences.Length > 0 || method.ContainingType!.GetMembers(name).OfType<IMethodSymbol>().Any();
            target = target with
            {
                BackwardIncludingNoGrad = exists ? backwardPrefix + "Backward" + BackwardEmitter.IncludingNoGradSuffix + typeArguments : null,
                AllAdjoints = method.Parameters.Select(Symbols.RulePassing).ToEquatableArray(),
            };
        }

        if (structArguments is not null)
        {
            return StructArgumentCall(invocation, type, target, arguments, structArguments);
        }

        var call = new MethodCallExpr(type, target, arguments.ToEquatableArray(), _context.Site(invocation.Syntax));
        return !isDifferentiable && IsImpureValueCall(invocation) ? BindImpureCall(invocation, call) : call;
    }

    /// <summary>
    /// A generic callee's type arguments, always written out: C# cannot infer <c>T</c> from an array passed to a
    /// <c>ReadOnlySpan&lt;T&gt;</c> parameter (CS0411), and the generated names (<c>CosineBackward</c>) take the list
    /// after their suffix. The caller's own type parameter is printed <c>double</c>: a generic-math method is
    /// differentiated as if <c>T</c> were double and GenericRetyping spells that double as <c>T</c>.
    /// </summary>
    private static string TypeArgumentList(IMethodSymbol method) =>
        method.IsGenericMethod
            ? "<" + string.Join(", ", method.TypeArguments.Select(t => t is ITypeParameterSymbol ? "double" : t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ">"
            : string.Empty;

    /// <summary>
    /// <c>v++</c> used as a value: the increment is hoisted before the statement and the value is the variable (prefix)
    /// or a copy of its old value (postfix). Only when nothing else in the statement reads the variable, so that
    /// hoisting cannot change what C#'s left-to-right evaluation would have read.
    /// </summary>
    private Expr LowerIncrementValue(IIncrementOrDecrementOperation increment)
    {
        if (increment.Target is not (ILocalReferenceOperation or IParameterReferenceOperation))
        {
            return Unsupported(increment, "increments of array elements, fields or properties used as values (write the increment as its own statement, 'a[i]++;', and read the element after it)");
        }

        if (_pending is null)
        {
            // Loop conditions hoist their increments themselves (StatementLowering.LoopConditions): what is left has no statement before it.
            return Unsupported(increment, "increments used as values here (write the increment as its own statement before this one)");
        }

        var symbol = increment.Target is ILocalReferenceOperation l ? (ISymbol)l.Local : ((IParameterReferenceOperation)increment.Target).Parameter;
        var statement = (IOperation)increment;
        while (statement.Parent is { } parent && parent is not IBlockOperation && parent is not ISwitchCaseOperation)
        {
            statement = parent;
        }

        var readsElsewhere = statement.DescendantsAndSelf().Count(o =>
            (o is ILocalReferenceOperation lr && SymbolEqualityComparer.Default.Equals(lr.Local, symbol)) ||
            (o is IParameterReferenceOperation pr && SymbolEqualityComparer.Default.Equals(pr.Parameter, symbol))) > 1;
        if (readsElsewhere || !_context.TryGetVariable(symbol, out var name, out var variableType) || variableType.IsCollection)
        {
            return Unsupported(increment, "increments used as values of a variable the same statement also reads");
        }

        var variable = new VarExpr(variableType, name);
        Expr result = variable;
        if (increment.IsPostfix)
        {
            var old = _context.DeclareHidden("_" + name + "Before", variableType);
            _pending.Add(new AssignStmt(old, variableType, variable));
            result = new VarExpr(variableType, old);
        }

        var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
        _pending.Add(new AssignStmt(name, variableType, InContext(new BinaryExpr(variableType, op, variable, new ConstExpr(variableType, Literal(variableType, 1)), _context.Site(increment.Syntax)), increment.IsChecked)));
        return result;
    }

    private Expr Unsupported(IOperation operation, string what)
    {
        // A refused parameter or local was reported where it is declared: what reads it adds no second error.
        if (ReadsRefusedParameter(operation) || operation.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local: var local } && _refused.Contains(local)))
        {
            return s_error;
        }

        _context.Report("SG1002", operation.Syntax, what);
        return s_error;
    }

    private static BinaryOp? MapBinary(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOp.Add,
        BinaryOperatorKind.Subtract => BinaryOp.Subtract,
        BinaryOperatorKind.Multiply => BinaryOp.Multiply,
        BinaryOperatorKind.Divide => BinaryOp.Divide,
        BinaryOperatorKind.Remainder => BinaryOp.Remainder,
        BinaryOperatorKind.Equals => BinaryOp.Equal,
        BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
        BinaryOperatorKind.LessThan => BinaryOp.Less,
        BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOp.Greater,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOperatorKind.And => BinaryOp.And,
        BinaryOperatorKind.Or => BinaryOp.Or,
        BinaryOperatorKind.ConditionalAnd => BinaryOp.ConditionalAnd,
        BinaryOperatorKind.ConditionalOr => BinaryOp.ConditionalOr,
        BinaryOperatorKind.ExclusiveOr => BinaryOp.ExclusiveOr,
        BinaryOperatorKind.LeftShift => BinaryOp.LeftShift,
        BinaryOperatorKind.RightShift => BinaryOp.RightShift,
        _ => null,
    };

    /// <summary>The type of a binary arithmetic result under C#'s numeric promotions (for compound assignments).</summary>
    private static IrType Promote(IrType left, IrType right)
    {
        static int Rank(ScalarKind kind) => kind switch
        {
            ScalarKind.Double => 4,
            ScalarKind.Float => 3,
            ScalarKind.Long => 2,
            ScalarKind.Int => 1,
            _ => 0,
        };

        return Rank(left.Scalar) >= Rank(right.Scalar) ? left.Element : right.Element;
    }

    private static string Literal(IrType type, int value) => type.Scalar switch
    {
        ScalarKind.Double => IndentedWriter.Literal((double)value),
        ScalarKind.Float => IndentedWriter.Literal((float)value),
        ScalarKind.Long => IndentedWriter.Literal((long)value),
        _ => IndentedWriter.Literal(value),
    };

    private static string? ConstantText(object constant, IrType type) => type.Scalar switch
    {
        ScalarKind.Double => IndentedWriter.Literal(System.Convert.ToDouble(constant, CultureInfo.InvariantCulture)),
        ScalarKind.Float => IndentedWriter.Literal(System.Convert.ToSingle(constant, CultureInfo.InvariantCulture)),
        ScalarKind.Int => IndentedWriter.Literal(System.Convert.ToInt32(constant, CultureInfo.InvariantCulture)),
        ScalarKind.Long => IndentedWriter.Literal(System.Convert.ToInt64(constant, CultureInfo.InvariantCulture)),
        ScalarKind.Bool when constant is bool b => b ? "true" : "false",
        _ => null,
    };
}
