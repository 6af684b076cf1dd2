using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Static members of the generic-math interfaces reached through a method's floating type parameter: read as
/// double's, so that <c>T.Exp(x)</c> has the rule of <c>double.Exp</c> (the generated code is retyped to T later).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary><c>T.Exp(x)</c>, <c>T.CreateChecked(2)</c>, <c>T.IsNaN(x)</c>; null when the call is not one.</summary>
    private Expr? LowerGenericMathCall(IInvocationOperation invocation, IrType? type)
    {
        var method = invocation.TargetMethod;
        if (!GenericMath.IsInterfaceMember(method) || type is null || type.IsCollection || invocation.Arguments.Any(a => a.Parameter is null || a.Parameter.RefKind != RefKind.None))
        {
            return null;
        }

        if (method.Name is "CreateChecked" or "CreateSaturating" or "CreateTruncating" && invocation.Arguments.Length == 1)
        {
            // A constant (T.CreateChecked(1.68f), T.CreateChecked(1.0 / 3.0)) is that constant at T: printed once and
            // seen by the constant folds as a number, as the double method's literal is. A conversion otherwise.
            // Any other constant (a long beyond 2^53) stays the user's conversion of it: Convert would fold it to a double.
            var argument = invocation.Arguments[0].Value;
            return GenericConstant(argument, type)
                ?? (LowerExpression(argument) is var operand && operand is ConstExpr ? new CastExpr(type, operand, _context.Site(invocation.Syntax)) : Convert(operand, type, invocation.Syntax));
        }

        var arguments = LowerArgumentsInWrittenOrder(invocation.Arguments);

        if (BuiltinRules.Find(method.Name, arguments.Length) is not null)
        {
            return new BuiltinCallExpr(type, "double", method.Name, arguments.ToEquatableArray(), _context.Site(invocation.Syntax));
        }

        // A predicate (T.IsNaN) or another member without a derivative: called like double's, checked like any opaque call.
        var target = new CallTarget(CallKind.Opaque, "double." + method.Name, string.Empty, Symbols.Key(method), "T." + method.Name, method.Parameters.Select(Symbols.RulePassing).ToEquatableArray());
        return new MethodCallExpr(type, target, arguments.ToEquatableArray(), _context.Site(invocation.Syntax));
    }

    /// <summary>
    /// <c>T.CreateChecked(c)</c> (or Saturating/Truncating) of a compile-time constant <c>c</c>, as a double literal the
    /// retyping prints <c>T.CreateChecked(literal)</c>; null when that could round differently from the user's call.
    /// </summary>
    /// <remarks>
    /// The generated call converts the double to T once. The user's converts c from its own type once. These agree
    /// when c's value is exactly a double: a double or a float constant always (float → double is exact), an integer
    /// up to 2^53 in magnitude. A larger integer, a decimal or a char keeps the conversion (long → double → float
    /// would round twice). The three conversions agree on every such value when T is floating (no saturation or
    /// truncation for a finite value; a non-finite constant keeps the conversion too).
    /// </remarks>
    private static Expr? GenericConstant(IOperation argument, IrType type)
    {
        if (type.Scalar != ScalarKind.Double || argument.ConstantValue is not { HasValue: true, Value: { } constant })
        {
            return null;
        }

        double? value = constant switch
        {
            double d => d,
            float f => f,
            int or long or short or sbyte or byte or ushort or uint => System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture),
            ulong u => u,
            _ => null,
        };
        const double exactIntegers = 9007199254740992.0; // 2^53: every integer of smaller magnitude is a double, and one that rounds to it is not
        var exact = value is { } v && !double.IsNaN(v) && !double.IsInfinity(v)
            && (constant is double or float || System.Math.Abs(v) < exactIntegers);
        return exact ? new ConstExpr(type, Emit.IndentedWriter.Literal(value!.Value)) : null;
    }

    /// <summary>
    /// A pattern's integer constant tested against a floating value: C# converts it for <c>T</c> (<c>x is &lt; 0</c>), and
    /// the generated code must spell it as a floating literal so that it can be retyped to <c>T</c>.
    /// </summary>
    private static Expr AsFloatingConstant(IrType type, Expr constant) =>
        type.IsFloating && constant is ConstExpr { Type.Scalar: ScalarKind.Int or ScalarKind.Long } c && long.TryParse(c.Text.TrimEnd('L'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? new ConstExpr(type, type.Scalar == ScalarKind.Float ? Emit.IndentedWriter.Literal((float)number) : Emit.IndentedWriter.Literal((double)number))
            : constant;

    /// <summary>
    /// <c>(float)h</c> of a <c>System.Half</c> value: Half data (a parameter, a table) is read through float as a
    /// constant. Arithmetic in Half itself is generic math: write the method over <c>T</c> and call it with Half.
    /// </summary>
    private Expr? LowerHalfConversion(IConversionOperation conversion, IrType? type)
    {
        if (conversion.OperatorMethod?.ContainingType?.ToDisplayString() != "System.Half")
        {
            return null;
        }

        if (conversion.Operand is ILocalReferenceOperation { Local: var local } && _refused.Contains(local))
        {
            return s_error;
        }

        if (type is { IsFloating: true } && ConstantText(conversion.Operand) is { } half)
        {
            return new ConstExpr(type, "((" + type.CSharp + ")" + half + ")");
        }

        // An element of a Half table (a field, a [NoGrad] or configuration array) at an index of the body.
        if (type is { IsFloating: true } && SkipConversions(conversion.Operand) is IArrayElementReferenceOperation { Indices: [var index], ArrayReference: var table }
            && ConstantText(table) is { } tableText && LowerExpression(index) is { Type.Scalar: ScalarKind.Int } loweredIndex)
        {
            return new CastExpr(type, new ElementExpr(IrType.Opaque("global::System.Half"), tableText, loweredIndex), _context.Site(conversion.Syntax));
        }

        return Unsupported(conversion, "conversions to or from 'Half' of values that carry a derivative ('" + Shorten(conversion) + "'; compute in float, or write the method over T : IFloatingPointIeee754<T> and call it with Half)");
    }
}
