using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The runtime's API as the analysis sees it: symbols resolved once per compilation, and the member names that
/// decide each transfer function. Names live here only, so that a renamed runtime member is adjusted in one place.
/// </summary>
internal sealed class TensorApi
{
    public const string Step = "Step";
    public const string ZeroGrad = "ZeroGrad";
    public const string SetToNoneParameter = "setToNone";

    public const string RequiresGrad = "RequiresGrad";
    public const string SetRequiresGrad = "SetRequiresGrad";
    public const string Grad = "Grad";
    public const string Backward = "Backward";
    public const string RetainGrad = "RetainGrad";
    public const string Detach = "Detach";
    public const string DetachInPlace = "DetachInPlace";
    public const string CopyFrom = "CopyFrom";
    public const string ToDType = "ToDType";
    public const string InPlaceSuffix = "InPlace";
    public const string Dispose = "Dispose";

    public const string NoGrad = "NoGrad";
    public const string EnableGrad = "EnableGrad";
    public const string SetGradEnabled = "SetGradEnabled";
    public const string InferenceMode = "InferenceMode";

    /// <summary>Names of the gradient, retain-graph and requires-grad parameters.</summary>
    public const string GradientParameter = "gradient";
    public const string RetainGraphParameter = "retainGraph";
    public const string RequiresGradParameter = "requiresGrad";
    public const string DTypeParameter = "dtype";

    /// <summary>Static methods of Tensor that create a new leaf (requires grad only through <c>requiresGrad:</c>).</summary>
    // Plain hash sets: these are asked on every operation the analysis reads (an immutable set's lookup walks a tree).
    private static HashSet<string> Names(params string[] names) => new(names, StringComparer.Ordinal);

    public static readonly HashSet<string> Factories = Names(
        "FromArray", "Zeros", "Ones", "Full", "Arange", "Randn", "Rand", "Empty", "Eye", "Linspace", "Scalar", "FromScalar",
        "ZerosLike", "OnesLike", "FullLike", "RandLike", "RandnLike", "EmptyLike");

    /// <summary>Operations recorded by autograd: the result requires grad iff grad mode is on and an input requires grad (R3).</summary>
    public static readonly HashSet<string> Operations = Names(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_UnaryNegation", "op_UnaryPlus",
        "Add", "Sub", "Mul", "Div", "Neg", "MatMul", "Mm", "Dot", "Sum", "Mean", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs",
        "Tanh", "Sigmoid", "Relu", "Sin", "Cos", "Clone", "Reshape", "View", "Transpose", "T", "Permute", "Squeeze",
        "Unsqueeze", "Flatten", "Expand", "Softmax", "LogSoftmax", "Round", "Sign", "Clamp", "Max", "Min", "Maximum",
        "Minimum", "Select", "Slice", "Narrow", "get_Item", "Contiguous", "Addmm", "Bmm", "Reciprocal", "Where", "ToDType", "Double",
        "Float");

    /// <summary>Operations whose result has as many elements as the receiver (elementwise, and broadcasting binaries).</summary>
    public static readonly HashSet<string> Elementwise = Names(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_UnaryNegation", "op_UnaryPlus",
        "Add", "Sub", "Mul", "Div", "Neg", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs", "Tanh", "Sigmoid", "Relu", "Sin",
        "Cos", "Clone", "Round", "Sign", "Clamp", "Contiguous", "Maximum", "Minimum", "Reciprocal", "Double", "Float");

    /// <summary>Full reductions: without arguments the result has one element.</summary>
    public static readonly HashSet<string> Reductions = Names("Sum", "Mean", "Dot");

    /// <summary>
    /// Operations whose backward node always saves a tensor (an input or the result, SPEC R17/R29): a second backward
    /// through them without <c>retainGraph</c> fails. Multiplication and division save only when both operands are
    /// tensors; add, sum and views save nothing.
    /// </summary>
    public static readonly HashSet<string> SavingOperations = Names(
        "MatMul", "Mm", "Bmm", "Dot", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs", "Tanh", "Sigmoid", "Relu", "Sin", "Cos", "Clamp",
        "Softmax", "LogSoftmax", "Addmm");

    public static readonly HashSet<string> SavingWhenBothTensors = Names("op_Multiply", "op_Division", "Mul", "Div");

    /// <summary>Views: the result aliases the receiver and is an inference tensor iff the receiver is (whatever the mode).</summary>
    public static readonly HashSet<string> AliasViews = Names(
        "View", "Transpose", "T", "Permute", "Expand", "Unsqueeze", "Squeeze", "Select", "Slice", "Narrow", "get_Item");

