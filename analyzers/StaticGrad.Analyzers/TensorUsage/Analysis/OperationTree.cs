using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Every operation under a root, the root included, on one explicit stack: Roslyn's <c>Descendants()</c> stacks an
/// enumerator per level, and a walk with it was 4 % of the tensor-usage analyzer's samples on the cost benchmark's
/// projects. The order is not the source order.
/// </summary>
internal static class OperationTree
{
    public static IEnumerable<IOperation> All(IOperation root)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }

            yield return operation;
        }
    }
}
