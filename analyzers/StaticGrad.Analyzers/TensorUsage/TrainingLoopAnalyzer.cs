using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage;

/// <summary>
/// Rules about the shape of a training loop rather than one tensor's state: gradients never cleared in a loop that
/// steps (SG0016), and a layer replaced after the optimizer was built from the module's parameters (SG0015). Both
/// look at one method's operations; both stay silent when code they cannot read might do the missing part.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingLoopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>How deep calls are followed to find out whether a helper clears gradients.</summary>
    private const int MaxHelperDepth = 3;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        ZeroGradMissingRule.Descriptor,
        OptimizerMissesReplacedLayerRule.Descriptor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // As in TensorUsageAnalyzer: registered from names alone, the API resolved at the first callback.
            var compilation = start.Compilation;
            foreach (var library in TensorApi.Candidates(compilation))
            {
                var api = new System.Lazy<TensorApi?>(() => TensorApi.For(compilation, library), LazyThreadSafetyMode.ExecutionAndPublication);
                start.RegisterOperationAction(loop => { if (api.Value is { } resolved) { AnalyzeLoop(loop, resolved); } }, OperationKind.Loop);
                start.RegisterOperationAction(assignment => { if (api.Value is { } resolved) { AnalyzeReplacement(assignment, resolved); } }, OperationKind.SimpleAssignment);
            }
        });
    }

    [MethodImpl(Jit.Optimized)]
    private static void AnalyzeLoop(OperationAnalysisContext context, TensorApi api)
    {
        var loop = (ILoopOperation)context.Operation;
        var own = OwnOperations(loop.Body).ToList();
        var step = own.OfType<IInvocationOperation>().FirstOrDefault(i => IsStep(i, api));
        if (step is null || !own.OfType<IInvocationOperation>().Any(i => IsBackward(i, api)))
        {
            return;
        }

        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (MayClearGradients(loop.Body, api, visited, 0, context.CancellationToken))
        {
            return;
        }

        var optimizer = step.Instance?.Syntax.ToString() ?? "optimizer";
        Report(context.ReportDiagnostic, api, ZeroGradMissingRule.Descriptor, step.Syntax, optimizer);
    }

    /// <summary>Operations of a loop body that run in its iterations (not inside lambdas or local functions declared there).</summary>
    private static IEnumerable<IOperation> OwnOperations(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            yield return operation;
            foreach (var child in operation.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }

    private static bool IsStep(IInvocationOperation invocation, TensorApi api) =>
        api.NameOf(invocation.TargetMethod) == TensorApi.Step && api.IsOptimizer(invocation.TargetMethod.ContainingType) && api.IsInRuntime(invocation.TargetMethod);

    private static bool IsBackward(IInvocationOperation invocation, TensorApi api) =>
        api.NameOf(invocation.TargetMethod) == TensorApi.Backward && (api.IsTensorMember(invocation.TargetMethod) || api.IsAutogradMember(invocation.TargetMethod));

    /// <summary>
    /// Whether anything here may clear or reset gradients: <c>ZeroGrad</c> of anything, any use of a tensor's
    /// <c>Grad</c>, a delegate or virtual call, or a helper (followed <see cref="MaxHelperDepth"/> calls deep) that does.
    /// </summary>
    /// <remarks>
    /// The answer is "yes" as soon as one operation says so, so the operations that answer by themselves are read
    /// first and helpers are followed only when none does: a loop that calls <c>ZeroGrad</c> after a data-loading
    /// helper no longer has that helper's body bound (binding helpers was four fifths of this analyzer's time).
    /// </remarks>
    private static bool MayClearGradients(IOperation root, TensorApi api, HashSet<ISymbol> visited, int depth, CancellationToken cancellationToken) =>
        MayClearGradients(root.DescendantsAndSelf(), api, visited, depth, followHelpers: false, cancellationToken)
        || MayClearGradients(root.DescendantsAndSelf(), api, visited, depth, followHelpers: true, cancellationToken);

    [MethodImpl(Jit.Optimized)]
    private static bool MayClearGradients(IEnumerable<IOperation> operations, TensorApi api, HashSet<ISymbol> visited, int depth, bool followHelpers, CancellationToken cancellationToken)
    {
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation property when api.NameOf(property.Property) == TensorApi.Grad:
                    return true;
                case IInvocationOperation invocation:
                {
                    var method = invocation.TargetMethod;
                    if (method.ContainingType?.TypeKind == TypeKind.Delegate)
                    {
                        // A delegate may run anything, ZeroGrad included.
                        return true;
                    }

                    if (api.NameOf(method) == TensorApi.ZeroGrad || method.Name.IndexOf("ZeroGrad", System.StringComparison.OrdinalIgnoreCase) >= 0 || method.Name.IndexOf("zero_grad", System.StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }

                    // The library's own Step() and Backward() never clear gradients, whatever the optimizer's class.
                    if (!followHelpers || IsStep(invocation, api) || IsBackward(invocation, api)
                        || !api.MayRunUserCode(method, invocation.Instance?.Type, hasDelegateArgument: invocation.Arguments.Any(a => a.Value.Type?.TypeKind == TypeKind.Delegate)))
                    {
                        continue;
                    }

                    var target = api.IsInRuntime(method) ? OverrideInSource(method, invocation.Instance?.Type, api) : method;
                    if (target is null || HelperMayClear(target, api, visited, depth, cancellationToken, virtualAllowed: api.IsInRuntime(method)))
                    {
                        return true;
                    }

                    break;
                }

                case IDynamicInvocationOperation or IDynamicMemberReferenceOperation:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A library module's virtual member called on a user module (<c>model.Forward(x)</c>, TorchSharp's <c>call</c>
    /// running <c>forward</c>): the override the receiver's type declares in source, or null when there is none to read.
    /// A further override in a subclass is not looked for (no one clears gradients in a forward pass).
    /// </summary>
    private static IMethodSymbol? OverrideInSource(IMethodSymbol method, ITypeSymbol? receiver, TensorApi api)
    {
        var name = method.Name == "call" ? "forward" : method.Name;
        for (var type = receiver; type is not null && !api.IsInRuntime(type); type = type.BaseType)
        {
            var found = type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault(m => m.IsOverride && m.Parameters.Length == method.Parameters.Length);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static bool HelperMayClear(IMethodSymbol method, TensorApi api, HashSet<ISymbol> visited, int depth, CancellationToken cancellationToken, bool virtualAllowed = false)
    {
        var overridable = method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && method.ContainingType?.IsSealed != true);
        if ((!virtualAllowed && overridable) || method.ContainingType?.TypeKind == TypeKind.Delegate || depth >= MaxHelperDepth)
        {
            return true;
        }

        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (!visited.Add(definition))
        {
            return false;
        }

        var references = definition.DeclaringSyntaxReferences;
        if (references.IsEmpty || !SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, api.Compilation.Assembly))
        {
            return true;
        }

        foreach (var reference in references)
        {
            if (api.Bodies.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body || MayClearGradients(body, api, visited, depth + 1, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SG0015: <c>model.Head = new Linear(…)</c> after <c>var opt = new Sgd(model.Parameters(), …)</c> in the same block,
    /// with <c>opt.Step()</c> later in that block and <c>opt</c> never reassigned.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private static void AnalyzeReplacement(OperationAnalysisContext context, TensorApi api)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (!api.IsModule(assignment.Value.Type) && !api.IsModule(Unwrapped(assignment.Value).Type)
            || assignment.Target is not (IPropertyReferenceOperation or IFieldReferenceOperation)
            || assignment.Parent is not IExpressionStatementOperation statement || statement.Parent is not IBlockOperation block)
        {
            return;
        }

        var owner = Holder(((IMemberReferenceOperation)assignment.Target).Instance);
        if (owner is null)
        {
            return;
        }

        var index = block.Operations.IndexOf(statement);
        ILocalSymbol? optimizer = null;
        for (var i = 0; i < index && optimizer is null; i++)
        {
            optimizer = OptimizerBuiltFrom(block.Operations[i], owner, api);
        }

        if (optimizer is null || Reassigned(block, optimizer))
        {
            return;
        }

        var stepsLater = block.Operations.Skip(index + 1).SelectMany(o => o.DescendantsAndSelf()).OfType<IInvocationOperation>()
            .Any(i => IsStep(i, api) && Unwrapped(i.Instance) is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(local, optimizer));
        if (!stepsLater)
        {
            return;
        }

        var member = ((IMemberReferenceOperation)assignment.Target).Member.Name;
        // The fix moves the optimizer's declaration below the replacement: it finds it by this name.
        var sink = new DiagnosticSink(context.ReportDiagnostic, api.Library) { Enabled = true };
        var properties = ImmutableDictionary<string, string?>.Empty.Add(OptimizerMissesReplacedLayerRule.OptimizerProperty, optimizer.Name);
        sink.Report(OptimizerMissesReplacedLayerRule.Descriptor, assignment.Syntax, properties, null, member, optimizer.Name, owner.Name);
    }

    /// <summary>The local of an optimizer declared by this statement from <c>owner.Parameters()</c>, if it is one.</summary>
    private static ILocalSymbol? OptimizerBuiltFrom(IOperation statement, ISymbol owner, TensorApi api)
    {
        if (statement is not IVariableDeclarationGroupOperation group)
        {
            return null;
        }

        foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
        {
            var value = declarator.Initializer?.Value is { } v ? Unwrapped(v) : null;
            var built = value switch
            {
                IObjectCreationOperation creation when api.IsOptimizer(creation.Type) => creation.Arguments.Select(a => a.Value),
                IInvocationOperation call when api.IsOptimizer(call.Type) && api.IsInRuntime(call.TargetMethod) => call.Arguments.Select(a => a.Value),
                _ => null,
            };

            if (built is not null && built.SelectMany(a => a.DescendantsAndSelf()).OfType<IInvocationOperation>()
                    .Any(i => i.TargetMethod.Name is "Parameters" or "parameters" && SymbolEqualityComparer.Default.Equals(Holder(i.Instance), owner)))
            {
                return declarator.Symbol;
            }
        }

        return null;
    }

    private static bool Reassigned(IBlockOperation block, ILocalSymbol local) =>
        block.Descendants().OfType<IAssignmentOperation>().Any(a => a.Target is ILocalReferenceOperation { Local: var target } && SymbolEqualityComparer.Default.Equals(target, local));

    /// <summary>The variable or field that holds a module: a local, a parameter, a field of this, or this itself.</summary>
    private static ISymbol? Holder(IOperation? instance) => Unwrapped(instance) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property.SetMethod: null } property => property.Property,
        IInstanceReferenceOperation instanceReference => instanceReference.Type,
        _ => null,
    };

    private static IOperation Unwrapped(IOperation? operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation!;
    }

    private static void Report(System.Action<Diagnostic> report, TensorApi api, DiagnosticDescriptor descriptor, SyntaxNode node, params object?[] arguments)
    {
        var sink = new DiagnosticSink(report, api.Library) { Enabled = true };
        sink.Report(descriptor, node, arguments);
    }
}
