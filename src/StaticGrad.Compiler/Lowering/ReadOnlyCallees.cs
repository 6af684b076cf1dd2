using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Arrays handed to methods without a derivative (plain helpers, rule primals). The reverse sweep reads an element of
/// the body's arrays again instead of saving it when the body itself does not overwrite it, which holds only if no
/// call writes the array behind the body's back: directly, or later through a reference it kept (a static field, an
/// object, a captured lambda). A callee with its source here is read to decide; a callee without source (the base
/// library, other assemblies) is assumed to only read an array whose call result is used (a statement call gets a
/// writable array refused in <c>StatementLowering.Effects</c>).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>How many calls deep <see cref="OnlyReads"/> follows an array handed on (a helper calling a helper).</summary>
    private const int MaxReadOnlyDepth = 4;

    /// <summary>
    /// The refusal reason when <paramref name="argument"/> passes one of the body's writable arrays or spans to a method
    /// without a derivative whose source here keeps or writes it; null otherwise.
    /// </summary>
    private string? KeptOrWrittenArgument(IMethodSymbol method, IArgumentOperation argument)
    {
        var value = SkipConversions(argument.Value);
        if (argument.Parameter is not { } parameter || Symbols.HasAttribute(method, Symbols.DifferentiableAttribute)
            || method.OriginalDefinition.DeclaringSyntaxReferences.Length == 0
            || value is not (ILocalReferenceOperation or IParameterReferenceOperation)
            || TypeMapping.ToIrType(value.Type) is not { IsCollection: true, Shape: not ShapeKind.ReadOnlySpan }
            || OnlyReads(method, parameter))
        {
            return null;
        }

        return "calls passing an array to a method without a derivative that keeps or writes it ('" + method.Name + "' keeps or writes its parameter '"
            + parameter.Name + "', so a later call could change '" + value.Syntax + "' before the reverse sweep reads it again; declare the parameter 'ReadOnlySpan<"
            + ElementName(parameter.Type) + ">' if '" + method.Name + "' only reads it, or pass the elements one by one)";
    }

    /// <summary>
    /// Methods without source here that are known to only read an array handed to them as <c>object</c>,
    /// <c>IEnumerable&lt;T&gt;</c>, <c>T[]</c> or <c>Array</c>, and to keep no reference to it: guards, console and debug
    /// output, string formatting, LINQ queries that return a value or a copy, and <c>Array</c>'s searches and copies
    /// from it. Anything else of the base library or another assembly (<c>List&lt;object&gt;.Add</c>,
    /// <c>Enumerable.AsEnumerable</c>, which hands the array itself back) may keep it.
    /// </summary>
    private static bool LibraryOnlyReads(IMethodSymbol method, IParameterSymbol parameter)
    {
        var definition = method.ReducedFrom ?? method.OriginalDefinition;
        switch (definition.ContainingType?.ToDisplayString())
        {
            case "System.Console" or "System.Diagnostics.Debug" or "System.Diagnostics.Trace":
            case "System.ArgumentNullException" or "System.ArgumentException" or "System.ArgumentOutOfRangeException" or "System.ObjectDisposedException":
                return definition.IsStatic;
            case "System.String":
                return definition.IsStatic && definition.Name is "Join" or "Concat" or "Format";
            case "System.Linq.Enumerable":
                return definition.ReturnType.IsValueType || definition.ReturnType.SpecialType == SpecialType.System_String || definition.Name is "ToArray" or "ToList";
            case "System.Array":
                return definition.Name is "IndexOf" or "LastIndexOf" or "BinarySearch" or "Exists" or "Find" or "FindIndex" or "FindLast" or "FindLastIndex" or "FindAll" or "TrueForAll"
                    || (definition.Name is "Copy" or "ConstrainedCopy" && parameter.Name == "sourceArray");
            default:
                return false;
        }
    }

    /// <summary><c>a.AsSpan()</c>, <c>a.AsSpan(i, n)</c>: a span over the array's own elements.</summary>
    private static bool IsSpanOfArgument(IInvocationOperation call) =>
        call.TargetMethod.Name == "AsSpan" && call.TargetMethod.ContainingType?.ToDisplayString() == "System.MemoryExtensions";

    /// <summary>Types whose methods turn a read-only view (or any reference) into a writable one.</summary>
    private static bool IsMemoryEscapeHatch(IMethodSymbol method) =>
        method.ContainingType?.ToDisplayString() is "System.Runtime.InteropServices.MemoryMarshal" or "System.Runtime.CompilerServices.Unsafe" or "System.Runtime.InteropServices.CollectionsMarshal";

    /// <summary>Methods (as declared) and parameter ordinals, compared by symbol.</summary>
    private sealed class MethodOrdinalComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public static readonly MethodOrdinalComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y) =>
            x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }

    private static bool IsReadOnlySpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "ReadOnlySpan" or "ReadOnlyMemory", IsGenericType: true, ContainingNamespace.Name: "System" };

    private static ITypeSymbol? ElementType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic => generic.TypeArguments[0],
        _ => null,
    };

    private static string ElementName(ITypeSymbol type) =>
        ElementType(type)?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "T";

    /// <summary>
    /// Whether <paramref name="method"/> has its source in this compilation and the source uses
    /// <paramref name="parameter"/> only to read elements (<c>p[i, j]</c>, <c>p[i][j]</c>, a span's <c>p[i]</c>) and
    /// lengths (<c>p.Length</c>, <c>p.GetLength(d)</c>, <c>p[i].Length</c>), to loop over values with <c>foreach</c>, or
    /// to hand it to a read-only view (a <c>ReadOnlySpan</c> parameter, <see cref="LibraryOnlyReads"/>, a copy) or to
    /// another method of this compilation that only reads it (followed <see cref="MaxReadOnlyDepth"/> calls deep; a
    /// recursive call reads when the rest of the body does): then a copy of a local passed to it, or a parameter array
    /// the reverse sweep reads again, holds what the method saw, and no later call can write it through a reference
    /// the method kept.
    /// </summary>
    private bool OnlyReads(IMethodSymbol method, IParameterSymbol parameter, int depth = 0, HashSet<(IMethodSymbol, int)>? inProgress = null)
    {
        var declarations = method.OriginalDefinition.DeclaringSyntaxReferences;
        // A call of a virtual or interface method may run an override whose source is elsewhere.
        if (declarations.Length == 0 || method.IsAbstract || method.IsExtern || method.IsVirtual || (method.IsOverride && !method.IsSealed)
            || method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            return false;
        }

        var target = method.OriginalDefinition.Parameters[parameter.Ordinal];

        // A recursive call handing the parameter on reads it exactly when the rest of the body does.
        inProgress ??= new HashSet<(IMethodSymbol, int)>(MethodOrdinalComparer.Instance);
        if (!inProgress.Add((method.OriginalDefinition, parameter.Ordinal)))
        {
            return true;
        }

        foreach (var declaration in declarations)
        {
            var syntax = declaration.GetSyntax(_context.CancellationToken);
            var model = _context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, _context.CancellationToken) is not { } body)
            {
                return false;
            }

            foreach (var use in body.Descendants().OfType<IParameterReferenceOperation>())
            {
                if (SymbolEqualityComparer.Default.Equals(use.Parameter, target) && !IsRead(use, rowsLeft: target.Type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol } ? 1 : 0, depth))
                {
                    return false;
                }
            }
        }

        return true;

        bool IsRead(IOperation use, int rowsLeft, int depth)
        {
            // Views that hand out elements by value are safe only when the elements are values: a jagged array's rows
            // (or class elements) come out as writable references.
            var valuesOut = rowsLeft == 0 && ElementType(target.Type) is { IsValueType: true };
            switch (use.Parent)
            {
                case IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" or "Rank" }:
                    return true;
                case IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" } call when ReferenceEquals(call.Instance, use):
                    return true;
                case IArrayElementReferenceOperation element when ReferenceEquals(element.ArrayReference, use):
                    return rowsLeft > 0 ? IsRead(element, rowsLeft - 1, depth) : IsValueRead(element);
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when ReferenceEquals(indexer.Instance, use) && rowsLeft == 0:
                    return IsValueRead(indexer);
                case IImplicitIndexerReferenceOperation indexer when ReferenceEquals(indexer.Instance, use) && rowsLeft == 0:
                    return IsValueRead(indexer);
                case IForEachLoopOperation loop when ReferenceEquals(loop.Collection, use):
                    return valuesOut;
                case IConversionOperation { OperatorMethod: null } conversion when IsReadOnlySpan(conversion.Type):
                    return true;
                case IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion:
                    return IsRead(conversion, rowsLeft, depth);
                case IInvocationOperation { TargetMethod.Name: "Clone" or "CopyTo" } call when ReferenceEquals(call.Instance, use) && use.Type is IArrayTypeSymbol:
                    // A copy of the array, or the array copied into another: this one is only read.
                    return true;
                case IArgumentOperation { Parameter: { RefKind: RefKind.None } passedTo, Parent: IInvocationOperation call }:
                    if (IsMemoryEscapeHatch(call.TargetMethod))
                    {
                        return false;
                    }

                    if (call.TargetMethod.OriginalDefinition.DeclaringSyntaxReferences.Length > 0)
                    {
                        return depth < MaxReadOnlyDepth && !Symbols.HasAttribute(call.TargetMethod, Symbols.DifferentiableAttribute) && OnlyReads(call.TargetMethod, passedTo, depth + 1, inProgress);
                    }

                    if (IsSpanOfArgument(call))
                    {
                        // a.AsSpan(): the same elements under another name; follow what the span is used for.
                        return IsRead(call, rowsLeft, depth);
                    }

                    return IsReadOnlySpan(passedTo.Type) || (valuesOut && LibraryOnlyReads(call.TargetMethod, passedTo));
                default:
                    return false;
            }
        }

        // Only parents that consume the element's value read it. Anything else may hand out a writable reference
        // (a ref local or ref reassignment, a ref conditional, a ref return, an `in` argument that
        // `Unsafe.AsRef` writes through, a mutating call on a struct element) and counts as a write.
        bool IsValueRead(IOperation element) => element.Parent switch
        {
            IBinaryOperation or IUnaryOperation or IConversionOperation or IInterpolationOperation or IIsPatternOperation
                or IIsTypeOperation or ISwitchOperation or ISwitchExpressionOperation => true,
            IConditionalOperation conditional => !conditional.IsRef,
            ISimpleAssignmentOperation assignment => !assignment.IsRef && ReferenceEquals(assignment.Value, element),
            ICompoundAssignmentOperation compound => ReferenceEquals(compound.Value, element),
            IArgumentOperation argument => argument.Parameter?.RefKind == RefKind.None,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.None } } => true,
            IReturnOperation ret => !ReturnsByRef(ret),
            IFieldReferenceOperation field => ReferenceEquals(field.Instance, element) && IsValueRead(field),
            IPropertyReferenceOperation property => ReferenceEquals(property.Instance, element) && property.Arguments.IsEmpty
                && (element.Type?.IsReadOnly == true || property.Property.GetMethod?.IsReadOnly == true) && IsValueRead(property),
            IInvocationOperation call => ReferenceEquals(call.Instance, element)
                && (element.Type?.SpecialType is not (null or SpecialType.None) || element.Type?.IsReadOnly == true || call.TargetMethod.IsReadOnly),
            _ => false,
        };

        // A return hands out a reference when the function it leaves (a local function, a lambda or the method) returns by ref.
        bool ReturnsByRef(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case ILocalFunctionOperation local:
                        return local.Symbol.RefKind != RefKind.None;
                    case IAnonymousFunctionOperation lambda:
                        return lambda.Symbol.RefKind != RefKind.None;
                }
            }

            return method.OriginalDefinition.RefKind != RefKind.None;
        }
    }
}
