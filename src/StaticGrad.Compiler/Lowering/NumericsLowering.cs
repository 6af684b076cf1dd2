using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// System.Numerics on scalarised values: each operation is expanded into its definition on the leaves (the formulas
/// of <c>System.Numerics</c>' own implementation), so its derivative follows from the scalar rules of
/// <c>Derivatives.BuiltinRules</c> and needs no table of its own. Operands used more than once are bound to hidden
/// locals first (<see cref="Atom"/>), so nothing is computed twice. The norms (<c>Length</c>, <c>Distance</c>,
/// <c>Complex.Abs</c>) end in the table's norm square root (<c>Derivatives.NormRule</c>, emitted as Sqrt), whose
/// subgradient at a zero norm is 0, as PyTorch's; <c>Normalize</c> keeps Sqrt (its value is NaN there already).
/// </summary>
internal sealed partial class StatementLowering
{
    private static bool IsNumericsType(ITypeSymbol? type) =>
        type is not null && (StructLayout.IsNumerics(type, "Vector2") || StructLayout.IsNumerics(type, "Vector3") || StructLayout.IsNumerics(type, "Vector4")
            || StructLayout.IsNumerics(type, "Quaternion") || StructLayout.IsNumerics(type, "Complex") || StructLayout.IsNumerics(type, "Matrix4x4"));

    private static Expr Bin(BinaryOp op, Expr left, Expr right) => new BinaryExpr(left.Type, op, left, right, -1);

    private static Expr Add(Expr left, Expr right) => Bin(BinaryOp.Add, left, right);

    private static Expr Sub(Expr left, Expr right) => Bin(BinaryOp.Subtract, left, right);

    private static Expr Mul(Expr left, Expr right) => Bin(BinaryOp.Multiply, left, right);

    private static Expr Div(Expr left, Expr right) => Bin(BinaryOp.Divide, left, right);

    private static Expr Neg(Expr operand) => new UnaryExpr(operand.Type, UnaryOp.Negate, operand);

    private static Expr Lit(IrType type, double value) =>
        new ConstExpr(type, type.Scalar == ScalarKind.Float ? Emit.IndentedWriter.Literal((float)value) : Emit.IndentedWriter.Literal(value));

    private static Expr Sum(IEnumerable<Expr> terms) => terms.Aggregate(Add);

    private Expr Call(string function, SyntaxNode syntax, params Expr[] arguments) =>
        new BuiltinCallExpr(arguments[0].Type, arguments[0].Type.Scalar == ScalarKind.Float ? "global::System.MathF" : "global::System.Math", function, arguments.ToEquatableArray(), _context.Site(syntax));

    private static Expr Dot(StructValue a, StructValue b) => Sum(a.Leaves.Select((x, i) => Mul(x, b.Leaves[i])));

    private Expr? LowerNumericsScalar(IOperation operation)
    {
        var (name, instance, arguments) = Call(operation);
        if (name is null || !IsNumericsType(operation is IInvocationOperation i ? i.TargetMethod.ContainingType : (operation as IPropertyReferenceOperation)?.Property.ContainingType))
        {
            return null;
        }

        // The expansions read their operands in parameter order: named arguments written in another order first, as
        // written (a call no case expands is refused, so nothing is evaluated twice).
        if (operation is IInvocationOperation written)
        {
            LowerInWrittenOrder(written.Arguments, expanded: true, firstReadFirst: written.TargetMethod.Name is "Distance" or "DistanceSquared" or "Dot" && IsComponentwiseVector(written.TargetMethod.ContainingType));
        }

        var operands = (instance is null ? arguments : new[] { instance }.Concat(arguments)).ToList();
        var isComplex = operands.Count > 0 && StructLayout.IsNumerics(operands[0].Type, "Complex");
        switch (name)
        {
            case "Dot" when operands.Count == 2:
                return Dot(Atoms(LowerStruct(operands[0]), "_a"), Atoms(LowerStruct(operands[1]), "_b"));
            case "LengthSquared" when operands.Count == 1:
                {
                    var v = Atoms(LowerStruct(operands[0]), "_v");
                    return Dot(v, v);
                }

            case "Length" when operands.Count == 1:
            case "Abs" or "Magnitude" when isComplex && operands.Count == 1:
                {
                    var v = Atoms(LowerStruct(operands[0]), "_v");
                    return Call(Derivatives.NormRule.Function, operation.Syntax, Dot(v, v));
                }

            case "DistanceSquared" or "Distance" when operands.Count == 2:
                {
                    var a = LowerStruct(operands[0]);
                    var b = LowerStruct(operands[1]);
                    var d = Atoms(new StructValue(a.Layout, a.Leaves.Select((x, k) => Sub(x, b.Leaves[k])).ToArray()), "_d");
                    return name == "Distance" ? Call(Derivatives.NormRule.Function, operation.Syntax, Dot(d, d)) : Dot(d, d);
                }

            case "Phase" when isComplex && operands.Count == 1:
                {
                    var c = LowerStruct(operands[0]);
                    return Call("Atan2", operation.Syntax, c.Leaves[1], c.Leaves[0]);
                }

            default:
                return null;
        }
    }

