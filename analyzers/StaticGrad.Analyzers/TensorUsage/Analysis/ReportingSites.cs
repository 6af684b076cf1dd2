using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Decides, from a method's operation tree alone, whether any rule could report in it, so that the control flow
/// graph and the fixpoint are spent only on methods that can fail at run time. Rules report at their own
/// statements only (a summary never reports), and every report site is a library member outside the pure set
/// below (Backward, RetainGrad, Grad, RequiresGrad, in-place updates, Version, optimizers, parameters, factories
/// given requiresGrad) or a tensor sum stored in a local (SG0017). The one rule that fires at a pure operation,
/// SG0011 (an inference tensor saved for backward), needs an inference-mode scope somewhere in the compilation's
/// source: while one exists, every method that touches a tensor is analyzed.
/// </summary>
internal sealed class ReportingSites
{
    /// <summary>Library members (canonical names) at which no rule reports: operations, factories, reads, grad-mode scopes.</summary>
    private static readonly HashSet<string> Pure = PureNames();

    private readonly TensorApi _api;
    private readonly Lazy<bool> _inferenceModeInSource;

    public ReportingSites(TensorApi api)
    {
        _api = api;
        var name = api.Library.Spell(TensorApi.InferenceMode);
        _inferenceModeInSource = new Lazy<bool>(() => api.Compilation.SyntaxTrees.Any(tree =>
            tree.TryGetText(out var text) ? text.ToString().IndexOf(name, StringComparison.Ordinal) >= 0 : tree.ToString().IndexOf(name, StringComparison.Ordinal) >= 0));
    }

    /// <summary>Whether some rule may report inside <paramref name="root"/> (its lambdas and local functions included).</summary>
    public bool MayReport(IOperation root)
    {
        var anyTensor = _inferenceModeInSource.Value;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (anyTensor ? _api.IsTensor(operation.Type) : IsSite(operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The functions of a method body (the method, its lambdas and local functions) whose own statements hold a
    /// report site, and, to reach them, every function that encloses one of them.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public void Collect(IOperation root, ISymbol owner, HashSet<ISymbol> analyzed, HashSet<ISymbol> visited)
    {
        var enclosing = new Dictionary<ISymbol, ISymbol>(SymbolEqualityComparer.Default);
        Collect(root, owner, _inferenceModeInSource.Value, enclosing, analyzed);

        foreach (var function in analyzed)
        {
            for (ISymbol? current = function; current is not null && visited.Add(current); current = enclosing.TryGetValue(current, out var outer) ? outer : null)
            {
            }
        }
    }

    [MethodImpl(Jit.Optimized)]
    private void Collect(IOperation operation, ISymbol function, bool anyTensor, Dictionary<ISymbol, ISymbol> enclosing, HashSet<ISymbol> analyzed)
    {
        // Kinds, not interface tests: this walk reads every operation of every method that touches a tensor.
        var nested = operation.Kind switch
        {
            OperationKind.AnonymousFunction => ((IAnonymousFunctionOperation)operation).Symbol,
            OperationKind.LocalFunction => ((ILocalFunctionOperation)operation).Symbol,
            _ => null,
        };
        if (nested is not null)
        {
            enclosing[nested] = function;
            function = nested;
        }
        else if (!analyzed.Contains(function) && (anyTensor ? _api.IsTensor(operation.Type) : IsSite(operation)))
        {
            analyzed.Add(function);
        }

        foreach (var child in operation.ChildOperations)
        {
            Collect(child, function, anyTensor, enclosing, analyzed);
        }
    }

    [MethodImpl(Jit.Optimized)]
    private bool IsSite(IOperation operation) => operation.Kind switch
    {
        OperationKind.Invocation => IsImpureMember(((IInvocationOperation)operation).TargetMethod) || GivesRequiresGrad((IInvocationOperation)operation),
        OperationKind.PropertyReference => IsImpureMember(((IPropertyReferenceOperation)operation).Property),
        OperationKind.ObjectCreation => _api.IsOptimizer(operation.Type) || _api.IsParameter(operation.Type),
        OperationKind.SimpleAssignment => operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation, Value: var value } && IsTensorSum(value),
        OperationKind.CompoundAssignment => ((ICompoundAssignmentOperation)operation).OperatorMethod is { } method && _api.IsInRuntime(method),
        _ => false,
    };

    private static HashSet<string> PureNames()
    {
        var pure = new HashSet<string>(TensorApi.Operations, StringComparer.Ordinal);
        pure.UnionWith(TensorApi.Factories);
        pure.UnionWith(TensorApi.NonFloatingResults);
        pure.UnionWith(TensorApi.ReadOnlyMembers);
        pure.Remove(TensorApi.Version);
        pure.UnionWith(new[]
        {
            TensorApi.Detach, TensorApi.Dispose, TensorApi.NoGrad, TensorApi.EnableGrad, TensorApi.SetGradEnabled, "IsGradEnabled",
            "Forward", "Parameters", "NamedParameters", "Long", "Int", "Bool", "ToArray", "Print",
        });
        return pure;
    }

    /// <summary>Whether no rule reports at the library member of this canonical name.</summary>
    public static bool IsPureName(string name) => Pure.Contains(name);

    private bool IsImpureMember(ISymbol member) => _api.IsInRuntime(member) && !Pure.Contains(_api.NameOf(member));

    /// <summary>A factory given a <c>requiresGrad</c> that is not the constant false (SG0003 checks its dtype).</summary>
    private bool GivesRequiresGrad(IInvocationOperation invocation) =>
        _api.IsInRuntime(invocation.TargetMethod)
        && invocation.Arguments.Any(a => _api.NameOf(a.Parameter) == TensorApi.RequiresGradParameter
            && a.Value.ConstantValue is not { HasValue: true, Value: false });

    private bool IsTensorSum(IOperation value)
    {
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        return value is IBinaryOperation { OperatorMethod: { } method } && _api.IsInRuntime(method);
    }
}
