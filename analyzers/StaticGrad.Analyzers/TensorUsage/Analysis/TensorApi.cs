using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The runtime's API as the analysis sees it: symbols resolved once per compilation, and the member names that
/// decide each transfer function. Names live here only, so that a renamed runtime member is adjusted in one place.
/// </summary>
internal sealed class TensorApi
{
    public const string TensorTypeName = "StaticGrad.Tensor";
    public const string AutogradTypeName = "StaticGrad.Autograd";
    public const string GradModeScopeTypeName = "StaticGrad.GradModeScope";
    public const string ParameterTypeName = "StaticGrad.Nn.Parameter";
    public const string DTypeTypeName = "StaticGrad.DType";
    public const string OptimizerTypeName = "StaticGrad.Optim.Optimizer";
    public const string ModuleTypeName = "StaticGrad.Nn.Module";
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
    public static readonly ImmutableHashSet<string> Factories = ImmutableHashSet.Create(
        "FromArray", "Zeros", "Ones", "Full", "Arange", "Randn", "Rand", "Empty", "Eye", "Linspace", "Scalar", "FromScalar",
        "ZerosLike", "OnesLike", "FullLike", "RandLike", "RandnLike", "EmptyLike");

    /// <summary>Operations recorded by autograd: the result requires grad iff grad mode is on and an input requires grad (R3).</summary>
    public static readonly ImmutableHashSet<string> Operations = ImmutableHashSet.Create(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_UnaryNegation", "op_UnaryPlus",
        "Add", "Sub", "Mul", "Div", "Neg", "MatMul", "Mm", "Dot", "Sum", "Mean", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs",
        "Tanh", "Sigmoid", "Relu", "Sin", "Cos", "Clone", "Reshape", "View", "Transpose", "T", "Permute", "Squeeze",
        "Unsqueeze", "Flatten", "Expand", "Softmax", "LogSoftmax", "Round", "Sign", "Clamp", "Max", "Min", "Maximum",
        "Minimum", "Select", "Slice", "Narrow", "get_Item", "Contiguous", "Addmm", "Bmm", "Reciprocal", "Where", "ToDType", "Double",
        "Float");

    /// <summary>Operations whose result has as many elements as the receiver (elementwise, and broadcasting binaries).</summary>
    public static readonly ImmutableHashSet<string> Elementwise = ImmutableHashSet.Create(
        "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_UnaryNegation", "op_UnaryPlus",
        "Add", "Sub", "Mul", "Div", "Neg", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs", "Tanh", "Sigmoid", "Relu", "Sin",
        "Cos", "Clone", "Round", "Sign", "Clamp", "Contiguous", "Maximum", "Minimum", "Reciprocal", "Double", "Float");

    /// <summary>Full reductions: without arguments the result has one element.</summary>
    public static readonly ImmutableHashSet<string> Reductions = ImmutableHashSet.Create("Sum", "Mean", "Dot");

    /// <summary>
    /// Operations whose backward node always saves a tensor (an input or the result, SPEC R17/R29): a second backward
    /// through them without <c>retainGraph</c> fails. Multiplication and division save only when both operands are
    /// tensors; add, sum and views save nothing.
    /// </summary>
    public static readonly ImmutableHashSet<string> SavingOperations = ImmutableHashSet.Create(
        "MatMul", "Mm", "Bmm", "Dot", "Exp", "Log", "Pow", "Sqrt", "Square", "Abs", "Tanh", "Sigmoid", "Relu", "Sin", "Cos", "Clamp",
        "Softmax", "LogSoftmax", "Addmm");

    public static readonly ImmutableHashSet<string> SavingWhenBothTensors = ImmutableHashSet.Create("op_Multiply", "op_Division", "Mul", "Div");

    /// <summary>Views: the result aliases the receiver and is an inference tensor iff the receiver is (whatever the mode).</summary>
    public static readonly ImmutableHashSet<string> AliasViews = ImmutableHashSet.Create(
        "View", "Transpose", "T", "Permute", "Expand", "Unsqueeze", "Squeeze", "Select", "Slice", "Narrow", "get_Item");

    /// <summary>Operations that return the receiver itself in some cases (same dtype, already contiguous) and a new tensor otherwise.</summary>
    public static readonly ImmutableHashSet<string> MayReturnReceiver = ImmutableHashSet.Create(
        "Reshape", "Flatten", "Contiguous", "ToDType", "Double", "Float", "Long", "Int", "Bool");