    /// <summary>The method (or property) name, receiver and arguments of a call-like operation.</summary>
    private static (string? Name, IOperation? Instance, IReadOnlyList<IOperation> Arguments) Call(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => (invocation.TargetMethod.Name, invocation.Instance, invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList()),
        IPropertyReferenceOperation { Arguments.Length: 0 } property => (property.Property.Name, property.Instance, new List<IOperation>()),
        _ => (null, null, new List<IOperation>()),
    };

    private StructValue? LowerNumericsStruct(IOperation operation, StructLayout layout)
    {
        switch (operation)
        {
            case IBinaryOperation { OperatorMethod: { } method } binary:
                return LowerNumericsBinary(binary.OperatorKind, binary.LeftOperand, binary.RightOperand, method, layout, binary.Syntax);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: { } method } unary when IsNumericsType(method.ContainingType):
                return Map(LowerStruct(unary.Operand), Neg);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } unary when IsNumericsType(unary.Type):
                return LowerStruct(unary.Operand);
            case IConversionOperation { OperatorMethod: { } method } conversion when StructLayout.IsNumerics(method.ContainingType, "Complex") && !IsStruct(conversion.Operand.Type):
                return new StructValue(layout, new[] { Convert(LowerExpression(conversion.Operand), IrType.Double, conversion.Syntax), Lit(IrType.Double, 0) });
            case IInvocationOperation invocation when IsNumericsType(invocation.TargetMethod.ContainingType):
                return LowerNumericsFunction(invocation, layout);
            // A generic-math method's T.SinCos is lowered as double's (its text is retyped afterwards: double.SinPi → T.SinPi).
            case IInvocationOperation { TargetMethod: { Name: "SinCos" or "SinCosPi" } math, Arguments: [var argument] } invocation
                when (BuiltinContainer(math) ?? (GenericMath.IsInterfaceMember(math) ? "double" : null)) is { } container:
                {
                    var angle = Atom(LowerExpression(argument.Value), "_angle");
                    if (math.Name == "SinCosPi")
                    {
                        // SinPi and CosPi are members of double and float only.
                        var pi = new EquatableArray<Expr>(new[] { angle });
                        return new StructValue(layout, new Expr[] { new BuiltinCallExpr(angle.Type, container, "SinPi", pi, _context.Site(invocation.Syntax)), new BuiltinCallExpr(angle.Type, container, "CosPi", pi, _context.Site(invocation.Syntax)) });
                    }

                    return new StructValue(layout, new[] { Call("Sin", invocation.Syntax, angle), Call("Cos", invocation.Syntax, angle) });
                }

