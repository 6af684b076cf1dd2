using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Lowers the statements and expressions of a Tensor body to <see cref="TensorValue"/>s in single-assignment form.
/// Each Tensor local is bound to the value last assigned to it; a reassignment binds a new value, so nothing is
/// ever overwritten. Errors are reported and lowering goes on, so that one pass finds all of them.
/// </summary>
internal sealed class TensorBodyLowering
{
    private readonly LoweringContext _context;
    private readonly Dictionary<ISymbol, int> _bindings = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _names = new();
    private readonly HashSet<ISymbol> _failed = new(SymbolEqualityComparer.Default);
    private int _temporaries;

    public TensorBodyLowering(LoweringContext context) => _context = context;

    public List<TensorValue> Values { get; } = new();

    public void DeclareParameter(IParameterSymbol parameter)
    {
        _names.Add(parameter.Name);
        _bindings[parameter] = Add(new TensorValue(Naming.NameScope.Escape(parameter.Name), TensorOp.Parameter, EquatableArray<int>.Empty, EquatableArray<string>.Empty));
    }

    /// <summary>A scalar parameter: no value of its own, but its name is taken.</summary>
    public void ReserveName(string name) => _names.Add(name);

    /// <summary>The index of the returned value, or -1 when the body has no lowerable return.</summary>
    public int LowerMethodBody(SyntaxNode declaration)
    {
        var operation = _context.SemanticModel.GetOperation(declaration, _context.CancellationToken);
        var root = operation is IMethodBodyOperation body ? (IOperation?)body.BlockBody ?? body.ExpressionBody : null;
        if (root is null)
        {
            _context.Report("SG1016", declaration, "methods without a body");
            return -1;
        }

        var result = -1;
        LowerBlock(root, ref result);
        return result;
    }

    private void LowerBlock(IOperation block, ref int result)
    {
        foreach (var statement in block.ChildOperations)
        {
            if (result >= 0)
            {
                _context.Report("SG1016", statement.Syntax, "statements after the return");
                return;
            }

            LowerStatement(statement, ref result);
        }
    }

    private void LowerStatement(IOperation statement, ref int result)
    {
        switch (statement)
        {
            case IBlockOperation block:
                LowerBlock(block, ref result);
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
                {
                    LowerDeclarator(declarator);
                }

                break;
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment } when TensorMethodLowering.IsTensor(local.Type):
                Bind(local.Local, assignment.Value);
                break;
            case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { Target: ILocalReferenceOperation local } compound } when TensorMethodLowering.IsTensor(local.Type):
                if (_bindings.TryGetValue(local.Local, out var current) && BinaryOp(compound.OperatorKind, compound.Syntax) is { } op)
                {
                    var operand = LowerBinaryOperand(current, compound.Value, op, scalarOnLeft: false, compound.Syntax, local.Local.Name);
                    if (operand >= 0)
                    {
                        _bindings[local.Local] = operand;
                    }
                }

                break;
            case IExpressionStatementOperation { Operation: IAssignmentOperation { Target: IParameterReferenceOperation } } parameterWrite:
                _context.Report("SG1016", parameterWrite.Syntax, "assignments to parameters");
                break;
            case IReturnOperation { ReturnedValue: { } value }:
                result = LowerTensor(value, "_result");
                if (result < 0)
                {
                    // Reported at the expression; a non-negative index stops statements after it being reported too.
                    result = int.MaxValue;
                }

