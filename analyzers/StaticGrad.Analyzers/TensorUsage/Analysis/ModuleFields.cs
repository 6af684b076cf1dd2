using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Parameters held in private readonly fields of modules, known where methods read them. A field is known as a leaf
/// that requires grad only when nothing anywhere can change that: it is private (only its type, its partial parts
/// and nested types can name it), readonly (written only by its type's constructors and initializer), every write
/// is <c>new Parameter(…)</c> with <c>requiresGrad</c> omitted or the constant true, and every read only computes
/// from it (out-of-place operations, operators, reads of its properties, registration with a runtime optimizer):
/// the object is never handed to a method, stored, returned, registered with <c>RegisterParameter</c> (so
/// <c>Parameters()</c> and <c>Module.SetRequiresGrad(false)</c> cannot reach it), changed in place, frozen or
/// detached in place. Reads inside constructors (where the field may not be written yet) are not known.
/// </summary>
internal sealed class ModuleFields
{
    private readonly TensorApi _api;
    private readonly SummaryCache _cache;
    private readonly ConcurrentDictionary<IFieldSymbol, bool> _known = new(SymbolEqualityComparer.Default);

    public ModuleFields(TensorApi api, SummaryCache cache)
    {
        _api = api;
        _cache = cache;
    }

    /// <summary>The value a read of <paramref name="field"/> in <paramref name="function"/> gives, or null when it is not known.</summary>
    public AbstractValue? Read(IFieldSymbol field, ISymbol function)
    {
        // TorchSharp's RegisterComponents() registers a module's Parameter fields by reflection, private ones
        // included, so parameters() and requires_grad_(false) reach them: only StaticGrad's registration is explicit.
        if (_api.Library is not StaticGradLibrary || field.IsStatic || !field.IsReadOnly || field.DeclaredAccessibility != Accessibility.Private || !_api.IsTensor(field.Type) || InConstructor(function))
        {
            return null;
        }

        if (!_known.TryGetValue(field, out var known))
        {
            known = _known.GetOrAdd(field, Decide(field));
        }

        return known ? AbstractValue.Tensor(TensorFact.Leaf(requiresGrad: true, DTypeKind.Floating, -1) with { RetainsGrad = Tri.Maybe, Inference = Tri.Maybe }, AbstractValue.External) : null;
    }

    private static bool InConstructor(ISymbol function)
    {
        for (var current = function; current is not null; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor })
            {
                return true;
            }

            if (current is IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } or INamedTypeSymbol)
            {
                return false;
            }
        }

        return false;
    }

    private bool Decide(IFieldSymbol field)
    {
        var writes = 0;
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            var model = _cache.ModelOf(declaration.SyntaxTree);
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } initializer } declarator
                    && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator), field))
                {
                    if (!CreatesTrackedParameter(model.GetOperation(initializer.Value)))
                    {
                        return false;
                    }

                    writes++;
                    continue;
                }

                if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name || name.Identifier.ValueText != field.Name)
                {
                    continue;
                }

                var operation = model.GetOperation(name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && access.Name == name ? access : name);
                if (operation is not IFieldReferenceOperation reference2 || !SymbolEqualityComparer.Default.Equals(reference2.Field, field))
                {
                    if (operation is null && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, field))
                    {
                        // Named where no operation describes the use (nameof, attributes): nothing to rely on.
                        return false;
                    }

                    continue;
                }

                switch (Use(reference2))
                {
                    case FieldUse.Write:
                        writes++;
                        break;
                    case FieldUse.Unsafe:
                        return false;
                }
            }
        }

        return writes > 0;
    }

    private enum FieldUse
    {
        Read,
        Write,
        Unsafe,
    }

    private FieldUse Use(IFieldReferenceOperation reference)
    {
        IOperation use = reference;
        while (use.Parent is IConversionOperation { OperatorMethod: null } conversion)
        {
            use = conversion;
        }

        switch (use.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == use:
                return CreatesTrackedParameter(assignment.Value) ? FieldUse.Write : FieldUse.Unsafe;
            case IInvocationOperation invocation when invocation.Instance == use:
                return _api.IsTensorMember(invocation.TargetMethod) && IsComputation(_api.NameOf(invocation.TargetMethod)) ? FieldUse.Read : FieldUse.Unsafe;
            case IPropertyReferenceOperation property when property.Instance == use:
                return _api.IsTensorMember(property.Property) && !(property.Parent is IAssignmentOperation assigned && assigned.Target == property) ? FieldUse.Read : FieldUse.Unsafe;
            case IBinaryOperation { OperatorMethod: { } method } when _api.IsTensorMember(method):
            case IUnaryOperation { OperatorMethod: { } unary } when _api.IsTensorMember(unary):
                return FieldUse.Read;
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { IsStatic: true } target } } when _api.IsTensorMember(target) && IsComputation(_api.NameOf(target)):
                return FieldUse.Read;
            case IArrayInitializerOperation { Parent: IArrayCreationOperation creation } when RegistersWithOptimizer(creation):
                return FieldUse.Read;
            default:
                return FieldUse.Unsafe;
        }
    }

    private static bool IsComputation(string name) =>
        TensorApi.Operations.Contains(name) || TensorApi.NonFloatingResults.Contains(name) || TensorApi.ReadOnlyMembers.Contains(name) || name == TensorApi.Detach;

    /// <summary>An array given to a runtime optimizer's constructor: the optimizer reads gradients and updates data, never the flag.</summary>
    private bool RegistersWithOptimizer(IOperation array)
    {
        IOperation use = array;
        while (use.Parent is IConversionOperation { OperatorMethod: null } conversion)
        {
            use = conversion;
        }

        return use.Parent is IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } creation }
            && _api.IsOptimizer(creation.Type) && _api.IsInRuntime(constructor);
    }

    private bool CreatesTrackedParameter(IOperation? value)
    {
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        if (value is not IObjectCreationOperation { Initializer: null } creation || !_api.IsParameter(creation.Type) || creation.Arguments.Length == 0
            || !_api.IsTensor(creation.Arguments[0].Value.Type))
        {
            return false;
        }

        var flag = creation.Arguments.FirstOrDefault(a => _api.NameOf(a.Parameter) == TensorApi.RequiresGradParameter);
        return flag is null || flag.ArgumentKind == ArgumentKind.DefaultValue && flag.Value.ConstantValue is { HasValue: true, Value: true }
            || flag.Value.ConstantValue is { HasValue: true, Value: true };
    }
}
