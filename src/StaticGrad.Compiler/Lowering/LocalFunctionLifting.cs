using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>A recursive local function lifted to a member: how to call it, and the method's variables it reads (passed after its own arguments).</summary>
internal sealed record LiftedFunction(CallTarget Target, IrType ReturnType, IReadOnlyList<ISymbol> Captures);

/// <summary>
/// A local function that calls itself, directly or through other local functions, cannot be inlined: it is lifted to
/// a private member of the containing type (<c>_{Method}_{Function}</c>) and differentiated like a [Differentiable]
/// callee of the method. The method's variables it reads (its captures, and those of the local functions it calls)
/// become extra parameters after its own, so an active capture gets an adjoint and an inactive one passes through;
/// its calls, in the method and in its own body, are calls of that member. The member's primal, backward, tangent
/// and Hessian code is written into the method's generated files (<see cref="DifferentiableMethodSpec.Lifted"/>).
/// Non-recursive local functions stay inlined.
/// </summary>
internal sealed class LocalFunctionLifting
{
    private readonly IMethodSymbol _method;
    private readonly LoweringContext _context;
    private readonly Dictionary<IMethodSymbol, LiftedFunction?> _lifted = new(SymbolEqualityComparer.Default);
    private readonly List<DifferentiableMethodSpec> _specs = new();
    private readonly HashSet<string> _names = new();
    private readonly Dictionary<IMethodSymbol, bool> _recursive = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, IReadOnlyList<IMethodSymbol>> _callees = new(SymbolEqualityComparer.Default);

    public LocalFunctionLifting(IMethodSymbol method, LoweringContext context)
    {
        _method = method;
        _context = context;
    }

    public EquatableArray<DifferentiableMethodSpec> Specs => _specs.ToEquatableArray();

