using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Parameters held in readonly fields and get-only properties of classes, known where methods read them. A member is
/// known as a leaf that requires grad only when nothing anywhere can change that: only code of the compilation can name
/// it (it is private, or no other assembly can see it: <see cref="MemberReferences"/>), it is written only by its
/// type's constructors and initializer (a readonly field, a get-only auto-property), every write is
/// <c>new Parameter(…)</c> with <c>requiresGrad</c> omitted or the constant true, and every reference only computes
/// from it (out-of-place operations, operators, reads of its properties, registration with a runtime optimizer, or
/// being returned by a get-only property whose own references do the same): the object is never handed to a method,
/// stored, changed in place, frozen or detached in place. Reads inside constructors (where the member may
/// not be written yet) are not known. Registration (<c>RegisterParameter</c>, and TorchSharp's reflection over every
/// parameter field) counts as computing from it while <see cref="RegisteredParameterReach"/> finds that no code gets
/// registered parameters back out.
/// </summary>
internal sealed class ModuleFields
{
    private static readonly AbstractValue TrackedParameter =
        AbstractValue.Tensor(TensorFact.Leaf(requiresGrad: true, DTypeKind.Floating, -1) with { RetainsGrad = Tri.Maybe, Inference = Tri.Maybe }, AbstractValue.External);

    private readonly TensorApi _api;
    private readonly SummaryCache _cache;
    private readonly MemberReferences _references;
    private readonly RegisteredParameterReach _registered;
    private readonly ConcurrentDictionary<ISymbol, bool> _known = new(SymbolEqualityComparer.Default);

    public ModuleFields(TensorApi api, SummaryCache cache)
    {
        _api = api;
        _cache = cache;
        _references = new MemberReferences(api.Compilation);
        _registered = new RegisteredParameterReach(api, cache, _references);
    }

    /// <summary>The value a read of <paramref name="field"/> in <paramref name="function"/> gives, or null when it is not known.</summary>
    public AbstractValue? Read(IFieldSymbol field, ISymbol function) =>
        !field.IsStatic && field.IsReadOnly && _api.IsTensor(field.Type) && !InConstructor(function) && Known(field) ? TrackedParameter : null;

    /// <summary>The value a read of <paramref name="property"/> in <paramref name="function"/> gives, or null when it is not known.</summary>
    public AbstractValue? Read(IPropertySymbol property, ISymbol function) =>
        IsGetOnly(property) && _api.IsTensor(property.Type) && !InConstructor(function) && Known(property) ? TrackedParameter : null;

    /// <summary>A get-only instance property that a read through its own type cannot dispatch away from.</summary>
    private static bool IsGetOnly(IPropertySymbol property) =>
        !property.IsStatic && !property.IsIndexer && property.SetMethod is null && property.GetMethod is not null && !property.IsVirtual && !property.IsAbstract
        && (!property.IsOverride || property.IsSealed || property.ContainingType.IsSealed);

    private bool Known(ISymbol member)
    {
        if (!_known.TryGetValue(member, out var known))
        {
            known = _known.GetOrAdd(member, Decide(member));
        }

        return known;
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

    private bool Decide(ISymbol member)
    {
        // A struct's field may be read from default(T), where no constructor ran.
        if (member.ContainingType is not { TypeKind: TypeKind.Class } || _api.Library.RegistersParameterFields && !_registered.RegisteredParametersKeepTheirFlag)
        {
            return false;
        }

        if (member is IPropertySymbol property && !IsAutoProperty(property))
        {
            return ReturnedField(property) is { } field && field.IsReadOnly && Known(field);
        }

        var writes = 0;
        foreach (var declaration in member.DeclaringSyntaxReferences)
        {
            var initializer = ConstructorBodies.InitializerOf(declaration.GetSyntax());
            if (initializer is not null)
            {
                if (!CreatesTrackedParameter(_cache.ModelOf(initializer.SyntaxTree).GetOperation(initializer.Value)))
                {
                    return false;
                }

                writes++;
            }
        }

        return OnlyComputedFrom(member, ref writes) && writes > 0;
    }

    /// <summary>Whether every reference of <paramref name="member"/> in source only computes from it (counting its writes).</summary>
    private bool OnlyComputedFrom(ISymbol member, ref int writes)
    {
        if (_references.Of(member) is not { } names)
        {
            return false;
        }

        foreach (var name in names)
        {
            var model = _cache.ModelOf(name.SyntaxTree);
            var operation = model.GetOperation(name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name);
            if (operation is not IMemberReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Member, member))
            {
                if (operation is null && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, member))
                {
                    // Named where no operation describes the use (nameof, attributes, ?.): nothing to rely on.
                    return false;
                }

                continue;
            }

            switch (Use(reference, model))
            {
                case FieldUse.Write:
                    writes++;
                    break;
                case FieldUse.Unsafe:
                    return false;
            }
        }

        return true;
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    /// <summary>The field of this instance that a get-only property's getter only returns (<c>=> _w</c>, <c>get { return _w; }</c>).</summary>
    private IFieldSymbol? ReturnedField(IPropertySymbol property)
    {
        if (!IsGetOnly(property) || property.GetMethod!.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var returned = property.GetMethod.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            ArrowExpressionClauseSyntax arrow => arrow.Expression,
            AccessorDeclarationSyntax { ExpressionBody: { } body } => body.Expression,
            AccessorDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } value } => value,
            _ => null,
        };
        if (returned is null)
        {
            return null;
        }

        var operation = _cache.ModelOf(returned.SyntaxTree).GetOperation(returned);
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation is IFieldReferenceOperation { Field: { IsStatic: false } field, Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } }
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, property.ContainingType)
            ? field
            : null;
    }

    private enum FieldUse
    {
        Read,
        Write,
        Unsafe,
    }

    private FieldUse Use(IMemberReferenceOperation reference, SemanticModel model)
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
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { } register } } when IsRegistration(register):
                return _registered.RegisteredParametersKeepTheirFlag ? FieldUse.Read : FieldUse.Unsafe;
            case IArrayInitializerOperation { Parent: IArrayCreationOperation creation } when RegistersWithOptimizer(creation):
                return FieldUse.Read;
            case IReturnOperation when reference.Member is IFieldSymbol field && model.GetEnclosingSymbol(use.Syntax.SpanStart) is IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol property }
                && SymbolEqualityComparer.Default.Equals(ReturnedField(property), field):
                // The getter that only returns the field: the property's references are the field's.
                var none = 0;
                return OnlyComputedFrom(property, ref none) && none == 0 ? FieldUse.Read : FieldUse.Unsafe;
            default:
                return FieldUse.Unsafe;
        }
    }

    private bool IsRegistration(IMethodSymbol method) => _api.IsInRuntime(method) && _api.IsModule(method.ContainingType) && _api.NameOf(method) == "RegisterParameter";

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

        // StaticGrad's optimizers are constructed, TorchSharp's come from factories (torch.optim.SGD(…)).
        return use.Parent is IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } creation }
            && _api.IsOptimizer(creation.Type) && _api.IsInRuntime(constructor)
            || use.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { } factory } } && _api.IsOptimizer(factory.ReturnType) && _api.IsInRuntime(factory);
    }

    private bool CreatesTrackedParameter(IOperation? value)
    {
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        // `_w = RegisterParameter("w", new Parameter(…))` registers and returns the parameter it is given.
        if (value is IInvocationOperation { TargetMethod: { } register, Arguments.Length: 2 } invocation && IsRegistration(register))
        {
            return _registered.RegisteredParametersKeepTheirFlag && CreatesTrackedParameter(invocation.Arguments[1].Value);
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
