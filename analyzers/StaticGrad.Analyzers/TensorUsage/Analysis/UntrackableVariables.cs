using System.Collections.Generic;
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
    public static void Collect(IOperation root, ISymbol function, HashSet<ISymbol> untrackable)
    {
        switch (root)
        {
            case IAnonymousFunctionOperation lambda:
                Collect(lambda.Body, lambda.Symbol, untrackable);
                return;
            case ILocalFunctionOperation localFunction:
                if (localFunction.Body is { } body)
                {
                    Collect(body, localFunction.Symbol, untrackable);
                }

                if (localFunction.IgnoredBody is { } ignored)
                {
                    Collect(ignored, localFunction.Symbol, untrackable);
                }

                return;
            case ILocalReferenceOperation local:
                if (local.Local.IsRef || !SymbolEqualityComparer.Default.Equals(local.Local.ContainingSymbol, function))
                {
                    untrackable.Add(local.Local);
                }

                break;
            case IParameterReferenceOperation parameter:
                if (parameter.Parameter.RefKind != RefKind.None || !SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, function))
                {
                    untrackable.Add(parameter.Parameter);
                }

                break;
            case IArgumentOperation { Parameter.RefKind: not RefKind.None } argument:
                AddVariables(argument.Value, untrackable);
                break;
            case ISimpleAssignmentOperation { IsRef: true } refAssignment:
                AddVariables(refAssignment.Target, untrackable);
                AddVariables(refAssignment.Value, untrackable);
                break;
            case IDeclarationExpressionOperation declaration:
                AddVariables(declaration, untrackable);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                AddVariables(deconstruction.Target, untrackable);
                break;
            case IIncrementOrDecrementOperation increment:
                AddVariables(increment.Target, untrackable);
                break;
            case IAddressOfOperation addressOf:
                AddVariables(addressOf.Reference, untrackable);
                break;
            case IDeclarationPatternOperation { DeclaredSymbol: { } declared }:
                untrackable.Add(declared);
                break;
            case IRecursivePatternOperation { DeclaredSymbol: { } declared }:
                untrackable.Add(declared);
                break;
            case IListPatternOperation { DeclaredSymbol: { } declared }:
                untrackable.Add(declared);
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