    /// <summary>
    /// Binary operations whose node saves each tensor operand when another operand requires grad (SPEC R35: an
    /// inference tensor cannot be saved). For <c>Addmm(input, mat1, mat2)</c> only the two matrices are saved.
    /// </summary>
    public static readonly ImmutableHashSet<string> SavesOperandForOther = ImmutableHashSet.Create(
        "op_Multiply", "op_Division", "Mul", "Div", "MatMul", "Mm", "Pow", "Maximum", "Minimum", "Addmm");

    public const string Version = "Version";

    /// <summary>Operations with an integer or bool result: never require grad (R5).</summary>
    public static readonly ImmutableHashSet<string> NonFloatingResults = ImmutableHashSet.Create(
        "op_GreaterThan", "op_LessThan", "op_GreaterThanOrEqual", "op_LessThanOrEqual",
        "Gt", "Lt", "Ge", "Le", "Eq", "Ne", "ArgMax", "ArgMin", "Long", "Int", "Bool", "LogicalAnd", "LogicalOr", "LogicalNot");

    /// <summary>Tensor members that read state only.</summary>
    public static readonly ImmutableHashSet<string> ReadOnlyMembers = ImmutableHashSet.Create(
        "Item", "ToArray", "Size", "ToString", "Equals", "GetHashCode", "Numel", "Dim", "Shape", "IsLeaf", "GradFn",
        "DType", "Version", "IsInference", "IsView", "IsContiguous", "Strides", "NumElements", "At", "RetainsGrad");

    public static readonly ImmutableHashSet<string> FloatingDTypeNames = ImmutableHashSet.Create("Float32", "Float64", "Float16", "BFloat16", "Complex64", "Complex128");

    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _referencesRuntime = new(SymbolEqualityComparer.Default);

    private TensorApi(Compilation compilation, INamedTypeSymbol tensor)
    {
        Compilation = compilation;
        Tensor = tensor;
        Runtime = tensor.ContainingAssembly;
        Autograd = compilation.GetTypeByMetadataName(AutogradTypeName);
        GradModeScope = compilation.GetTypeByMetadataName(GradModeScopeTypeName);
        Parameter = compilation.GetTypeByMetadataName(ParameterTypeName);
        Optimizer = compilation.GetTypeByMetadataName(OptimizerTypeName);
        Module = compilation.GetTypeByMetadataName(ModuleTypeName);
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol Tensor { get; }

    public IAssemblySymbol Runtime { get; }

    public INamedTypeSymbol? Autograd { get; }

    public INamedTypeSymbol? GradModeScope { get; }

    public INamedTypeSymbol? Parameter { get; }

    public INamedTypeSymbol? Optimizer { get; }

    public INamedTypeSymbol? Module { get; }

    public bool IsOptimizer(ITypeSymbol? type) => Optimizer is not null && InheritsFrom(type, Optimizer);

    public bool IsModule(ITypeSymbol? type) => Module is not null && InheritsFrom(type, Module);

    /// <summary>The API of the compilation, or null when StaticGrad's runtime is not referenced (then nothing runs).</summary>
    public static TensorApi? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName(TensorTypeName) is { } tensor ? new TensorApi(compilation, tensor) : null;

    public bool IsTensor(ITypeSymbol? type)
    {
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

    public bool IsAutograd(ISymbol? type) => Autograd is not null && SymbolEqualityComparer.Default.Equals(type, Autograd);

    public bool IsGradModeScope(ITypeSymbol? type) => GradModeScope is not null && SymbolEqualityComparer.Default.Equals(type, GradModeScope);

    public bool IsTensorMember(ISymbol member) => SymbolEqualityComparer.Default.Equals(member.ContainingType, Tensor);

    public bool IsInRuntime(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, Runtime);

    /// <summary>
    /// Whether calling <paramref name="member"/> may run code that touches autograd state we track: user code of an
    /// assembly that references StaticGrad, an overridable runtime member, or anything handed a delegate.
    /// </summary>
    public bool MayRunUserCode(ISymbol member, ITypeSymbol? receiverType, bool hasDelegateArgument)
    {
        if (hasDelegateArgument)
        {
            return true;
        }

        if (IsInRuntime(member))
        {
            return (member.IsVirtual || member.IsAbstract || member.IsOverride) && receiverType is { IsSealed: false };
        }

        var assembly = member.ContainingAssembly;
        return assembly is null || ReferencesRuntime(assembly);
    }

    private bool ReferencesRuntime(IAssemblySymbol assembly) =>
        _referencesRuntime.GetOrAdd(assembly, a =>
            SymbolEqualityComparer.Default.Equals(a, Compilation.Assembly)
            || a.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, Runtime) || r.Name == Runtime.Name)));

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
