using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Arrays and spans of differentiable structs (<c>Particle[]</c>, <c>ReadOnlySpan&lt;Vector3&gt;</c>). Unlike a struct
/// value they are not scalarised into one array per field (that would copy them at the boundary): the IR keeps one
/// array variable of the struct type, and an element's field is an <see cref="ElementExpr"/> indexed by a
/// <see cref="MemberIndexExpr"/>, <c>ps[i].Position.X</c>. The adjoint is a span of the same struct and is written
/// field by field alike (<c>dPs[i].Position.X += …</c>), so the struct's floating fields must all be writable.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The IR type of an array or span of differentiable structs, or null for any other type.</summary>
    public static IrType? StructArrayType(ITypeSymbol? type)
    {
        var (element, shape) = type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => (array.ElementType, ShapeKind.Array),
            INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Span" or "ReadOnlySpan" } span
                when span.ContainingNamespace?.ToDisplayString() == "System" => (span.TypeArguments[0], span.Name == "Span" ? ShapeKind.Span : ShapeKind.ReadOnlySpan),
            _ => ((ITypeSymbol?)null, ShapeKind.Scalar),
        };
        if (element is not { TypeKind: TypeKind.Struct } || StructLayout.Of(element) is not { HasFloating: true } layout
            || layout.Leaves.Any(l => l.Type.IsFloating && !l.Writable))
        {
            return null;
        }

        var scalar = layout.Leaves.Any(l => l.Type.Scalar == ScalarKind.Double) ? ScalarKind.Double : ScalarKind.Float;
        return new IrType(scalar, shape) { StructName = layout.CSharp };
    }

    /// <summary>
    /// <c>ps[i]</c> of an array or span of structs: one element read per field, or null when the operation is not one.
    /// With <paramref name="readOnly"/>, an element of a <c>static readonly</c> table (<c>Atoms[j].Charge</c>,
    /// <c>WorldPoints[i]</c>) is one too, read as <c>foreach</c> reads it (session 25: indexing the table was refused
    /// although iterating it was not); an element written, or aliased by a writable <c>ref</c>, is not: the table is
    /// configuration, which a [Differentiable] method does not change.
    /// </summary>
    private StructValue? StructElement(IOperation operation, bool readOnly = true)
    {
        var (collection, index) = operation switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
            IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } instance } indexer => (instance, indexer.Arguments[0].Value),
            IImplicitIndexerReferenceOperation implicitIndexer => (implicitIndexer.Instance, implicitIndexer.Argument),
            _ => ((IOperation?)null, (IOperation?)null),
        };
        if (collection is null || index is null || StructLayout.Of(operation.Type) is not { } layout)
        {
            return null;
        }

        var (arrayName, hint) = readOnly && StaticTable(collection) is { } table
            ? (table, ((IFieldReferenceOperation)SkipConversions(collection)).Field.Name)
            : LowerExpression(SkipConversions(collection)) is VarExpr { Type.StructName.Length: > 0 } array ? (array.Name, array.Name) : (null, null);
        if (arrayName is null)
        {
            return null;
        }

        var at = Atom(FromEnd(index) is { } fromEnd
            ? new BinaryExpr(IrType.Int, BinaryOp.Subtract, new LengthExpr(arrayName), LowerExpression(fromEnd), -1)
            : Index(index), "_" + hint + "Index");
        return new StructValue(layout, layout.Leaves.Select(l => (Expr)new ElementExpr(l.Type, arrayName, new MemberIndexExpr(at, l.Access))).ToArray());
    }

    /// <summary><c>ref var p = ref particles[i];</c>: another name for that element, its index evaluated once where it is declared.</summary>
    private readonly Dictionary<ISymbol, StructValue> _refStructElements = new(SymbolEqualityComparer.Default);

    /// <summary>Declares a ref local to an element of an array of structs; false when the initializer is not one.</summary>
    private bool DeclareRefStructElement(ILocalSymbol local, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        if (initializer is null || StructElement(SkipConversions(initializer.Value), readOnly: local.RefKind == RefKind.RefReadOnly) is not { } element)
        {
            return false;
        }

        // The index is fixed at the declaration, as C# evaluates it there: later changes of 'i' do not move the alias.
        var first = (MemberIndexExpr)((ElementExpr)element.Leaves[0]).Index;
        Expr index = first.Index;
        if (index is not ConstExpr)
        {
            var name = _context.DeclareHidden("_" + local.Name + "Index", IrType.Int);
            output.Add(new AssignStmt(name, IrType.Int, index));
            index = new VarExpr(IrType.Int, name);
        }

        _refStructElements[local] = new StructValue(element.Layout, element.Leaves.Cast<ElementExpr>().Select(e => (Expr)(e with { Index = new MemberIndexExpr(index, ((MemberIndexExpr)e.Index).Member) })).ToArray());
        return true;
    }

    /// <summary>The elements of <c>ps[i] = …</c> as assignment targets.</summary>
    private Expr[]? StructElementTarget(IOperation target) => StructElement(target, readOnly: false) is { } element ? WritableElement(element) : null;

    private Expr[] WritableElement(StructValue element)
    {
        // A parameter's array is written through a copy made on entry, as one of numbers is (ParameterCopies).
        var array = ((ElementExpr)element.Leaves[0]).Array;
        if (_context.ParameterCollections.Contains(array))
        {
            _context.WrittenStructArrays[array] = element.Layout.Leaves;
        }

        return element.Leaves;
    }

    /// <summary>One write of a scalarised target: a leaf local, or a field of an element of an array of structs.</summary>
    private static Stmt Write(Expr target, Expr value) => target switch
    {
        ElementExpr element => new StoreStmt(element.Array, element.Type, element.Index, value),
        _ => new AssignStmt(((VarExpr)target).Name, target.Type, value),
    };

    /// <summary><c>new[] { a, b }</c> or <c>[a, b]</c> of structs into a local array: each element stored field by field.</summary>
    private void StoreStructElements(string name, IReadOnlyList<IOperation> values, List<Stmt> output)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = LowerStruct(values[i]);
            var index = new ConstExpr(IrType.Int, Emit.IndentedWriter.Literal(i));
            AssignLeaves(value.Layout.Leaves.Select((l, k) => (Expr)new ElementExpr(l.Type, name, new MemberIndexExpr(index, l.Access))).ToArray(), value, output);
        }
    }

    /// <summary><c>foreach (var p in particles)</c> over an array or span of structs: a counted loop whose body starts with <c>p = particles[k]</c>.</summary>
    private bool LowerForEachStruct(IForEachLoopOperation loop, List<Stmt> output)
    {
        var deconstructed = DeconstructedLocals(loop.LoopControlVariable);
        var element = (loop.LoopControlVariable as IVariableDeclaratorOperation)?.Symbol;
        var elementType = element?.Type ?? (deconstructed is null ? null : SkipConversions(loop.Collection).Type switch
        {
            IArrayTypeSymbol { Rank: 1 } a => a.ElementType,
            INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0],
            _ => null,
        });
        // Only a tuple, or a record struct through the Deconstruct C# writes for it, deconstructs field by field in order:
        // a struct's own Deconstruct method may order (or compute) its outputs otherwise.
        if (elementType is null || StructLayout.Of(elementType) is not { } layout
            || (deconstructed is not null && (!DeconstructsInOrder(elementType, layout) || deconstructed.Count != layout.Leaves.Count
                || deconstructed.Where((local, i) => layout.Leaves[i].Path.Count != 1 || TypeMapping.ToIrType(local.Type) != layout.Leaves[i].Type).Any()))
            || (StaticTable(loop.Collection) ?? (LowerExpression(SkipConversions(loop.Collection)) is VarExpr { Type.StructName.Length: > 0 } local ? local.Name : null)) is not { } arrayName)
        {
            return false;
        }

        var index = _context.DeclareHidden("_" + (element?.Name ?? deconstructed![0].Name) + "Index", IrType.Int);
        output.Add(new AssignStmt(index, IrType.Int, new ConstExpr(IrType.Int, "0")));
        _loopDepth++;
        var body = new List<Stmt>();
        var at = new VarExpr(IrType.Int, index);
        if (element is not null)
        {
            AssignStruct(StructLocal(element, layout), new StructValue(layout, layout.Leaves.Select(l => (Expr)new ElementExpr(l.Type, arrayName, new MemberIndexExpr(at, l.Access))).ToArray()), body);
        }
        else
        {
            // `foreach (var (x, y) in points)` over a flat tuple array: each declared local is one field of the element.
            for (var i = 0; i < deconstructed!.Count; i++)
            {
                var leaf = layout.Leaves[i];
                body.Add(new AssignStmt(_context.DeclareLocal(deconstructed[i], leaf.Type), leaf.Type, Assigned(new ElementExpr(leaf.Type, arrayName, new MemberIndexExpr(at, leaf.Access)))));
            }
        }

        LowerInto(loop.Body, body);
        _loopDepth--;
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, at, new LengthExpr(arrayName), -1),
            body.ToEquatableArray(),
            new Stmt[] { new AssignStmt(index, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, at, new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true));
        return true;
    }

    /// <summary>
    /// A <c>static readonly</c> table of tuples or structs (<c>(int A, int B, double Rest)[] Springs</c>, a
    /// <c>CashFlow[] Schedule</c> of a record struct): configuration, read as constants by index like a table of
    /// numbers, so its fields need not be writable (it has no adjoint). Null for any other collection.
    /// </summary>
    private static string? StaticTable(IOperation collection) =>
        SkipConversions(collection) is IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true, Type: IArrayTypeSymbol { Rank: 1 } } field }
            ? field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + Naming.NameScope.Escape(field.Name)
            : null;

    /// <summary>
    /// Whether <c>var (a, b, …)</c> of an element gives its fields in layout order: a tuple does, and so does a record
    /// struct whose Deconstruct is the one C# writes (its positional properties, in order, which are its fields).
    /// </summary>
    private static bool DeconstructsInOrder(ITypeSymbol type, StructLayout layout) =>
        type.IsTupleType
        || (type.IsRecord && type.GetMembers("Deconstruct").OfType<IMethodSymbol>().ToList() is [{ IsImplicitlyDeclared: true } deconstruct]
            && deconstruct.Parameters.Length == layout.Leaves.Count
            && deconstruct.Parameters.Select((p, i) => layout.Leaves[i].Path[0] == p.Name).All(same => same));

    /// <summary>The locals of <c>var (a, b)</c> in a <c>foreach</c>, in order, when each is a new local (no discard, no nesting); null otherwise.</summary>
    private static List<ILocalSymbol>? DeconstructedLocals(IOperation? control)
    {
        var tuple = control switch
        {
            IDeclarationExpressionOperation { Expression: ITupleOperation t } => t,
            ITupleOperation t => t,
            _ => null,
        };
        if (tuple is null)
        {
            return null;
        }

        var locals = new List<ILocalSymbol>();
        foreach (var item in tuple.Elements)
        {
            switch (item)
            {
                case ILocalReferenceOperation { IsDeclaration: true, Local: var local }:
                    locals.Add(local);
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation { Local: var declared } }:
                    locals.Add(declared);
                    break;
                default:
                    return null;
            }
        }

        return locals;
    }
}
