using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Local functions (capturing or static) are differentiated with the method that declares them: each call is
/// inlined. A body that is one <c>return e;</c> becomes <c>e</c> with the arguments in place of the parameters (so it
/// may stand anywhere, loop conditions included); a longer body runs before the statement that calls it, with its
/// parameters as locals and its result in a temporary. Captured variables are the method's own, so writes to them
/// are differentiated like any other. No [Differentiable] mark is needed on them. A recursive one is lifted to a
/// member instead (<see cref="LocalFunctionLifting"/>).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Parameters of an expression-bodied local function being inlined, bound to their arguments.</summary>
    private readonly Dictionary<ISymbol, Expr> _substitutions = new(SymbolEqualityComparer.Default);

    /// <summary>The local functions being inlined, innermost last: a call to one of them again is recursion.</summary>
    private readonly List<IMethodSymbol> _inlining = new();

    /// <summary>Where a <c>return</c> of the local function being inlined stores its value (null: a void function).</summary>
    private readonly Stack<(string? Result, IrType Type)> _returnTargets = new();

    private Expr LowerLocalFunctionCall(IInvocationOperation invocation, IrType? type, List<Stmt>? statementOutput = null)
    {
        var method = invocation.TargetMethod;
        if (method.IsGenericMethod)
        {
            return RefuseGenericLocalFunction(method);
        }

        if (_context.Lifting is { } lifting && lifting.IsRecursive(method))
        {
            return LowerLiftedCall(lifting, invocation);
        }

        if (_inlining.Contains(method, SymbolEqualityComparer.Default))
        {
            return Unsupported(invocation, "recursive local functions ('" + method.Name + "' calls itself; write the recursion as a loop, or make '" + method.Name + "' a [Differentiable] method of the type)");
        }

        if (LocalFunctionBody(method) is not { } body)
        {
            return Unsupported(invocation, "local functions without a body");
        }

        // Named arguments in another order than the parameters': evaluated first, as written.
        LowerInWrittenOrder(invocation.Arguments, scalarsOnly: true);
        var arguments = new Expr[method.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null || (argument.Parameter.RefKind != RefKind.None && !InParameters.IsReadOnlyReference(argument.Parameter.RefKind)) || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                return Unsupported(argument, "'ref', 'out' and 'params' arguments of local functions (pass values and return the result)");
            }

            if (InParameters.IsReadOnlyReference(argument.Parameter.RefKind) && WrittenByReference(body, argument) is { } refused)
            {
                return Unsupported(argument, refused);
            }

            arguments[argument.Parameter.Ordinal] = LowerExpression(argument.Value);
        }

        for (var i = 0; i < method.Parameters.Length; i++)
        {
            if (TypeMapping.ToIrType(method.Parameters[i].Type) is null)
            {
                return Unsupported(invocation, "local functions with parameters of type '" + method.Parameters[i].Type.ToDisplayString() + "'");
            }
        }

        _inlining.Add(method);
        try
        {
            if (statementOutput is null && body.Operations is [IReturnOperation { ReturnedValue: { } only }] && type is not null)
            {
                return InlineExpression(method, arguments, only);
            }

            var output = statementOutput ?? (CanHoist(invocation) ? _pending : null);
            if (output is null)
            {
                return Unsupported(invocation, "calls of local functions with statements inside a condition, a branch or a loop test (call it in a statement of its own: 'var t = " + method.Name + "(…);')");
            }

            return InlineStatements(method, arguments, body, type, output);
        }
        finally
        {
            _inlining.RemoveAt(_inlining.Count - 1);
        }
    }

    /// <summary>
    /// A generic local function (<c>static U Square&lt;U&gt;(U v) where U : INumber&lt;U&gt; =&gt; v * v;</c>): its body
    /// is written over its own type parameter, which inlining cannot type. One error at the local function, however
    /// often it is called, with the two rewrites that work: the function over the method's own type, or the same generic
    /// function as a [Differentiable] static method of the type (a generic callee, session 23b).
    /// </summary>
    private Expr RefuseGenericLocalFunction(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (_refusedStructOperations.Add("generic local function\u0001" + definition.ToDisplayString()) && definition.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_context.CancellationToken) is { } declaration)
        {
            var typeParameters = string.Join(", ", definition.TypeParameters.Select(t => t.Name));
            _context.Report("SG1002", declaration, "generic local functions ('" + definition.Name + "<" + typeParameters + ">': write it over the method's own type, e.g. 'double "
                + definition.Name + "(double v)', or move it out of the method as a [Differentiable] static generic method of the type, e.g. '[Differentiable] static T "
                + definition.Name + "<T>(T v) where T : IFloatingPointIeee754<T>', and call that)");
        }

        return s_error;
    }

    private Expr InlineExpression(IMethodSymbol method, Expr[] arguments, IOperation returned)
    {
        var saved = method.Parameters.Select(p => _substitutions.TryGetValue(p, out var e) ? e : null).ToArray();
        for (var i = 0; i < arguments.Length; i++)
        {
            _substitutions[method.Parameters[i]] = arguments[i];
        }

        var value = LowerExpression(returned);
        for (var i = 0; i < arguments.Length; i++)
        {
            if (saved[i] is { } previous)
            {
                _substitutions[method.Parameters[i]] = previous;
            }
            else
            {
                _substitutions.Remove(method.Parameters[i]);
            }
        }

        return value;
    }

    private Expr InlineStatements(IMethodSymbol method, Expr[] arguments, IBlockOperation body, IrType? type, List<Stmt> output)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameterType = TypeMapping.ToIrType(method.Parameters[i].Type)!;
            if (parameterType.IsCollection)
            {
                if (arguments[i] is not VarExpr { Type.IsCollection: true } array)
                {
                    return Unsupported(body, "local function arguments for array or span parameters other than a variable");
                }

                _context.DeclareVariable(method.Parameters[i], parameterType, alias: array.Name);
                continue;
            }

            var name = _context.DeclareVariable(method.Parameters[i], parameterType);
            output.Add(new AssignStmt(name, parameterType, Convert(arguments[i], parameterType, body.Syntax)));
        }

        var operations = body.Operations.ToList();
        var returns = body.Descendants().OfType<IReturnOperation>().Where(r => !InNestedFunction(r, body)).ToList();
        // The last statement may be a block ending in the return ('{ return u * u; }', 'checked { return …; }'): the
        // return still ends the function, and the block is lowered as it is.
        var tail = operations.LastOrDefault();
        while (tail is IBlockOperation { Operations.Length: > 0 } block)
        {
            tail = block.Operations[block.Operations.Length - 1];
        }

        var last = tail as IReturnOperation;
        if (returns.Any(r => !ReferenceEquals(r, last)))
        {
            return Unsupported(returns.First(r => !ReferenceEquals(r, last)), "local functions that return before their last statement (assign the result to a local and return it at the end)");
        }

        var result = method.ReturnsVoid || type is null ? null : _context.DeclareHidden("_" + method.Name, type);
        _returnTargets.Push((result, type ?? IrType.Double));
        LowerSequence(operations, output);
        _returnTargets.Pop();

        return result is null ? s_error : new VarExpr(type!, result);
    }

    /// <summary>A <c>return</c> inside an inlined local function: its value goes to the call's temporary.</summary>
    private bool TryLowerInlinedReturn(IReturnOperation operation, List<Stmt> output)
    {
        if (_returnTargets.Count == 0)
        {
            return false;
        }

        var (result, type) = _returnTargets.Peek();
        if (result is not null && operation.ReturnedValue is { } value)
        {
            output.Add(new AssignStmt(result, type, Assigned(Convert(LowerExpression(value), type, operation.Syntax))));
        }

        return true;
    }

    private IBlockOperation? LocalFunctionBody(IMethodSymbol method) => LocalFunctionLifting.Body(method, _context);

    private static bool InNestedFunction(IOperation operation, IOperation root)
    {
        for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, root); parent = parent.Parent)
        {
            if (parent is ILocalFunctionOperation or IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An argument passed <c>in</c> (or <c>ref readonly</c>) to a local function that writes the variable it refers to
    /// (a captured local, or an element of a captured array): the parameter would change with the write, which
    /// reading it as a value misses. The error says what to write instead.
    /// </summary>
    private string? WrittenByReference(IBlockOperation body, IArgumentOperation argument)
    {
        if (InParameters.Root(argument.Value) is not { } root || !InParameters.WrittenRoots(body, _context.CancellationToken).Contains(root))
        {
            return null;
        }

        var parameter = argument.Parameter!;
        var function = ((IInvocationOperation)argument.Parent!).TargetMethod;
        return "'" + InParameters.Keyword(parameter.RefKind) + "' arguments that the local function writes ('" + function.Name + "' writes '" + root.Name + "', which its parameter '"
            + parameter.Name + "' refers to, so '" + parameter.Name + "' would change with the write; declare it by value, '" + parameter.Type.ToDisplayString() + " " + parameter.Name
            + "', or pass a copy: 'var before = " + argument.Value.Syntax + "; " + function.Name + "(before, …)')";
    }
}
