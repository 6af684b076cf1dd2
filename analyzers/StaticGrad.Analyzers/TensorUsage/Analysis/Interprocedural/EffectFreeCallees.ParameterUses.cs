using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

internal sealed partial class EffectFreeCallees
{
    /// <summary>
    /// Whether a value of <paramref name="type"/> may be a tensor at run time: a tensor, a type the tensor derives from
    /// or implements (<c>object</c>, <c>IDisposable</c>), a type parameter, <c>dynamic</c>, or an array or tuple of those.
    /// </summary>
    private bool MayHoldTensor(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return false;
            case IArrayTypeSymbol array:
                return MayHoldTensor(array.ElementType);
            case INamedTypeSymbol { IsTupleType: true } tuple:
                foreach (var element in tuple.TupleElements)
                {
                    if (MayHoldTensor(element.Type))
                    {
                        return true;
                    }
                }

                return false;
        }

        if (type.TypeKind is TypeKind.TypeParameter or TypeKind.Dynamic or TypeKind.Error || Api.IsTensor(type))
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            // Compared as definitions: IEnumerable<object> may hold a tensor that implements IEnumerable<Tensor> (variance).
            foreach (var implemented in Api.Tensor.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, type.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        for (var baseType = Api.Tensor.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(baseType, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether an assignment or an increment keeps every value that may be a tensor in an ordinary local (whose reads
    /// <see cref="ParameterUses"/> follows): an <c>object</c> field, an <c>object[]</c> slot, a tuple element, a
    /// <c>T</c> field or a <c>ref</c> local would hand the value to code the scan does not read.
    /// </summary>
    private bool StoresNoTensorOutsideALocal(IOperation operation)
    {
        var (target, value) = operation switch
        {
            IAssignmentOperation assignment => (assignment.Target, assignment.Value),
            IIncrementOrDecrementOperation increment => (increment.Target, null),
            _ => (null, null),
        };
        if (target is ILocalReferenceOperation { Local.RefKind: RefKind.None } || target is null)
        {
            return true;
        }

        if (MayHoldTensor(target.Type))
        {
            return false;
        }

        // The value as written, before its conversions to the target's type.
        for (var current = value; current is not null; current = (current as IConversionOperation)?.Operand)
        {
            if (MayHoldTensor(current.Type))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where the values a body derives from its parameters that may hold a tensor go (session 19 review: following the
    /// parameter one operation up let <c>Obj = t.Double()</c> stash the caller's own tensor, as <c>Double()</c> of a
    /// double tensor, <c>Contiguous()</c>, <c>View</c> and a <c>Dropout</c> in eval return their operand or a view of
    /// it). Every library operation's result is treated as such an alias: it is followed until it becomes a value
    /// that cannot hold a tensor (<c>Item()</c>, a shape), is dropped, is returned as the method's tensor result (which
    /// <see cref="ResultUnread"/> then follows at the call), or goes into an ordinary local, whose every read is
    /// followed the same way. Anything else (stored, handed to user or framework code, compared, captured, passed by
    /// <c>ref</c>) keeps the call's summary.
    /// </summary>
    private sealed class ParameterUses
    {
        private readonly EffectFreeCallees _owner;
        private readonly IMethodSymbol _method;
        private readonly HashSet<ILocalSymbol> _followed = new(SymbolEqualityComparer.Default);
        private readonly Stack<IOperation> _pending = new();
        private Dictionary<ILocalSymbol, List<IOperation>>? _reads;

        public ParameterUses(EffectFreeCallees owner, IMethodSymbol method)
        {
            _owner = owner;
            _method = method;
        }

        private TensorApi Api => _owner.Api;

        public bool StayInside(IOperation root)
        {
            foreach (var operation in OperationTree.All(root))
            {
                if (operation is IParameterReferenceOperation { Parameter.Type: var type } && _owner.MayHoldTensor(type))
                {
                    _pending.Push(operation);
                }
            }

            while (_pending.Count > 0)
            {
                if (!StaysInside(_pending.Pop(), root))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Follows one value up the tree until it is read as something that holds no tensor, dropped, returned or put in a local.</summary>
        private bool StaysInside(IOperation value, IOperation root)
        {
            var operand = value;
            while (true)
            {
                switch (operand.Parent)
                {
                    case IConversionOperation { OperatorMethod: null } conversion:
                        operand = conversion;
                        continue;
                    case IConditionalOperation conditional when conditional.Condition != operand:
                        operand = conditional;
                        continue;
                    case ICoalesceOperation coalesce:
                        operand = coalesce;
                        continue;
                    case IExpressionStatementOperation:
                        return true;
                    case IReturnOperation { Kind: OperationKind.Return }:
                        // A tensor result: the call is passed over only where nothing reads it but Item() (ResultUnread).
                        return Api.IsTensor(_method.ReturnType);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { RefKind: RefKind.None } local } }:
                        Follow(local, root);
                        return true;
                    case IAssignmentOperation { Target: ILocalReferenceOperation { Local: { RefKind: RefKind.None } local } } assignment
                        when assignment is not IDeconstructionAssignmentOperation:
                        Follow(local, root);
                        operand = assignment;
                        continue;
                }

                if (ResultOfLibraryOperation(operand) is not { } result || !Api.IsTensor(result.Type) && _owner.MayHoldTensor(result.Type))
                {
                    return false;
                }

                if (!Api.IsTensor(result.Type))
                {
                    // A number, a shape, nothing: the alias ends here.
                    return true;
                }

                operand = result;
            }
        }

        /// <summary>
        /// The operation whose result <paramref name="operand"/> flows into when it is the receiver or an argument of one
        /// of the library's tensor members or operators or an input of a library layer's forward (whose purity the scan
        /// of every operation judges), passed by value, in a call with no <c>ref</c> or <c>out</c> argument through which
        /// a view could come back; null for any other use.
        /// </summary>
        private IOperation? ResultOfLibraryOperation(IOperation operand) => operand.Parent switch
        {
            IInvocationOperation { Instance: var instance, TargetMethod: var member } call when instance == operand && Api.IsTensorMember(member) && NoReferenceArguments(call) => call,
            IPropertyReferenceOperation { Instance: var instance, Property: var member } property
                when instance == operand && Api.IsTensorMember(member) && !IsWritten(property) => property,
            IBinaryOperation { OperatorMethod: { } member } binary when Api.IsTensorMember(member) => binary,
            IUnaryOperation { OperatorMethod: { } member } unary when Api.IsTensorMember(member) => unary,
            IConversionOperation { OperatorMethod: { } member } conversion when Api.IsTensorMember(member) => conversion,
            IArgumentOperation { ArgumentKind: ArgumentKind.Explicit, Parameter.RefKind: RefKind.None, Parent: IInvocationOperation call }
                when (Api.IsTensorMember(call.TargetMethod) || _owner.IsLibraryLayerForward(call)) && NoReferenceArguments(call) => call,
            _ => null,
        };

        private static bool NoReferenceArguments(IInvocationOperation call)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.RefKind is not (null or RefKind.None or RefKind.In))
                {
                    return false;
                }
            }

            return true;
        }

        private void Follow(ILocalSymbol local, IOperation root)
        {
            if (!_followed.Add(local))
            {
                return;
            }

            if (_reads is null)
            {
                _reads = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
                foreach (var operation in OperationTree.All(root))
                {
                    if (operation is ILocalReferenceOperation reference)
                    {
                        if (!_reads.TryGetValue(reference.Local, out var list))
                        {
                            _reads[reference.Local] = list = new List<IOperation>();
                        }

                        list.Add(reference);
                    }
                }
            }

            if (_reads.TryGetValue(local, out var reads))
            {
                foreach (var read in reads)
                {
                    _pending.Push(read);
                }
            }
        }
    }
}