                break;
            case IEmptyOperation:
                break;
            default:
                _context.Report("SG1016", statement.Syntax, Describe(statement));
                break;
        }
    }

    private void LowerDeclarator(IVariableDeclaratorOperation declarator)
    {
        if (!TensorMethodLowering.IsTensor(declarator.Symbol.Type))
        {
            _context.Report("SG1016", declarator.Syntax, "locals that are not Tensors");
            return;
        }

        var initializer = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
        if (initializer is not null)
        {
            Bind(declarator.Symbol, initializer);
        }
    }

    private void Bind(ILocalSymbol local, IOperation value)
    {
        var index = LowerTensor(value, local.Name);
        if (index >= 0)
        {
            _bindings[local] = index;
            _failed.Remove(local);
        }
        else
        {
            _bindings.Remove(local);
            _failed.Add(local);
        }
    }

    /// <summary>Lowers a Tensor-typed expression; the value it produces is named <paramref name="name"/> when it is a new one.</summary>
    private int LowerTensor(IOperation operation, string? name)
    {
        switch (operation)
        {
            case IConversionOperation { IsImplicit: true } conversion when TensorMethodLowering.IsTensor(conversion.Operand.Type):
                return LowerTensor(conversion.Operand, name);
            case IParameterReferenceOperation parameter when _bindings.TryGetValue(parameter.Parameter, out var bound):
                return bound;
            case ILocalReferenceOperation local when _bindings.TryGetValue(local.Local, out var bound):
                return bound;
            case ILocalReferenceOperation local when _failed.Contains(local.Local):
                // Its initializer was already reported; do not report every use again.
                return -1;
            case IBinaryOperation binary:
                return BinaryOp(binary.OperatorKind, binary.Syntax) is { } op ? LowerBinary(binary.LeftOperand, binary.RightOperand, op, binary.Syntax, name) : -1;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } plus:
                return LowerTensor(plus.Operand, name);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } minus:
                return Unary(TensorOp.Neg, minus.Operand, name);
            case IPropertyReferenceOperation { Property.Name: "T", Instance: { } instance } property when IsTensorMember(property.Property):
                return Unary(TensorOp.T, instance, name);
            case IInvocationOperation invocation when IsTensorMember(invocation.TargetMethod):
                return LowerTensorCall(invocation, name);
            case IInvocationOperation invocation when Symbols.HasAttribute(invocation.TargetMethod, Symbols.DifferentiableAttribute):
                Unsupported(operation, "'" + Symbols.Display(invocation.TargetMethod) + "'", "calls to other [Differentiable] methods are not supported in a Tensor body yet; write the operations inline");
                return -1;
            case IInvocationOperation invocation:
                Unsupported(operation, "'" + Symbols.Display(invocation.TargetMethod) + "'", "only the Tensor operations listed in docs/tensor-methods.md have a derivative here");
                return -1;
            case IPropertyReferenceOperation property:
                Unsupported(operation, "'" + property.Property.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'", "only the Tensor operations listed in docs/tensor-methods.md have a derivative here");
                return -1;
            case IConditionalOperation:
                _context.Report("SG1016", operation.Syntax, "conditional expressions");
                return -1;
            default:
                Unsupported(operation, "'" + operation.Syntax + "'", "a Tensor value must be a parameter, a local, or a supported Tensor operation of those");
                return -1;
        }
    }

    private int LowerTensorCall(IInvocationOperation call, string? name)
    {
        var method = call.TargetMethod;
        var args = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        var tensorArgs = args.Count(a => TensorMethodLowering.IsTensor(a.Type));
        if (method.IsStatic)
        {
            // Tensor.Add(a, b) and friends are the operators spelled as calls.
            if (args.Count == 2 && method.Name switch { "Add" => BinaryOperatorKind.Add, "Sub" => BinaryOperatorKind.Subtract, "Mul" => BinaryOperatorKind.Multiply, "Div" => BinaryOperatorKind.Divide, _ => (BinaryOperatorKind?)null } is { } kind)
            {
                return LowerBinary(args[0], args[1], kind, call.Syntax, name);
            }

            return UnsupportedCall(call);
        }

        var self = call.Instance!;
        switch (method.Name, args.Count, tensorArgs)
        {
            case ("MatMul", 1, 1):
                return Op(TensorOp.MatMul, name, call.Syntax, new[] { self, args[0] });
            case ("Mm", 1, 1):
                return Op(TensorOp.Mm, name, call.Syntax, new[] { self, args[0] });
            case ("Tanh" or "Sigmoid" or "Relu" or "Exp" or "Log" or "Sqrt" or "Square" or "Neg" or "Detach", 0, 0):
                return Unary((TensorOp)System.Enum.Parse(typeof(TensorOp), method.Name), self, name);
            case ("Sum" or "Mean", 0, 0):
                return Unary(method.Name == "Sum" ? TensorOp.Sum : TensorOp.Mean, self, name);
            case ("Sum" or "Mean", 2, 0):
                return Op(method.Name == "Sum" ? TensorOp.SumDim : TensorOp.MeanDim, name, call.Syntax, new[] { self }, args);
            case ("Pow", 1, 0):
                return Op(TensorOp.Pow, name, call.Syntax, new[] { self }, args);
            case ("Softmax" or "LogSoftmax", 1, 0):
                return Op(method.Name == "Softmax" ? TensorOp.Softmax : TensorOp.LogSoftmax, name, call.Syntax, new[] { self }, args);
            case ("Transpose", 2, 0):
                return Op(TensorOp.Transpose, name, call.Syntax, new[] { self }, args);
            default:
                return UnsupportedCall(call);
        }
    }

    private int UnsupportedCall(IInvocationOperation call)
    {
        Unsupported(call, "'" + Symbols.Display(call.TargetMethod) + "'", "it has no derivative in the Tensor body language; supported: + - * / (tensors and scalars), unary -, MatMul, Mm, T, Transpose, Tanh, Sigmoid, Relu, Exp, Log, Sqrt, Square, Pow(scalar), Sum, Mean, Softmax, LogSoftmax, Detach");
        return -1;
    }

    private int LowerBinary(IOperation left, IOperation right, BinaryOperatorKind kind, SyntaxNode syntax, string? name)
    {
        var leftIsTensor = TensorMethodLowering.IsTensor(left.Type);
        var rightIsTensor = TensorMethodLowering.IsTensor(right.Type);
        if (leftIsTensor)
        {
            var a = LowerTensor(left, null);
            return a < 0 ? -1 : LowerBinaryOperand(a, right, kind, scalarOnLeft: false, syntax, name);
        }

        if (rightIsTensor)
        {
            var b = LowerTensor(right, null);
            return b < 0 ? -1 : LowerBinaryOperand(b, left, kind, scalarOnLeft: true, syntax, name);
        }

        Unsupported(left, "'" + syntax + "'", "a scalar expression cannot stand where a Tensor is expected");
        return -1;
    }

    /// <summary>Applies a binary operator to a lowered tensor and the other operand (a tensor or a scalar).</summary>
    private int LowerBinaryOperand(int tensor, IOperation other, BinaryOperatorKind kind, bool scalarOnLeft, SyntaxNode syntax, string? name)
    {
        if (TensorMethodLowering.IsTensor(other.Type))
        {
            var b = LowerTensor(other, null);
            if (b < 0)
            {
                return -1;
            }

            var op = kind switch { BinaryOperatorKind.Add => TensorOp.Add, BinaryOperatorKind.Subtract => TensorOp.Sub, BinaryOperatorKind.Multiply => TensorOp.Mul, _ => TensorOp.Div };
            return Add(new TensorValue(Fresh(name), op, new[] { tensor, b }.ToEquatableArray(), EquatableArray<string>.Empty));
        }

        var scalar = Scalar(other);
        if (scalar is null)
        {
            return -1;
        }

        var scalarOp = (kind, scalarOnLeft) switch
        {
            (BinaryOperatorKind.Add, _) => TensorOp.AddScalar,
            (BinaryOperatorKind.Multiply, _) => TensorOp.MulScalar,
            (BinaryOperatorKind.Subtract, false) => TensorOp.SubScalar,
            (BinaryOperatorKind.Subtract, true) => TensorOp.ScalarSub,
            (_, false) => TensorOp.DivScalar,
            _ => TensorOp.ScalarDiv,
        };
        return Add(new TensorValue(Fresh(name), scalarOp, new[] { tensor }.ToEquatableArray(), new[] { scalar }.ToEquatableArray()));
    }

    private int Unary(TensorOp op, IOperation operand, string? name) => Op(op, name, operand.Syntax, new[] { operand });

    private int Op(TensorOp op, string? name, SyntaxNode syntax, IOperation[] tensors, IReadOnlyList<IOperation>? scalars = null)
    {
        var operands = new List<int>();
        foreach (var tensor in tensors)
        {
            var index = LowerTensor(tensor, null);
            if (index < 0)
            {
                return -1;
            }

            operands.Add(index);
        }

        var texts = new List<string>();
        foreach (var scalar in scalars ?? System.Array.Empty<IOperation>())
        {
            var text = Scalar(scalar);
            if (text is null)
            {
                return -1;
            }

            texts.Add(text);
        }

        return Add(new TensorValue(Fresh(name), op, operands.ToEquatableArray(), texts.ToEquatableArray()));
    }

    private string? Scalar(IOperation operation)
    {
        var text = ScalarText.Print(operation, TensorName, out var unsupported);
        if (text is null)
        {
            var part = unsupported ?? operation;
            Unsupported(part, "'" + part.Syntax + "'", part is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } primary }
                ? "a primary-constructor parameter cannot be named in the generated part of the type; keep the value in a field or property ('private readonly " + primary.Type.ToDisplayString() + " _" + primary.Name + " = " + primary.Name + ";'), which is read as a constant"
                : "scalar arguments may only use constants, scalar parameters, + - * /, casts, and Size/NumElements/Dim of Tensors");
        }

        return text;
    }

    /// <summary>The generated name of a Tensor value used in a scalar argument (a shape query), or null.</summary>
    private string? TensorName(IOperation operation)
    {
        var index = operation switch
        {
            IParameterReferenceOperation p when _bindings.TryGetValue(p.Parameter, out var i) => i,
            ILocalReferenceOperation l when _bindings.TryGetValue(l.Local, out var i) => i,
            _ => -1,
        };
        return index < 0 ? null : Values[index].Name;
    }

    private BinaryOperatorKind? BinaryOp(BinaryOperatorKind kind, SyntaxNode syntax)
    {
        if (kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide)
        {
            return kind;
        }

        _context.Report("SG1015", syntax, "the operator in '" + syntax + "'", "only + - * / are differentiable on Tensors");
        return null;
    }

    private void Unsupported(IOperation at, string what, string why) => _context.Report("SG1015", at.Syntax, what, why);

    private int Add(TensorValue value)
    {
        Values.Add(value);
        return Values.Count - 1;
    }

    /// <summary>A new value's name: the local it is assigned to (made unique on reassignment), or a temporary.</summary>
    private string Fresh(string? name)
    {
        var baseName = name ?? "_t" + (_temporaries++).ToString(CultureInfo.InvariantCulture);
        var candidate = baseName;
        for (var i = 1; !_names.Add(candidate); i++)
        {
            candidate = "_" + baseName.TrimStart('_') + i.ToString(CultureInfo.InvariantCulture);
        }

        // A user's local keeps its name, escaped if it is a keyword (`@in`); a renamed one never is a keyword.
        return Naming.NameScope.Escape(candidate);
    }

    private static bool IsTensorMember(ISymbol member) => TensorMethodLowering.IsTensor(member.ContainingType);

    private static string Describe(IOperation statement) => statement switch
    {
        ILoopOperation => "loops",
        IConditionalOperation => "branches",
        ISwitchOperation => "switch statements",
        ITryOperation => "try statements",
        IUsingOperation => "using statements",
        ILocalFunctionOperation => "local functions",
        IReturnOperation => "returns without a value",
        IExpressionStatementOperation => "statements other than Tensor assignments",
        _ => "'" + statement.Kind + "' statements",
    };
}
