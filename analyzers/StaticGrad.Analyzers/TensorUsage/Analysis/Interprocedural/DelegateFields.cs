using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// Readonly delegate fields of classes that hold one known lambda: a learning-rate schedule or a criterion stored by
/// the constructor (<c>_schedule = epoch => lr * Math.Pow(0.95, epoch);</c>). A call of such a field runs that lambda,
/// so it is summarized like a lambda passed in, instead of being unknown code that leaves the grad mode unknown and
/// makes every later callee of a training loop be summarized again for the unknown mode. Known only when nothing
/// else can be in the field: it is readonly (only its type's constructors write it), has no initializer, its type's
/// constructors (of the field's kind, static or instance) write it exactly once, with a lambda that is not async and
/// whose body the structured walk reads without a loop, and no constructor passes it by reference or deconstructs
/// into it. Computed once per field and compilation.
/// </summary>
internal sealed class DelegateFields
{
    private readonly TensorApi _api;
    private readonly ConcurrentDictionary<IFieldSymbol, IAnonymousFunctionOperation?> _lambdas = new(SymbolEqualityComparer.Default);

    public DelegateFields(TensorApi api) => _api = api;

    /// <summary>The lambda every read of <paramref name="field"/> gives, or null when it is not known.</summary>
    public IAnonymousFunctionOperation? LambdaOf(IFieldSymbol field)
    {
        if (!field.IsReadOnly || field.Type.TypeKind != TypeKind.Delegate || field.ContainingType is not { TypeKind: TypeKind.Class })
        {
            return null;
        }

        return _lambdas.TryGetValue(field, out var known) ? known : _lambdas.GetOrAdd(field, Decide(field));
    }

    private IAnonymousFunctionOperation? Decide(IFieldSymbol field)
    {
        if (!SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _api.Compilation.Assembly))
        {
            return null;
        }

        foreach (var declaration in field.DeclaringSyntaxReferences)
        {
            if (declaration.GetSyntax() is not VariableDeclaratorSyntax { Initializer: null })
            {
                return null;
            }
        }

        IAnonymousFunctionOperation? lambda = null;
        var writes = 0;
        foreach (var constructor in field.IsStatic ? field.ContainingType.StaticConstructors : field.ContainingType.InstanceConstructors)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not ConstructorDeclarationSyntax syntax)
                {
                    // A primary constructor writes fields only through initializers, which were refused above.
                    continue;
                }

                if (_api.Bodies.OperationOf(syntax, CancellationToken.None) is not { } body || !Writes(body, field, ref lambda, ref writes))
                {
                    return null;
                }
            }
        }

        return writes == 1 && lambda is { Symbol.IsAsync: false } && StructuredBody.IsStructured(lambda.Body, _api) && !HasLoop(lambda.Body) ? lambda : null;
    }

    /// <summary>Counts the writes of <paramref name="field"/> in a constructor's body; false for a write that is not a plain assignment.</summary>
    private static bool Writes(IOperation body, IFieldSymbol field, ref IAnonymousFunctionOperation? lambda, ref int writes)
    {
        foreach (var operation in OperationTree.All(body))
        {
            if (operation is not IFieldReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Field, field))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    writes++;
                    lambda = Unwrap(assignment.Value) as IAnonymousFunctionOperation;
                    break;
                case IAssignmentOperation or ITupleOperation or IArgumentOperation { Parameter.RefKind: not RefKind.None }:
                    return false;
            }
        }

        return true;
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation { OperatorMethod: null } conversion:
                    value = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    value = creation.Target;
                    break;
                default:
                    return value;
            }
        }
    }

    private static bool HasLoop(IOperation body)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation is ILoopOperation)
            {
                return true;
            }
        }

        return false;
    }
}
