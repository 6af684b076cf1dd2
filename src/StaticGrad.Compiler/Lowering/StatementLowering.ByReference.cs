using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// What stays refused among the everyday forms of session 21's corpus, each as one error in the user's words with a
/// rewrite that works: arguments passed by reference, and locals of collection or nullable types. The locals an
/// <c>out</c> argument declares or writes are refused with the call, so their later reads add no second error.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>
    /// One error at an argument passed by reference; the locals the call's 'out' arguments write are refused after it
    /// (not before: a refused local's reads report nothing, and this report reads it).
    /// </summary>
    private Expr RefuseByReference(IInvocationOperation call, IArgumentOperation argument)
    {
        _context.Report("SG1002", argument.Syntax, ByReferenceArgument(call.TargetMethod, argument));
        RefuseOutLocals(call);
        return s_error;
    }

    private static string ByReferenceArgument(IMethodSymbol method, IArgumentOperation argument)
    {
        var parameter = argument.Parameter;
        if (parameter?.RefKind == RefKind.Out)
        {
            return "calls with 'out' arguments ('" + method.Name + "' returns values through '" + parameter.Name + "'; return them instead, from a [Differentiable] method returning a tuple: 'var (a, b) = " + method.Name + "(…);')";
        }

        // The generated code passes values where the call had arguments (an element, a sum): C# accepts them for 'in',
        // and warns for 'ref readonly', which wants a variable passed 'in'.
        return parameter?.RefKind == RefKind.RefReadOnlyParameter
            ? "'ref readonly' arguments of calls ('" + method.Name + "' takes '" + parameter.Name + "' by 'ref readonly'; declare it 'in " + parameter.Type.ToDisplayString() + " " + parameter.Name + "', which is read the same way and accepted here, or by value)"
            : "'ref' arguments ('" + method.Name + "' may write '" + (parameter?.Name ?? "?") + "'; return the new value instead: 'x = " + method.Name + "(x, …);')";
    }

    /// <summary>Refuses every local declared or written by an 'out' argument of <paramref name="call"/>.</summary>
    private void RefuseOutLocals(IOperation call)
    {
        foreach (var argument in call.ChildOperations.OfType<IArgumentOperation>().Where(a => a.Parameter?.RefKind == RefKind.Out))
        {
            var target = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
            if (target is ILocalReferenceOperation local)
            {
                _refused.Add(local.Local);
            }
        }
    }

    /// <summary>
    /// A call statement with an 'out' argument (one error at the call), or one that reads a local already refused
    /// (reported at its declaration): true when it was reported, so that its effect is not written.
    /// </summary>
    private bool RefusedEffect(IOperation operation)
    {
        if (operation.DescendantsAndSelf().OfType<IInvocationOperation>().FirstOrDefault(c => c.Arguments.Any(a => a.Parameter?.RefKind == RefKind.Out)) is { } call)
        {
            UnsupportedStatement(call, ByReferenceArgument(call.TargetMethod, call.Arguments.First(a => a.Parameter?.RefKind == RefKind.Out)));
            RefuseOutLocals(call);
            return true;
        }

        return operation.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local: var local } && _refused.Contains(local));
    }

    /// <summary>The rewrite for a local of a type the body cannot hold: a growing list, a nullable number.</summary>
    private static string LocalTypeRewrite(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_Decimal } => " (decimal has no derivative: compute in double, 'var balance = principal;', and convert where money is shown, '(decimal)Math.Round(total, 2)')",
        { Name: "Half" } when type.ContainingNamespace?.ToDisplayString() == "System" => " (compute in float, or write the method over T : IFloatingPointIeee754<T> and call it with Half)",
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } => " (hold a number and a bool, or a default in its place: 'double limit = useCap ? cap : 5.0;')",
        INamedTypeSymbol { IsGenericType: true, TypeArguments: [{ SpecialType: SpecialType.System_Double or SpecialType.System_Single } element] } =>
            " (use an array, 'var values = new " + element.ToDisplayString() + "[n];' or 'new[] { x, y }', with a count of the elements in use when it grows)",
        _ => string.Empty,
    };
}