    /// <summary>Operations that return the receiver itself in some cases (same dtype, already contiguous) and a new tensor otherwise.</summary>
    public static readonly HashSet<string> MayReturnReceiver = Names(
        "Reshape", "Flatten", "Contiguous", "ToDType", "Double", "Float", "Long", "Int", "Bool");

    /// <summary>
    /// Binary operations whose node saves each tensor operand when another operand requires grad (SPEC R35: an
    /// inference tensor cannot be saved). For <c>Addmm(input, mat1, mat2)</c> only the two matrices are saved.
    /// </summary>
    public static readonly HashSet<string> SavesOperandForOther = Names(
        "op_Multiply", "op_Division", "Mul", "Div", "MatMul", "Mm", "Pow", "Maximum", "Minimum", "Addmm");

    public const string Version = "Version";
    public const string Addition = "op_Addition";
    public const string Item = "Item";

    /// <summary>Operations with an integer or bool result: never require grad (R5).</summary>
    public static readonly HashSet<string> NonFloatingResults = Names(
        "op_GreaterThan", "op_LessThan", "op_GreaterThanOrEqual", "op_LessThanOrEqual",
        "Gt", "Lt", "Ge", "Le", "Eq", "Ne", "ArgMax", "ArgMin", "Long", "Int", "Bool", "LogicalAnd", "LogicalOr", "LogicalNot");

    /// <summary>Tensor members that read state only.</summary>
    public static readonly HashSet<string> ReadOnlyMembers = Names(
        "Item", "ToArray", "Size", "ToString", "Equals", "GetHashCode", "Numel", "Dim", "Shape", "IsLeaf", "GradFn",
        "DType", "Version", "IsInference", "IsView", "IsContiguous", "Strides", "NumElements", "At", "RetainsGrad");

    public static readonly HashSet<string> FloatingDTypeNames = Names(
        "Float32", "Float64", "Float16", "BFloat16", "Complex64", "Complex128", "ComplexFloat16", "ComplexFloat32", "ComplexFloat64",
        "float32", "float64", "float16", "bfloat16", "complex64", "complex128", "cfloat", "cdouble", "float", "double", "half");

    /// <summary>TorchSharp's dtype fields on <c>torch</c> that are not floating (its enum's members are classified like StaticGrad's).</summary>
    public static readonly HashSet<string> NonFloatingDTypeFields = Names(
        "int64", "int32", "int16", "int8", "uint8", "bool", "long", "int", "short");

    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _referencesRuntime = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _takesNoModules = new(SymbolEqualityComparer.Default);

    private readonly ImmutableArray<INamedTypeSymbol> _autogradTypes;
    private readonly ImmutableHashSet<ITypeSymbol> _scopeTypes;

    private TensorApi(Compilation compilation, INamedTypeSymbol tensor, TensorLibrary library)
    {
        Compilation = compilation;
        Bodies = Interprocedural.BoundBodies.For(compilation);
        Library = library;
        Tensor = tensor;
        Runtime = tensor.ContainingAssembly;
        FactoryHost = library.FactoryHost is { } host ? LibraryType(host) : tensor;
        _autogradTypes = library.AutogradTypes.Select(LibraryType).Where(t => t is not null).Select(t => t!).ToImmutableArray();
        Autograd = _autogradTypes.FirstOrDefault();
        Parameter = LibraryType(library.ParameterType);
        Optimizer = LibraryType(library.OptimizerType);
        Module = LibraryType(library.ModuleType);

        // The scope types are what the grad-mode functions return (GradModeScope, TorchSharp's AutoGradMode and InferenceMode).
        var scopes = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in _autogradTypes)
        {
            // By name first: TorchSharp's torch class has thousands of members, and materialising every one of them
            // (GetMembers()) was a tenth of the analyzers' own time on the cost benchmark's TorchSharp project.
            foreach (var name in type.MemberNames)
            {
                if (!IsGradModeName(library.Canonical(name)))
                {
                    continue;
                }

                foreach (var member in type.GetMembers(name))
                {
                    if (member is IMethodSymbol { IsStatic: true, ReturnType: { SpecialType: not SpecialType.System_Void } returned } && returned.TypeKind != TypeKind.Interface)
                    {
                        scopes.Add(returned);
                    }
                }
            }
        }

