using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Finds the variables whose value the analysis cannot follow: captured by a lambda or local function (it may
/// run at any call), passed or taken by reference, or written by patterns and deconstructions. They always read
/// as unknown, and a tensor stored in one escapes.
/// </summary>
internal static class UntrackableVariables
{
    [MethodImpl(Jit.Optimized)]
    public static void Collect(IOperation root, ISymbol function, HashSet<ISymbol> untrackable)
    {
        // Kinds, not interface tests: this walk reads every operation of every analyzed or summarized function.
        switch (root.Kind)
        {
            case OperationKind.AnonymousFunction:
                var lambda = (IAnonymousFunctionOperation)root;
                Collect(lambda.Body, lambda.Symbol, untrackable);
                return;
            case OperationKind.LocalFunction:
                var localFunction = (ILocalFunctionOperation)root;
                if (localFunction.Body is { } body)
                {
                    Collect(body, localFunction.Symbol, untrackable);
                }

                if (localFunction.IgnoredBody is { } ignored)
                {
                    Collect(ignored, localFunction.Symbol, untrackable);
                }

                return;
            case OperationKind.LocalReference:
                var local = ((ILocalReferenceOperation)root).Local;
                if (local.IsRef || !SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, function))
                {
                    untrackable.Add(local);
                }

                break;
            case OperationKind.ParameterReference:
                var parameter = ((IParameterReferenceOperation)root).Parameter;
                if (parameter.RefKind != RefKind.None || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, function))
                {
                    untrackable.Add(parameter);
                }

                break;
            case OperationKind.Argument when ((IArgumentOperation)root).Parameter is { RefKind: not RefKind.None }:
                AddVariables(((IArgumentOperation)root).Value, untrackable);
                break;
            case OperationKind.SimpleAssignment when ((ISimpleAssignmentOperation)root).IsRef:
                AddVariables(((ISimpleAssignmentOperation)root).Target, untrackable);
                AddVariables(((ISimpleAssignmentOperation)root).Value, untrackable);
                break;
            case OperationKind.DeclarationExpression:
                AddVariables(root, untrackable);
                break;
            case OperationKind.DeconstructionAssignment:
                AddVariables(((IDeconstructionAssignmentOperation)root).Target, untrackable);
                break;
            case OperationKind.Increment or OperationKind.Decrement:
                AddVariables(((IIncrementOrDecrementOperation)root).Target, untrackable);
                break;
            case OperationKind.AddressOf:
                AddVariables(((IAddressOfOperation)root).Reference, untrackable);
                break;
            case OperationKind.DeclarationPattern or OperationKind.RecursivePattern or OperationKind.ListPattern:
                var declared = root switch
                {
                    IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
                    IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
                    IListPatternOperation list => list.DeclaredSymbol,
                    _ => null,
                };
                if (declared is not null)
                {
                    untrackable.Add(declared);
                }

                break;
        }

        foreach (var child in root.ChildOperations)
        {
            Collect(child, function, untrackable);
        }
    }

    private static void AddVariables(IOperation operation, HashSet<ISymbol> untrackable)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            switch (node)
            {
                case ILocalReferenceOperation local:
                    untrackable.Add(local.Local);
                    break;
                case IParameterReferenceOperation parameter:
                    untrackable.Add(parameter.Parameter);
                    break;
            }
        }
    }
}