    /// <summary>The body of a local function of the method being lowered (null when it has none in this tree).</summary>
    public static IBlockOperation? Body(IMethodSymbol function, LoweringContext context)
    {
        foreach (var reference in function.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(context.CancellationToken);
            if (context.SemanticModel.SyntaxTree == syntax.SyntaxTree
                && context.SemanticModel.GetOperation(syntax, context.CancellationToken) is ILocalFunctionOperation { Body: { } body })
            {
                return body;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="function"/> is reached again from the local functions it calls.</summary>
    public bool IsRecursive(IMethodSymbol function)
    {
        if (!_recursive.TryGetValue(function, out var recursive))
        {
            recursive = Callees(function).Any(c => Reachable(c).Contains(function));
            _recursive[function] = recursive;
        }

        return recursive;
    }

    /// <summary>The lifted member for <paramref name="function"/> (lowered on first use), or null after a reported error.</summary>
    public LiftedFunction? Lift(IMethodSymbol function)
    {
        if (_lifted.TryGetValue(function, out var known))
        {
            return known;
        }

        // Registered before its body is lowered: the body calls it again.
        _lifted[function] = null;
        var location = LocationInfo.From(function.Locations.FirstOrDefault());
        if (Refusal(function) is { } refusal)
        {
            _context.Report("SG1002", location, "recursive local functions " + refusal);
            return null;
        }

        var body = Body(function, _context)!;
        var group = Reachable(function);
        var captures = Captures(group);
        if (WriteToCaptured(group, captures) is { } write)
        {
            _context.Report("SG1002", write.Syntax, "recursive local functions that write a variable of the method or an element of an array they are given ('" + function.Name + "' is lifted to a member, which gets their values; return the new value instead)");
            return null;
        }

        var refusedCapture = captures.FirstOrDefault(c => TypeMapping.ToIrType(TypeOf(c)) is null);
        if (refusedCapture is not null)
        {
            _context.Report("SG1002", location, "recursive local functions that read a variable of type '" + TypeOf(refusedCapture).ToDisplayString() + "' of the method ('" + refusedCapture.Name + "'; pass the values it needs as parameters)");
            return null;
        }

        var context = new LoweringContext(_context);
        var parameters = new List<ParamIR>();
        foreach (var parameter in function.Parameters)
        {
            var type = TypeMapping.ToIrType(parameter.Type)!;
            context.DeclareParameter(parameter, type);
            parameters.Add(new ParamIR(Naming.NameScope.Escape(parameter.Name), type, type.IsFloating || type.IsFloatingCollection));
        }

        foreach (var capture in captures)
        {
            var type = TypeMapping.ToIrType(TypeOf(capture))!;
            parameters.Add(new ParamIR(context.DeclareCapture(capture, type), type, type.IsFloating || type.IsFloatingCollection));
        }

        var name = MemberName(function);
        var receiver = MethodLowering.Receiver(_method);
        var returnType = TypeMapping.ToIrType(function.ReturnType)!;
        var target = new CallTarget(
            CallKind.Differentiable,
            receiver + "." + name,
            receiver + "." + name + "Backward",
            Symbols.Key(_method) + "#" + name,
            "local function " + function.Name,
            parameters.Select(p => new ParameterPassing(p.Type.IsFloating ? AdjointPassing.Ref : p.Type.IsFloatingCollection ? AdjointPassing.Span : AdjointPassing.None, p.Name)).ToEquatableArray())
        {
            HasHessian = HessianOptIn.IsSet(_method),
        };
        var lifted = new LiftedFunction(target, returnType, captures);
        _lifted[function] = lifted;

        var statements = ParameterCopies.Apply(parameters, new StatementLowering(context).LowerBlock(body), context);
        if (statements.Any(s => IrWalker.Statements(new[] { s }.ToEquatableArray()).OfType<StoreStmt>().Any(store => parameters.Any(p => p.Name == store.Array))))
        {
            _context.Report("SG1002", location, "recursive local functions that write elements of an array they are given ('" + function.Name + "'; write into a local array of the function)");
        }

        var ir = new MethodIR(name, returnType, parameters.ToEquatableArray(), context.Locals.ToEquatableArray(), statements.ToEquatableArray()) { CheckedArithmetic = _context.SemanticModel.Compilation.Options.CheckOverflow };
        _specs.Add(new DifferentiableMethodSpec(
            MethodLowering.HintName(_method),
            _method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            MethodLowering.ContainingTypes(_method).ToEquatableArray(),
            "private",
            _method.IsStatic,
            ir,
            context.HasErrors) { Hessian = HessianOptIn.IsSet(_method), Receiver = receiver });
        return lifted;
    }

    private string? Refusal(IMethodSymbol function)
    {
        if (GenericMath.Spec(_method) is not null || function.IsGenericMethod)
        {
            return "in generic methods ('" + function.Name + "'; make it a [Differentiable] method of the type)";
        }

        if (TypeMapping.ToIrType(function.ReturnType) is not { IsFloating: true })
        {
            return "that do not return double or float ('" + function.Name + "'; write the recursion as a loop, or make it a method of the type)";
        }

        if (function.Parameters.FirstOrDefault(p => p.RefKind != RefKind.None || p.IsParams || TypeMapping.ToIrType(p.Type) is null) is { } parameter)
        {
            return "with a parameter like '" + parameter.ToDisplayString() + "' ('" + function.Name + "'; take double, float, int, their arrays or spans, by value)";
        }

        return Body(function, _context) is null ? "without a body" : null;
    }

    private IReadOnlyList<IMethodSymbol> Callees(IMethodSymbol function)
    {
        if (!_callees.TryGetValue(function, out var callees))
        {
            callees = Body(function, _context) is { } body
                ? body.Descendants().OfType<IInvocationOperation>().Select(i => i.TargetMethod).Where(m => m.MethodKind == MethodKind.LocalFunction).ToList()
                : new List<IMethodSymbol>();
            _callees[function] = callees;
        }

        return callees;
    }

    /// <summary><paramref name="function"/> and every local function it calls, directly or not.</summary>
    private HashSet<IMethodSymbol> Reachable(IMethodSymbol function)
    {
        var reached = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { function };
        var pending = new Stack<IMethodSymbol>(new[] { function });
        while (pending.Count > 0)
        {
            foreach (var callee in Callees(pending.Pop()))
            {
                if (reached.Add(callee))
                {
                    pending.Push(callee);
                }
            }
        }

        return reached;
    }

    /// <summary>The variables the group reads that are declared outside it, in the order they first appear.</summary>
    private List<ISymbol> Captures(HashSet<IMethodSymbol> group)
    {
        var captures = new List<ISymbol>();
        foreach (var function in group.OrderBy(f => f.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
        {
            foreach (var operation in Body(function, _context)!.Descendants())
            {
                var symbol = operation switch
                {
                    ILocalReferenceOperation { Local.IsConst: false } local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (symbol is not null && !DeclaredInside(symbol, group) && !captures.Contains(symbol, SymbolEqualityComparer.Default))
                {
                    captures.Add(symbol);
                }
            }
        }

        return captures;
    }

    private static bool DeclaredInside(ISymbol symbol, HashSet<IMethodSymbol> group)
    {
        for (var container = symbol.ContainingSymbol; container is IMethodSymbol method; container = method.ContainingSymbol)
        {
            if (group.Contains(method))
            {
                return true;
            }

            if (method.MethodKind is not (MethodKind.LocalFunction or MethodKind.AnonymousFunction))
            {
                return false;
            }
        }

        return false;
    }

    private IOperation? WriteToCaptured(HashSet<IMethodSymbol> group, List<ISymbol> captures)
    {
        foreach (var function in group)
        {
            foreach (var operation in Body(function, _context)!.Descendants())
            {
                var target = operation switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                    _ => null,
                };
                var element = target is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation;
                target = target switch
                {
                    IArrayElementReferenceOperation e => e.ArrayReference,
                    IPropertyReferenceOperation { Property.IsIndexer: true } p => p.Instance,
                    IImplicitIndexerReferenceOperation i => i.Instance,
                    _ => target,
                };
                var symbol = target switch
                {
                    ILocalReferenceOperation local => (ISymbol)local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    _ => null,
                };
                if (symbol is not null && (captures.Contains(symbol, SymbolEqualityComparer.Default) || (element && symbol is IParameterSymbol { ContainingSymbol: IMethodSymbol owner } && group.Contains(owner))))
                {
                    return operation;
                }
            }
        }

        return null;
    }

    private static ITypeSymbol TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => throw new System.InvalidOperationException(symbol.Kind.ToString()),
    };

    /// <summary>A member name the type does not use as a prefix of any member: <c>_{Method}_{Function}</c>, with a counter on a clash.</summary>
    private string MemberName(IMethodSymbol function)
    {
        var hint = MethodLowering.HintName(_method);
        hint = hint.Substring(0, hint.Length - ".g.cs".Length);
        var stem = "_" + hint.Substring(hint.LastIndexOf('.') + 1) + "_" + function.Name;
        var members = _method.ContainingType.MemberNames.ToList();
        var name = stem;
        for (var i = 1; !_names.Add(name) || members.Any(m => m.StartsWith(name, System.StringComparison.Ordinal)); i++)
        {
            name = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