        _scopeTypes = scopes.ToImmutable();
    }

    /// <summary>
    /// A type of the library, looked up in the tensor type's assembly: the compilation's lookup searches every
    /// reference for ambiguities (about 190 of them in a .NET project), which was a tenth of the compilation-start
    /// action's time on the cost benchmark's projects. A type elsewhere is still found through the compilation.
    /// </summary>
    private INamedTypeSymbol? LibraryType(string metadataName) =>
        Runtime.GetTypeByMetadataName(metadataName) ?? Compilation.GetTypeByMetadataName(metadataName);

    public Compilation Compilation { get; }

    /// <summary>Which library this is (names, spelling of messages).</summary>
    public TensorLibrary Library { get; }

    public INamedTypeSymbol Tensor { get; }

    /// <summary>The type whose static methods create tensors and run operations (StaticGrad's Tensor, TorchSharp's torch).</summary>
    public INamedTypeSymbol? FactoryHost { get; }

    public IAssemblySymbol Runtime { get; }

    public INamedTypeSymbol? Autograd { get; }

    public INamedTypeSymbol? Parameter { get; }

    public INamedTypeSymbol? Optimizer { get; }

    public INamedTypeSymbol? Module { get; }

    /// <summary>The canonical (StaticGrad) name of a library member: the names the transfer functions are written against.</summary>
    [MethodImpl(Jit.Optimized)]
    public string NameOf(ISymbol member) => Library.Canonical(member.Name);

    /// <summary>The canonical name of a parameter (<c>retain_graph</c> → <c>retainGraph</c>).</summary>
    [MethodImpl(Jit.Optimized)]
    public string NameOf(IParameterSymbol? parameter) => parameter is null ? string.Empty : Library.CanonicalParameter(parameter.Name);

    public static bool IsGradModeName(string name) => name is NoGrad or EnableGrad or SetGradEnabled or InferenceMode;

    public bool IsOptimizer(ITypeSymbol? type) => Optimizer is not null && InheritsFrom(type, Optimizer);

    public bool IsModule(ITypeSymbol? type) => Module is not null && InheritsFrom(type, Module);

    /// <summary>
    /// The API of each tensor library the compilation references (StaticGrad's, TorchSharp's); empty when it references
    /// neither, and then the analyzer registers nothing.
    /// </summary>
    public static ImmutableArray<TensorApi> CreateAll(Compilation compilation) => Apis.GetValue(compilation, Resolve).Apis;

    /// <summary>
    /// The libraries whose tensor type the compilation may have, from names alone (nothing bound, no lookup): an
    /// analyzer registers for these at compilation start and resolves the API with <see cref="For"/> at its first
    /// callback. A project that references neither library gets none.
    /// </summary>
    public static ImmutableArray<TensorLibrary> Candidates(Compilation compilation) =>
        Libraries.Where(library => MayReference(compilation, library)).ToImmutableArray();

    /// <summary>The API of <paramref name="library"/> in the compilation (resolved once, shared with <see cref="CreateAll"/>); null when it lacks the tensor type.</summary>
    public static TensorApi? For(Compilation compilation, TensorLibrary library)
    {
        foreach (var api in CreateAll(compilation))
        {
            if (api.Library == library)
            {
                return api;
            }
        }

        return null;
    }

    private static readonly TensorLibrary[] Libraries = [StaticGradLibrary.Instance, TorchSharpLibrary.Instance];

    private static bool MayReference(Compilation compilation, TensorLibrary library) =>
        LibraryPresence.MayHold(compilation, library.AssemblyName, library.TensorType.Substring(library.TensorType.LastIndexOf('.') + 1).Split('+')[0]);

    /// <summary>One resolution per compilation, shared by this assembly's analyzers (each used to resolve the libraries itself).</summary>
    private static readonly ConditionalWeakTable<Compilation, Resolved> Apis = new();

    private sealed class Resolved(ImmutableArray<TensorApi> apis)
    {
        public ImmutableArray<TensorApi> Apis { get; } = apis;
    }

    private static Resolved Resolve(Compilation compilation)
    {
        var apis = ImmutableArray.CreateBuilder<TensorApi>();
        foreach (var library in Libraries)
        {
            if (MayReference(compilation, library) && compilation.GetTypeByMetadataName(library.TensorType) is { } tensor)
            {
                apis.Add(new TensorApi(compilation, tensor, library));
            }
        }

        return new Resolved(apis.ToImmutable());
    }

    [MethodImpl(Jit.Optimized)]
    public bool IsTensor(ITypeSymbol? type)
    {
        // Both libraries' tensors are classes: numbers, strings, arrays, structs and delegates end here (a hot path).
        if (type is null || type.TypeKind != TypeKind.Class || type.SpecialType != SpecialType.None)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, Tensor))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsParameter(ITypeSymbol? type) => Parameter is not null && InheritsFrom(type, Parameter);

    /// <summary>
    /// Whether a call is an autograd function: a grad-mode change or <c>Grad</c>/<c>Backward</c> of the autograd type.
    /// TorchSharp keeps the mode functions next to its factories (<c>torch.no_grad()</c>), so there only those names count.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public bool IsAutogradMember(IMethodSymbol method)
    {
        if (!IsAutogradType(method.ContainingType))
        {
            return false;
        }

        return !SymbolEqualityComparer.Default.Equals(method.ContainingType, FactoryHost) || IsGradModeName(NameOf(method)) || NameOf(method) == "IsGradEnabled";
    }

    private bool IsAutogradType(INamedTypeSymbol? type)
    {
        // A plain loop: ImmutableArray's Contains with a comparer boxes the array on every call of this hot path.
        foreach (var autograd in _autogradTypes)
        {
            if (SymbolEqualityComparer.Default.Equals(autograd, type))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(Jit.Optimized)]
    public bool IsGradModeScope(ITypeSymbol? type) => type is not null && _scopeTypes.Contains(type);

    /// <summary>A member of the tensor type, or a static factory or operation of the library's factory host.</summary>
    [MethodImpl(Jit.Optimized)]
    public bool IsTensorMember(ISymbol member)
    {
        if (SymbolEqualityComparer.Default.Equals(member.ContainingType, Tensor))
        {
            return true;
        }

        if (!member.IsStatic || !SymbolEqualityComparer.Default.Equals(member.ContainingType, FactoryHost) || member is not IMethodSymbol { ReturnType: var returned } || !IsTensor(returned))
        {
            return false;
        }

        var name = NameOf(member);
        return Factories.Contains(name) || Operations.Contains(name) || NonFloatingResults.Contains(name);
    }

    [MethodImpl(Jit.Optimized)]
    /// <summary>
    /// One semantic model per tree for the compilation, for rules that read a helper's body from another method (a
    /// fresh model per question bound that body again every time).
    /// </summary>
    public SemanticModel ModelOf(SyntaxTree tree) => Bodies.ModelOf(tree);

    /// <summary>The bodies the driver bound and the semantic models, shared by this assembly's analyzers for the compilation.</summary>
    public Interprocedural.BoundBodies Bodies { get; }

    public bool IsInRuntime(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, Runtime);

    /// <summary>
    /// Whether calling <paramref name="member"/> may run code that touches autograd state we track: user code of an
    /// assembly that references StaticGrad, an overridable runtime member, or anything handed a delegate.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public bool MayRunUserCode(ISymbol member, ITypeSymbol? receiverType, bool hasDelegateArgument)
    {
        if (hasDelegateArgument)
        {
            return true;
        }

        if (IsInRuntime(member))
        {
            return (member.IsVirtual || member.IsAbstract || member.IsOverride) && receiverType is { IsSealed: false } || RunsChildModules(member, receiverType)
                || RunsReceiversForward(member, receiverType);
        }

        var assembly = member.ContainingAssembly;
        return assembly is null || ReferencesRuntime(assembly);
    }

    private bool ReferencesRuntime(IAssemblySymbol assembly) =>
        _referencesRuntime.GetOrAdd(assembly, a =>
            SymbolEqualityComparer.Default.Equals(a, Compilation.Assembly)
            || a.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, Runtime) || r.Name == Runtime.Name)));

    /// <summary>
    /// Whether no constructor of <paramref name="type"/> takes modules (Sequential does, and runs them), decided once per
    /// type for the compilation: reading the constructors on every forward call was about a twentieth of the walks.
    /// </summary>
    public bool TakesNoModules(INamedTypeSymbol type) =>
        _takesNoModules.TryGetValue(type, out var known) ? known
        : _takesNoModules.GetOrAdd(type, !type.InstanceConstructors.Any(c => c.Parameters.Any(p => HoldsModule(p.Type))));

    /// <summary>
    /// A forward call of a library container (<c>Sequential</c>, sealed, whose constructors take modules) runs its
    /// children's <c>Forward</c>, which may be user code: the container's own override says nothing about them.
    /// </summary>
    private bool RunsChildModules(ISymbol member, ITypeSymbol? receiverType) =>
        member is IMethodSymbol { Name: "Forward" or "forward" or "call" } && (receiverType ?? member.ContainingType) is INamedTypeSymbol container
        && IsModule(container) && !TakesNoModules(container);

    /// <summary>
    /// TorchSharp's <c>call</c> (not virtual) runs the receiver's <c>forward</c>: user code unless the receiver is one of
    /// the library's sealed modules (a user module's <c>forward</c> may change the grad mode). Not followed into the
    /// override: the call is unknown code.
    /// </summary>
    private bool RunsReceiversForward(ISymbol member, ITypeSymbol? receiverType) =>
        member is IMethodSymbol { Name: "call", IsStatic: false } && IsModule(member.ContainingType)
        && (receiverType is not { IsSealed: true } || !IsInRuntime(receiverType));

    private bool HoldsModule(ITypeSymbol type) =>
        IsModule(type)
        || type is IArrayTypeSymbol array && HoldsModule(array.ElementType)
        || type is INamedTypeSymbol { IsGenericType: true } generic && generic.TypeArguments.Any(HoldsModule);

    private static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