            default:
                return null;
        }
    }

    private static StructValue Map(StructValue value, System.Func<Expr, Expr> map) => new(value.Layout, value.Leaves.Select(map).ToArray());

    /// <summary>Vector2, Vector3, Vector4: their sums, differences, distances and dot products read X, Y, Z, W in order, the first operand's leaf first.</summary>
    private static bool IsComponentwiseVector(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Vector2" or "Vector3" or "Vector4", ContainingNamespace: { Name: "Numerics", ContainingNamespace.Name: "System" } };

    private static StructValue Zip(StructValue a, StructValue b, System.Func<Expr, Expr, Expr> map) => new(a.Layout, a.Leaves.Select((x, i) => map(x, b.Leaves[i])).ToArray());

    /// <summary><c>a op b</c> on System.Numerics values (and a user struct's operator, read through when its body is one expression).</summary>
    private StructValue? LowerNumericsBinary(BinaryOperatorKind kind, IOperation left, IOperation right, IMethodSymbol? method, StructLayout layout, SyntaxNode syntax)
    {
        if (method is null || !IsNumericsType(method.ContainingType))
        {
            return Inline(left.Parent ?? left, method, null, new[] { left, right }, LowerStruct) ?? LowerUserOperatorStruct(left.Parent ?? left, method, new[] { left, right }, layout);
        }

        var leftIsStruct = IsStruct(left.Type) && !StructLayout.IsNumerics(left.Type, "Matrix4x4");
        var rightIsStruct = IsStruct(right.Type) && !StructLayout.IsNumerics(right.Type, "Matrix4x4");
        var isComplex = StructLayout.IsNumerics(layout.Type, "Complex");
        var isQuaternion = StructLayout.IsNumerics(layout.Type, "Quaternion");

        // A Matrix4x4 operand has no expansion here (its product or sum is refused once, before its operands are read).
        if (!StructLayout.IsNumerics(left.Type, "Matrix4x4") && !StructLayout.IsNumerics(right.Type, "Matrix4x4"))
        {
            LowerOperandsAhead(left, right, componentwise: kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract && leftIsStruct && rightIsStruct && !isComplex && !isQuaternion);
        }

        switch (kind)
        {
            case BinaryOperatorKind.Add or BinaryOperatorKind.Subtract when leftIsStruct && rightIsStruct:
                return Zip(LowerStruct(left), LowerStruct(right), kind == BinaryOperatorKind.Add ? Add : Sub);
            case BinaryOperatorKind.Add or BinaryOperatorKind.Subtract when isComplex:
                {
                    var a = ComplexOperand(left);
                    var b = ComplexOperand(right);
                    return Zip(a, b, kind == BinaryOperatorKind.Add ? Add : Sub);
                }

            case BinaryOperatorKind.Multiply when isQuaternion && leftIsStruct && rightIsStruct:
                return QuaternionProduct(Atoms(LowerStruct(left), "_q1"), Atoms(LowerStruct(right), "_q2"));
            case BinaryOperatorKind.Multiply when isComplex:
                {
                    var a = Atoms(ComplexOperand(left), "_a");
                    var b = Atoms(ComplexOperand(right), "_b");
                    return new StructValue(layout, new[]
                    {
                        Sub(Mul(a.Leaves[0], b.Leaves[0]), Mul(a.Leaves[1], b.Leaves[1])),
                        Add(Mul(a.Leaves[0], b.Leaves[1]), Mul(a.Leaves[1], b.Leaves[0])),
                    });
                }

            case BinaryOperatorKind.Divide when isComplex:
                {
                    var a = Atoms(ComplexOperand(left), "_a");
                    var b = Atoms(ComplexOperand(right), "_b");
                    var denominator = Atom(Add(Mul(b.Leaves[0], b.Leaves[0]), Mul(b.Leaves[1], b.Leaves[1])), "_denominator");
                    return new StructValue(layout, new[]
                    {
                        Div(Add(Mul(a.Leaves[0], b.Leaves[0]), Mul(a.Leaves[1], b.Leaves[1])), denominator),
                        Div(Sub(Mul(a.Leaves[1], b.Leaves[0]), Mul(a.Leaves[0], b.Leaves[1])), denominator),
                    });
                }

            case BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide when leftIsStruct && rightIsStruct:
                return Zip(LowerStruct(left), LowerStruct(right), kind == BinaryOperatorKind.Multiply ? Mul : Div);
            case BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide when leftIsStruct && !IsStruct(right.Type):
                {
                    var scalar = Atom(Convert(LowerExpression(right), layout.Leaves[0].Type, syntax), "_s");
                    return Map(LowerStruct(left), x => kind == BinaryOperatorKind.Multiply ? Mul(x, scalar) : Div(x, scalar));
                }

            case BinaryOperatorKind.Multiply when rightIsStruct && !IsStruct(left.Type):
                {
                    var scalar = Atom(Convert(LowerExpression(left), layout.Leaves[0].Type, syntax), "_s");
                    return Map(LowerStruct(right), x => Mul(scalar, x));
                }

            default:
                return null;
        }
    }

    /// <summary>A Complex operand, or a real number as one (<c>c * 2.0</c>).</summary>
    private StructValue ComplexOperand(IOperation operand) =>
        IsStruct(operand.Type)
            ? LowerStruct(operand)
            : new StructValue(StructLayout.Of(FindComplex(operand))!, new[] { Convert(LowerExpression(operand), IrType.Double, operand.Syntax), Lit(IrType.Double, 0) });

    private ITypeSymbol FindComplex(IOperation operand) =>
        _context.SemanticModel.Compilation.GetTypeByMetadataName("System.Numerics.Complex")!;

    private static StructValue QuaternionProduct(StructValue q1, StructValue q2)
    {
        var (x1, y1, z1, w1) = (q1.Leaves[0], q1.Leaves[1], q1.Leaves[2], q1.Leaves[3]);
        var (x2, y2, z2, w2) = (q2.Leaves[0], q2.Leaves[1], q2.Leaves[2], q2.Leaves[3]);
        return new StructValue(q1.Layout, new[]
        {
            Add(Add(Mul(x1, w2), Mul(x2, w1)), Sub(Mul(y1, z2), Mul(z1, y2))),
            Add(Add(Mul(y1, w2), Mul(y2, w1)), Sub(Mul(z1, x2), Mul(x1, z2))),
            Add(Add(Mul(z1, w2), Mul(z2, w1)), Sub(Mul(x1, y2), Mul(y1, x2))),
            Sub(Mul(w1, w2), Add(Add(Mul(x1, x2), Mul(y1, y2)), Mul(z1, z2))),
        });
    }

    private StructValue? LowerNumericsFunction(IInvocationOperation invocation, StructLayout layout)
    {
        var (name, instance, arguments) = Call(invocation);

        // The expansions read their operands in parameter order: named arguments written in another order first, as written.
        LowerInWrittenOrder(invocation.Arguments, expanded: true, firstReadFirst: name is "Add" or "Subtract" && IsComponentwiseVector(invocation.TargetMethod.ContainingType));
        var operands = (instance is null ? arguments : new[] { instance }.Concat(arguments)).ToList();
        var syntax = invocation.Syntax;
        StructValue Arg(int index, string hint) => Atoms(LowerStruct(operands[index]), hint);
        Expr Scalar(int index, string hint) => Atom(Convert(LowerExpression(operands[index]), layout.Leaves[0].Type, syntax), hint);
        bool IsVectorArgument(int index) => index < operands.Count && IsStruct(operands[index].Type) && !StructLayout.IsNumerics(operands[index].Type, "Matrix4x4") && !StructLayout.IsNumerics(operands[index].Type, "Quaternion");
        var isComplex = StructLayout.IsNumerics(layout.Type, "Complex");
        switch (name)
        {
            case "Add" or "Subtract" or "Multiply" or "Divide" when operands.Count == 2 && invocation.TargetMethod.IsStatic:
                {
                    var kind = name switch
                    {
                        "Add" => BinaryOperatorKind.Add,
                        "Subtract" => BinaryOperatorKind.Subtract,
                        "Multiply" => BinaryOperatorKind.Multiply,
                        _ => BinaryOperatorKind.Divide,
                    };
                    return LowerNumericsBinary(kind, operands[0], operands[1], invocation.TargetMethod, layout, syntax);
                }

            case "Negate" when operands.Count == 1:
                return Map(LowerStruct(operands[0]), Neg);
            case "Conjugate" when operands.Count == 1:
                {
                    var v = LowerStruct(operands[0]);
                    return new StructValue(layout, v.Leaves.Select((x, i) => i < v.Leaves.Length - 1 || isComplex ? (isComplex && i == 0 ? x : Neg(x)) : x).ToArray());
                }

            case "Normalize" when operands.Count == 1:
                {
                    var v = Arg(0, "_v");
                    var length = Atom(Call("Sqrt", syntax, Dot(v, v)), "_length");
                    return Map(v, x => Div(x, length));
                }

            case "Inverse" when operands.Count == 1 && StructLayout.IsNumerics(layout.Type, "Quaternion"):
                {
                    var q = Arg(0, "_q");
                    var squared = Atom(Dot(q, q), "_lengthSquared");
                    return new StructValue(layout, q.Leaves.Select((x, i) => Div(i < 3 ? Neg(x) : x, squared)).ToArray());
                }

            case "Cross" when operands.Count == 2:
                {
                    var a = Arg(0, "_a");
                    var b = Arg(1, "_b");
                    return new StructValue(layout, new[]
                    {
                        Sub(Mul(a.Leaves[1], b.Leaves[2]), Mul(a.Leaves[2], b.Leaves[1])),
                        Sub(Mul(a.Leaves[2], b.Leaves[0]), Mul(a.Leaves[0], b.Leaves[2])),
                        Sub(Mul(a.Leaves[0], b.Leaves[1]), Mul(a.Leaves[1], b.Leaves[0])),
                    });
                }

            case "Lerp" when operands.Count == 3 && IsVectorArgument(0) && IsVectorArgument(1) && !IsStruct(operands[2].Type):
                {
                    var a = Arg(0, "_a");
                    var b = LowerStruct(operands[1]);
                    var t = Scalar(2, "_t");
                    return Zip(a, b, (x, y) => Add(x, Mul(Sub(y, x), t)));
                }

            case "Min" or "Max" when operands.Count == 2:
                return Zip(LowerStruct(operands[0]), LowerStruct(operands[1]), (x, y) => Call(name, syntax, x, y));
            case "Clamp" when operands.Count == 3:
                {
                    var v = LowerStruct(operands[0]);
                    var low = LowerStruct(operands[1]);
                    var high = LowerStruct(operands[2]);
                    return new StructValue(layout, v.Leaves.Select((x, i) => Call("Min", syntax, Call("Max", syntax, x, low.Leaves[i]), high.Leaves[i])).ToArray());
                }

            case "Abs" when operands.Count == 1 && !isComplex:
                return Map(LowerStruct(operands[0]), x => Call("Abs", syntax, x));
            case "SquareRoot" when operands.Count == 1:
                return Map(LowerStruct(operands[0]), x => Call("Sqrt", syntax, x));
            case "Reflect" when operands.Count == 2:
                {
                    var v = Arg(0, "_v");
                    var n = Arg(1, "_n");
                    var twiceDot = Atom(Mul(Lit(v.Leaves[0].Type, 2), Dot(v, n)), "_twiceDot");
                    return Zip(v, n, (x, y) => Sub(x, Mul(twiceDot, y)));
                }

            case "Transform" or "TransformNormal" when operands.Count == 2 && StructLayout.IsNumerics(operands[1].Type, "Matrix4x4"):
                return TransformByMatrix(Arg(0, "_v"), LowerStruct(operands[1]), name == "Transform", layout);
            case "Transform" when operands.Count == 2 && StructLayout.IsNumerics(operands[1].Type, "Quaternion") && layout.Leaves.Count is 2 or 3:
                return Rotate(Arg(0, "_v"), Arg(1, "_q"), layout);
            case "Concatenate" when operands.Count == 2:
                return QuaternionProduct(Arg(1, "_q2"), Arg(0, "_q1"));
            case "CreateFromAxisAngle" when operands.Count == 2:
                {
                    var axis = LowerStruct(operands[0]);
                    var half = Atom(Mul(Convert(LowerExpression(operands[1]), IrType.Float, syntax), Lit(IrType.Float, 0.5)), "_halfAngle");
                    var sine = Atom(Call("Sin", syntax, half), "_sin");
                    return new StructValue(layout, axis.Leaves.Select(x => Mul(x, sine)).Concat(new[] { Call("Cos", syntax, half) }).ToArray());
                }

            case "CreateFromYawPitchRoll" when operands.Count == 3 && layout.Leaves.Count == 4:
                {
                    // System.Numerics' product of the half-angle rotations about y (yaw), x (pitch) and z (roll), in (X, Y, Z, W).
                    Expr Half(int i, string name) => Atom(Mul(Convert(LowerExpression(operands[i]), IrType.Float, syntax), Lit(IrType.Float, 0.5)), name);
                    var (yaw, pitch, roll) = (Half(0, "_halfYaw"), Half(1, "_halfPitch"), Half(2, "_halfRoll"));
                    var (sy, cy) = (Atom(Call("Sin", syntax, yaw), "_sy"), Atom(Call("Cos", syntax, yaw), "_cy"));
                    var (sp, cp) = (Atom(Call("Sin", syntax, pitch), "_sp"), Atom(Call("Cos", syntax, pitch), "_cp"));
                    var (sr, cr) = (Atom(Call("Sin", syntax, roll), "_sr"), Atom(Call("Cos", syntax, roll), "_cr"));
                    return new StructValue(layout, new[]
                    {
                        Add(Mul(Mul(cy, sp), cr), Mul(Mul(sy, cp), sr)),
                        Sub(Mul(Mul(sy, cp), cr), Mul(Mul(cy, sp), sr)),
                        Sub(Mul(Mul(cy, cp), sr), Mul(Mul(sy, sp), cr)),
                        Add(Mul(Mul(cy, cp), cr), Mul(Mul(sy, sp), sr)),
                    });
                }

            case "Exp" when isComplex && operands.Count == 1:
                {
                    var c = Arg(0, "_c");
                    var magnitude = Atom(Call("Exp", syntax, c.Leaves[0]), "_magnitude");
                    return new StructValue(layout, new[] { Mul(magnitude, Call("Cos", syntax, c.Leaves[1])), Mul(magnitude, Call("Sin", syntax, c.Leaves[1])) });
                }

            case "Log" when isComplex && operands.Count == 1:
                {
                    var c = Arg(0, "_c");
                    return new StructValue(layout, new[]
                    {
                        Mul(Lit(IrType.Double, 0.5), Call("Log", syntax, Add(Mul(c.Leaves[0], c.Leaves[0]), Mul(c.Leaves[1], c.Leaves[1])))),
                        Call("Atan2", syntax, c.Leaves[1], c.Leaves[0]),
                    });
                }

            case "FromPolarCoordinates" when isComplex && operands.Count == 2:
                {
                    var magnitude = Atom(LowerExpression(operands[0]), "_magnitude");
                    var phase = Atom(LowerExpression(operands[1]), "_phase");
                    return new StructValue(layout, new[] { Mul(magnitude, Call("Cos", syntax, phase)), Mul(magnitude, Call("Sin", syntax, phase)) });
                }

            default:
                return null;
        }
    }

    /// <summary><c>Vector.Transform(v, m)</c>: the row vector (v, 1) times the matrix (<c>TransformNormal</c>: (v, 0)).</summary>
    private static StructValue? TransformByMatrix(StructValue v, StructValue m, bool translate, StructLayout layout)
    {
        if (v.Leaves.Length != layout.Leaves.Count || m.Leaves.Length != 16)
        {
            return null;
        }

        var rows = v.Leaves.Length == 4 ? 4 : v.Leaves.Length;
        var result = new Expr[layout.Leaves.Count];
        for (var column = 0; column < result.Length; column++)
        {
            var terms = Enumerable.Range(0, rows).Select(row => Mul(v.Leaves[row], m.Leaves[(row * 4) + column])).ToList();
            if (translate && v.Leaves.Length < 4)
            {
                terms.Add(m.Leaves[12 + column]);
            }

            result[column] = Sum(terms);
        }

        return new StructValue(layout, result);
    }

    /// <summary><c>Vector3.Transform(v, q)</c>: rotation by a unit quaternion, System.Numerics' formula.</summary>
    private StructValue Rotate(StructValue v, StructValue q, StructLayout layout)
    {
        var (x, y, z, w) = (q.Leaves[0], q.Leaves[1], q.Leaves[2], q.Leaves[3]);
        var x2 = Atom(Add(x, x), "_x2");
        var y2 = Atom(Add(y, y), "_y2");
        var z2 = Atom(Add(z, z), "_z2");
        var wx2 = Atom(Mul(w, x2), "_wx2");
        var wy2 = Atom(Mul(w, y2), "_wy2");
        var wz2 = Atom(Mul(w, z2), "_wz2");
        var xx2 = Atom(Mul(x, x2), "_xx2");
        var xy2 = Atom(Mul(x, y2), "_xy2");
        var xz2 = Atom(Mul(x, z2), "_xz2");
        var yy2 = Atom(Mul(y, y2), "_yy2");
        var yz2 = Atom(Mul(y, z2), "_yz2");
        var zz2 = Atom(Mul(z, z2), "_zz2");
        var one = Lit(IrType.Float, 1);
        var vx = v.Leaves[0];
        var vy = v.Leaves[1];
        if (layout.Leaves.Count == 2)
        {
            return new StructValue(layout, new[]
            {
                Add(Mul(vx, Sub(Sub(one, yy2), zz2)), Mul(vy, Sub(xy2, wz2))),
                Add(Mul(vx, Add(xy2, wz2)), Mul(vy, Sub(Sub(one, xx2), zz2))),
            });
        }

        var vz = v.Leaves[2];
        return new StructValue(layout, new[]
        {
            Add(Add(Mul(vx, Sub(Sub(one, yy2), zz2)), Mul(vy, Sub(xy2, wz2))), Mul(vz, Add(xz2, wy2))),
            Add(Add(Mul(vx, Add(xy2, wz2)), Mul(vy, Sub(Sub(one, xx2), zz2))), Mul(vz, Sub(yz2, wx2))),
            Add(Add(Mul(vx, Sub(xz2, wy2)), Mul(vy, Add(yz2, wx2))), Mul(vz, Sub(Sub(one, xx2), yy2))),
        });
    }
}
