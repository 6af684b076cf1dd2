using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Guard and diagnostic code (<c>throw</c>, <c>ArgumentOutOfRangeException.ThrowIfNegative(x)</c>, <c>Debug.Assert</c>,
/// <c>Console.WriteLine</c>, a discarded call): it runs in the forward sweep where it stands and has no derivative.
/// Its text is rebuilt from the operations, fully qualified (the generated file has none of the user's usings), with
/// the body's values as IR holes so they print under their generated names.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary><c>throw e;</c> as a statement of the body.</summary>
    private void LowerThrowStatement(IThrowOperation throwOperation, List<Stmt> output)
    {
        if (throwOperation.Exception is null)
        {
            UnsupportedStatement(throwOperation, "'throw;' outside a catch block");
            return;
        }

        if (Effect(throwOperation, "throw ", throwOperation.Exception, ";") is { } effect)
        {
            output.Add(effect);
        }
    }

    /// <summary>A call whose result is discarded (<c>Debug.Assert(…)</c>, <c>Console.WriteLine(…)</c>, <c>_ = Log(…)</c>).</summary>
    private void LowerDiscardedCall(IOperation call, List<Stmt> output)
    {
        if (call.DescendantsAndSelf().FirstOrDefault(o => o is IArgumentOperation or IInvocationOperation && WritableArrayArgument(o) is not null) is { } writer)
        {
            UnsupportedStatement(writer, "calls that may write to the method's arrays or spans ('" + WritableArrayArgument(writer) + "' is passed as a writable array or span; pass it as a ReadOnlySpan, or write the loop in the body)");
            return;
        }

        foreach (var invocation in call.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            NoteMemberWrites(invocation, invocation.TargetMethod);
        }

        // A value-returning call discards its result explicitly: the hole's parentheses would not be a statement.
        var prefix = call.Type is null or { SpecialType: SpecialType.System_Void } ? string.Empty : "_ = ";
        if (Effect(call, prefix, call, ";") is { } effect)
        {
            output.Add(effect);
        }
    }

    private string? WritableArrayArgument(IOperation operation)
    {
        var value = operation switch
        {
            IArgumentOperation argument => argument.Value,
            IInvocationOperation invocation => invocation.Instance,
            _ => null,
        };
        if (value is null)
        {
            return null;
        }

        value = SkipConversions(value);

        // A helper whose source here only reads the array (a log line printing elements) cannot change it.
        if (operation is IArgumentOperation { Parameter: { } readParameter, Parent: IInvocationOperation { TargetMethod: var callee } }
            && callee.OriginalDefinition.DeclaringSyntaxReferences.Length > 0 && !Symbols.HasAttribute(callee, Symbols.DifferentiableAttribute)
            && OnlyReads(callee, readParameter))
        {
            return null;
        }

        var parameterType = operation is IArgumentOperation { Parameter: { } parameter } ? parameter.Type : null;
        var type = TypeMapping.ToIrType(parameterType ?? value.Type);

        // An array passed as System.Array, object or a writable collection interface (Array.Clear(a, i, 1), IList<double>)
        // can be written through it just as well, and one passed as object or IEnumerable can be kept (List<object>.Add)
        // and written later: only the read-only views of methods known to keep nothing keep the elements safe.
        var knownReader = operation is IArgumentOperation { Parameter: { } viewed, Parent: IInvocationOperation { TargetMethod: var library } } && LibraryOnlyReads(library, viewed);
        if (type is not { IsCollection: true } && parameterType is not null && !(IsReadOnlyView(parameterType) && knownReader))
        {
            type = TypeMapping.ToIrType(value.Type);
        }

        return type is { IsCollection: true, Shape: not ShapeKind.ReadOnlySpan } && value is ILocalReferenceOperation or IParameterReferenceOperation
            ? value.Syntax.ToString()
            : null;
    }

    /// <summary>
    /// Parameter types through which a callee reads an array's elements or only looks at the reference: the read-only
    /// collection interfaces, and object (a guard such as <c>ArgumentNullException.ThrowIfNull(a)</c>, a log line; writing
    /// through it would need a cast back to the array).
    /// </summary>
    private static bool IsReadOnlyView(ITypeSymbol type) =>
        type.OriginalDefinition.SpecialType is SpecialType.System_Object or SpecialType.System_Collections_IEnumerable or SpecialType.System_Collections_Generic_IEnumerable_T
            or SpecialType.System_Collections_Generic_IReadOnlyList_T or SpecialType.System_Collections_Generic_IReadOnlyCollection_T;

    /// <summary>The effect <c>prefix operation suffix</c>, or null (after one SG1002 at the part that cannot be written).</summary>
    private EffectStmt? Effect(IOperation statement, string prefix, IOperation operation, string suffix)
    {
        if (RefusedEffect(operation))
        {
            return null;
        }

        var writer = new EffectWriter();
        writer.Text(prefix);
        if (!PrintInactive(operation, writer, out var unprintable))
        {
            UnsupportedStatement(unprintable ?? statement, unprintable is IAnonymousFunctionOperation
                ? "lambdas with statements or assignments in a call whose result is discarded ('" + Shorten(unprintable) + "'; write the loop in the body, or pass a lambda that only computes a value)"
                : "guard or logging code with '" + Shorten(unprintable ?? statement) + "' (keep checks and log lines to calls, 'new', strings and the method's values)");
            return null;
        }

        writer.Text(suffix);
        return writer.ToStatement();
    }

    /// <summary>Writes C# for an operation that takes no part in differentiation; false with the first part it cannot write.</summary>
    private bool PrintInactive(IOperation operation, EffectWriter w, out IOperation? unprintable)
    {
        unprintable = null;
        if (IsLambdaParameter(operation))
        {
            w.Text(Naming.NameScope.Escape(((IParameterReferenceOperation)operation).Parameter.Name));
            return true;
        }

        if (TypeMapping.ToIrType(operation.Type) is not null && operation is not IInvocationOperation { Type.SpecialType: SpecialType.System_Void } && !ReadsLambdaParameter(operation))
        {
            w.Hole(LowerExpression(operation));
            return true;
        }

        if (operation.ConstantValue is { HasValue: true } constant)
        {
            w.Text(EffectLiteral(constant.Value, operation.Type));
            return true;
        }

        switch (operation)
        {
            case IConversionOperation { IsImplicit: true } conversion:
                return PrintInactive(conversion.Operand, w, out unprintable);
            case IConversionOperation { OperatorMethod: null } conversion when conversion.Type is not null:
                w.Text("((" + Qualified(conversion.Type) + ")(");
                var converted = PrintInactive(conversion.Operand, w, out unprintable);
                w.Text("))");
                return converted;
            case IParenthesizedOperation parenthesized:
                return PrintInactive(parenthesized.Operand, w, out unprintable);
            case IInvocationOperation invocation when invocation.TargetMethod.MethodKind != MethodKind.LocalFunction:
                return PrintInvocation(invocation, w, out unprintable);
            case IObjectCreationOperation { Initializer: null, Constructor: { } constructor } creation:
                w.Text("new " + Qualified(creation.Type!) + "(");
                var created = PrintArguments(creation.Arguments, w, out unprintable);
                w.Text(")");
                return created;
            case IInterpolatedStringHandlerCreationOperation handler:
                return PrintInactive(handler.Content, w, out unprintable);
            case IInterpolatedStringOperation { Syntax: InterpolatedStringExpressionSyntax syntax }:
                return PrintInterpolatedString(syntax, w, out unprintable);
            case IBinaryOperation { OperatorMethod: null, Syntax: BinaryExpressionSyntax syntax } binary:
                {
                    w.Text("(");
                    var printed = PrintInactive(binary.LeftOperand, w, out unprintable) && w.Text(" " + syntax.OperatorToken.Text + " ") && PrintInactive(binary.RightOperand, w, out unprintable);
                    w.Text(")");
                    return printed;
                }

            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                {
                    w.Text("(");
                    var printed = PrintInactive(conditional.Condition, w, out unprintable) && w.Text(" ? ")
                        && PrintInactive(conditional.WhenTrue, w, out unprintable) && w.Text(" : ")
                        && PrintInactive(whenFalse, w, out unprintable);
                    w.Text(")");
                    return printed;
                }

            case IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }:
                {
                    var member = ((IMemberReferenceOperation)operation).Member;
                    var instance = ((IMemberReferenceOperation)operation).Instance;
                    if (member.IsStatic)
                    {
                        w.Text(Qualified(member.ContainingType) + "." + member.Name);
                        return true;
                    }

                    if (instance is null or IInstanceReferenceOperation)
                    {
                        w.Text("this." + member.Name);
                        return true;
                    }

                    if (instance is not null && ReadsLambdaParameter(instance))
                    {
                        return PrintInactive(instance, w, out unprintable) && w.Text("." + member.Name);
                    }

                    break;
                }

            case IDefaultValueOperation { Type: { } type }:
                w.Text("default(" + Qualified(type) + ")");
                return true;
            case ITypeOfOperation typeOf:
                w.Text("typeof(" + Qualified(typeOf.TypeOperand) + ")");
                return true;
            case IInstanceReferenceOperation:
                w.Text("this");
                return true;
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                return PrintLambda(lambda, w, out unprintable);
            case IAnonymousFunctionOperation lambda:
                return PrintLambda(lambda, w, out unprintable);
            case IParameterReferenceOperation or ILocalReferenceOperation when ConstantText(operation) is { } configuration:
                w.Text(configuration);
                return true;
        }

        unprintable = operation;
        return false;
    }

    private bool PrintInvocation(IInvocationOperation invocation, EffectWriter w, out IOperation? unprintable)
    {
        unprintable = null;
        var method = invocation.TargetMethod;
        if (method.IsStatic)
        {
            w.Text(Qualified(method.ContainingType) + "." + method.Name);
        }
        else if (invocation.Instance is null or IInstanceReferenceOperation)
        {
            w.Text("this." + method.Name);
        }
        else
        {
            if (!PrintInactive(invocation.Instance, w, out unprintable))
            {
                return false;
            }

            w.Text("." + method.Name);
        }

        if (method.IsGenericMethod)
        {
            w.Text("<" + string.Join(", ", method.TypeArguments.Select(Qualified)) + ">");
        }

        w.Text("(");
        var printed = PrintArguments(invocation.Arguments, w, out unprintable);
        w.Text(")");
        return printed;
    }

    /// <summary>
    /// Arguments in parameter order, defaults written out: a caller-information default (ThrowIfNegative's
    /// <c>paramName</c>) keeps the text of the user's call instead of the generated one's.
    /// </summary>
    private bool PrintArguments(IEnumerable<IArgumentOperation> arguments, EffectWriter w, out IOperation? unprintable)
    {
        unprintable = null;
        var first = true;
        foreach (var argument in arguments.OrderBy(a => a.Parameter?.Ordinal ?? int.MaxValue))
        {
            if (argument.Parameter is { RefKind: RefKind.Out or RefKind.Ref } && argument.Value is not IInterpolatedStringHandlerCreationOperation)
            {
                unprintable = argument;
                return false;
            }

            var values = argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { IsImplicit: true, Initializer: { } elements }
                ? elements.ElementValues.ToList()
                : new List<IOperation> { argument.Value };
            foreach (var value in values)
            {
                w.Text(first ? string.Empty : ", ");
                first = false;
                if (!PrintInactive(value, w, out unprintable))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The user's interpolated string with each hole rewritten (text parts are kept as written, escapes included).</summary>
    private bool PrintInterpolatedString(InterpolatedStringExpressionSyntax syntax, EffectWriter w, out IOperation? unprintable)
    {
        unprintable = null;
        w.Text(syntax.StringStartToken.Text);
        foreach (var content in syntax.Contents)
        {
            switch (content)
            {
                case InterpolatedStringTextSyntax text:
                    w.Text(text.TextToken.Text);
                    break;
                case InterpolationSyntax interpolation:
                    if (_context.SemanticModel.GetOperation(interpolation.Expression, _context.CancellationToken) is not { } value)
                    {
                        return false;
                    }

                    w.Text(interpolation.OpenBraceToken.Text + "(");
                    if (!PrintInactive(value, w, out unprintable))
                    {
                        return false;
                    }

                    w.Text(")" + (interpolation.AlignmentClause?.ToString() ?? string.Empty) + (interpolation.FormatClause?.ToString() ?? string.Empty) + interpolation.CloseBraceToken.Text);
                    break;
            }
        }

        w.Text(syntax.StringEndToken.Text);
        return true;
    }

    private static string Qualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string EffectLiteral(object? value, ITypeSymbol? type) => value switch
    {
        null => type is null ? "null" : "default(" + Qualified(type) + ")",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        double d => IndentedWriter.Literal(d),
        float f => IndentedWriter.Literal(f),
        _ => "((" + (type is null ? value.GetType().FullName : Qualified(type)) + ")(" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + (value is decimal ? "m" : string.Empty) + "))",
    };

    private static string Shorten(IOperation operation)
    {
        var text = operation.Syntax.ToString().Replace("\r", string.Empty).Replace("\n", " ");
        return text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }

    /// <summary>Collects an effect's text parts and holes.</summary>
    private sealed class EffectWriter
    {
        private readonly List<string> _parts = new();
        private readonly List<Expr> _holes = new();
        private readonly System.Text.StringBuilder _current = new();

        /// <summary>Appends text; returns true so that it chains in conditions.</summary>
        public bool Text(string text)
        {
            _current.Append(text);
            return true;
        }

        public void Hole(Expr value)
        {
            _parts.Add(_current.ToString());
            _current.Clear();
            _holes.Add(value);
        }

        public EffectStmt ToStatement()
        {
            var parts = _parts.Concat(new[] { _current.ToString() }).ToEquatableArray();
            return new EffectStmt(parts, _holes.ToEquatableArray());
        }
    }
}
