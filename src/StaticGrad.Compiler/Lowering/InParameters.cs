using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// <c>in</c> and <c>ref readonly</c> parameters (<c>scoped in</c> too) are read as values. That is sound because the
/// callee cannot write through them and, in a [Differentiable] body, nothing else runs during the call; the one way the
/// referenced storage can change while the callee reads it is the callee writing it itself, through an array it also
/// receives or a variable it captures. Those cases are refused (one located SG1002 with the rewrite), everything else is
/// differentiated as if the parameter were declared by value.
/// </summary>
internal static class InParameters
{
    public static bool IsReadOnlyReference(RefKind kind) => kind is RefKind.In or RefKind.RefReadOnlyParameter;

    /// <summary>The modifier as the user wrote it: what documentation references to the user's method repeat.</summary>
    public static string Keyword(RefKind kind) => kind == RefKind.In ? "in" : "ref readonly";

    /// <summary>
    /// A [Differentiable] method with an <c>in</c> parameter that writes elements of an array or span parameter: its
    /// caller may pass an element of that array by reference (<c>F(in a[0], a)</c>), and the write would then change the
    /// <c>in</c> parameter in the middle of the body, which reading it as a value would miss. One error at the first
    /// such parameter, naming the write.
    /// </summary>
    public static void CheckWritesThroughArrays(IMethodSymbol method, SyntaxNode declaration, LoweringContext context)
    {
        var first = method.Parameters.FirstOrDefault(p => IsReadOnlyReference(p.RefKind));
        if (first is null || context.SemanticModel.GetOperation(declaration, context.CancellationToken) is not { } body)
        {
            return;
        }

        var written = WrittenRoots(body, context.CancellationToken).OfType<IParameterSymbol>()
            .FirstOrDefault(p => p.Type is IArrayTypeSymbol or INamedTypeSymbol { Name: "Span", IsGenericType: true });
        if (written is not null)
        {
            context.Report("SG1002", LocationInfo.From(first.Locations.FirstOrDefault()),
                "'" + Keyword(first.RefKind) + "' parameters in a method that writes to the elements of its parameter '" + written.Name + "' (a caller may pass one of those elements by reference, '"
                + method.Name + "(in " + written.Name + "[0], …)', and the write would change '" + first.Name + "' while the method reads it; declare it by value, '"
                + first.Type.ToDisplayString() + " " + first.Name + "', or write a local copy of '" + written.Name + "')");
        }
    }

    /// <summary>
    /// The variable whose storage an argument passed by reference denotes: the local or parameter itself, or the array,
    /// span or struct variable an element or field of it belongs to (<c>ps[i].Position</c> is in <c>ps</c>); null for a
    /// value (a temporary: nothing else can write it).
    /// </summary>
    public static ISymbol? Root(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    operation = conversion.Operand;
                    continue;
                case IFieldReferenceOperation { Instance: { } instance }:
                    operation = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } indexed }:
                    operation = indexed;
                    continue;
                case ILocalReferenceOperation local:
                    return local.Local;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IFieldReferenceOperation { Instance: null } field:
                    return field.Field;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The variables <paramref name="body"/> writes (assignments, compound assignments, increments, <c>ref</c> and
    /// <c>out</c> arguments, <c>ref</c> locals), each as its <see cref="Root"/>, including the bodies of the local
    /// functions it calls.
    /// </summary>
    public static HashSet<ISymbol> WrittenRoots(IOperation body, CancellationToken cancellationToken)
    {
        var roots = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            foreach (var operation in pending.Pop().DescendantsAndSelf())
            {
                var target = operation switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                    IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref } } initializer => initializer.Value,
                    _ => null,
                };
                foreach (var written in target is ITupleOperation tuple ? tuple.Elements : target is null ? Enumerable.Empty<IOperation>() : new[] { target })
                {
                    if (Root(written) is { } root)
                    {
                        roots.Add(root);
                    }
                }

                if (operation is IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } function } && visited.Add(function.OriginalDefinition))
                {
                    foreach (var reference in function.OriginalDefinition.DeclaringSyntaxReferences)
                    {
                        var syntax = reference.GetSyntax(cancellationToken);
                        if (operation.SemanticModel?.Compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is { } callee)
                        {
                            pending.Push(callee);
                        }
                    }
                }
            }
        }

        return roots;
    }
}
