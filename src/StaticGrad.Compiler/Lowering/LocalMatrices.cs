using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Local two-dimensional arrays (<c>var grid = new double[n, m]</c>) and local jagged arrays whose rows all get one
/// length (<c>var rows = new double[n][]</c>, then <c>rows[i] = new double[m]</c> in a loop) are stored row by row
/// in one hidden one-dimensional array: <c>grid[i, j]</c> is <c>grid[i * columns + j]</c>. The local never leaves
/// the method, so nobody sees the difference, and everything one-dimensional arrays have (an adjoint rented per
/// array, arrays created inside loops kept on the tape, the tangent) holds for it unchanged.
/// </summary>
internal sealed partial class StatementLowering
{
    private sealed record FlatArray(string Name, Expr Rows, Expr Columns, bool Jagged)
    {
        /// <summary>The hidden row offsets of a ragged jagged literal (<see cref="DeclareLiteralGrid"/>), or null when every row has <see cref="Columns"/> elements.</summary>
        public string? Offsets { get; init; }
    }

    private readonly Dictionary<ILocalSymbol, FlatArray> _flatArrays = new(SymbolEqualityComparer.Default);

    private readonly Dictionary<string, FlatArray> _flatArraysByName = new();

    private readonly HashSet<ILocalSymbol> _refusedJagged = new(SymbolEqualityComparer.Default);

    /// <summary>Declares a local two-dimensional or uniform jagged array as a flat one; false when the declaration is not one.</summary>
    private bool DeclareFlatArray(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        var local = declarator.Symbol;
        if (initializer is null || TypeMapping.ToIrType(local.Type) is not { IsMultiDimensional: true } type)
        {
            return false;
        }

        var body = Root(declarator);
        if (body.Descendants().Any(o => o is IAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local)))
        {
            // Created again later: keeps the one error for a reassigned array (SG1010).
            return false;
        }

        if (!WritesRows(local, body) && DeclareLiteralGrid(local, type, initializer.Value, declarator.Syntax, output))
        {
            return true;
        }

        if (SkipConversions(initializer.Value) is not IArrayCreationOperation { Initializer: null } creation)
        {
            return false;
        }

        IOperation? columns;
        if (type.Shape == ShapeKind.Array2D && creation.DimensionSizes.Length == 2)
        {
            columns = creation.DimensionSizes[1];
        }
        else if (type.Shape == ShapeKind.Jagged && creation.DimensionSizes.Length == 1)
        {
            columns = UniformRowLength(local, declarator, body);
            if (columns is null && DeclareRaggedRowLoop(local, type, creation, declarator, body, output))
            {
                return true;
            }

            if (columns is null)
            {
                _context.Report("SG1010", declarator.Syntax, local.Name, "is a jagged array whose rows are not all created with one length known where it is declared (create every row with 'rows[i] = new double[m];' for one 'm', or every row once in one counted loop 'for (var i = 0; i < rows.Length; i++) rows[i] = new double[f(i)];' (or 'var i = 0; while (i < rows.Length) { rows[i] = new double[f(i)]; …; i++; }') with a length that reads the row index and values that do not change, a choice included: 'new double[i % 2 == 0 ? 2 : 3]'; a row taken from another array, 'rows[i] = other[i]', is not copied: create it, 'new double[other[i].Length]', and copy its elements, or read 'other' itself; or use a two-dimensional array)");
                // Declared as it is, and its row creations skipped, so that its uses lower without a follow-on error.
                _context.DeclareLocal(local, type);
                _refusedJagged.Add(local);
                return true;
            }
        }
        else
        {
            return false;
        }

        var flatType = new IrType(type.Scalar, ShapeKind.Array);
        var name = _context.DeclareLocal(local, flatType);
        var rows = _context.DeclareHidden("_" + local.Name + "Rows", IrType.Int);
        var width = _context.DeclareHidden("_" + local.Name + "Columns", IrType.Int);
        output.Add(new AssignStmt(rows, IrType.Int, LowerExpression(creation.DimensionSizes[0])));
        output.Add(new AssignStmt(width, IrType.Int, LowerExpression(columns)));
        output.Add(new NewArrayStmt(name, flatType, new BinaryExpr(IrType.Int, BinaryOp.Multiply, new VarExpr(IrType.Int, rows), new VarExpr(IrType.Int, width), -1), IsStackAlloc: false));
        var flat = new FlatArray(name, new VarExpr(IrType.Int, rows), new VarExpr(IrType.Int, width), type.Shape == ShapeKind.Jagged);
        _flatArrays[local] = flat;
        _flatArraysByName[name] = flat;
        return true;
    }

    /// <summary>Whether a row of the jagged local is assigned (<c>rows[i] = …</c>) anywhere in the body.</summary>
    private static bool WritesRows(ILocalSymbol local, IOperation body) =>
        body.Descendants().Any(o => o is ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { Indices.Length: 1 } element }
            && SkipConversions(element.ArrayReference) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local));

    /// <summary>The one length every row of a local jagged array is created with, when it can be read where the array is declared.</summary>
    private static IOperation? UniformRowLength(ILocalSymbol local, IVariableDeclaratorOperation declarator, IOperation body)
    {
        var creations = new List<IOperation>();
        foreach (var element in body.Descendants().OfType<IArrayElementReferenceOperation>())
        {
            if (SkipConversions(element.ArrayReference) is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local)
                || element.Parent is not ISimpleAssignmentOperation assignment || !ReferenceEquals(assignment.Target, element))
            {
                continue;
            }

            if (SkipConversions(assignment.Value) is not IArrayCreationOperation { DimensionSizes: [var rowLength], Initializer: null })
            {
                return null;
            }

            creations.Add(rowLength);
        }

        if (creations.Count == 0 || creations.Select(c => c.Syntax.ToString()).Distinct().Count() != 1)
        {
            return null;
        }

        // Read where the array is declared: constants, parameters and locals declared before it, none of them written.
        var length = creations[0];
        foreach (var read in length.DescendantsAndSelf())
        {
            var symbol = read switch
            {
                ILocalReferenceOperation l => (ISymbol)l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (symbol is null)
            {
                continue;
            }

            var written = body.Descendants().Any(o =>
                (o is IAssignmentOperation { Target: var target } && Names(target, symbol)) || (o is IIncrementOrDecrementOperation { Target: var incremented } && Names(incremented, symbol)));
            var declaredBefore = symbol is IParameterSymbol || symbol.Locations.All(l => l.SourceSpan.Start < declarator.Syntax.SpanStart);
            if (written || !declaredBefore)
            {
                return null;
            }
        }

        return length;
    }

    private static bool Names(IOperation target, ISymbol symbol) => target switch
    {
        ILocalReferenceOperation l => SymbolEqualityComparer.Default.Equals(l.Local, symbol),
        IParameterReferenceOperation p => SymbolEqualityComparer.Default.Equals(p.Parameter, symbol),
        _ => false,
    };

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            operation = parent;
        }

        return operation;
    }

    /// <summary>An element, a length or a row length of a flat local array, or null when the operation is none.</summary>
    private Expr? LowerFlatArrayPart(IOperation operation)
    {
        if (_flatArrays.Count == 0)
        {
            return null;
        }

        switch (operation)
        {
            case IArrayElementReferenceOperation { Indices.Length: 2 } element when Flat(element.ArrayReference) is { Jagged: false } flat:
                return FlatElement(element, flat, Index(element.Indices[0]), element.Indices[1]);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when Row(element.ArrayReference) is { } row && _flatArraysByName.TryGetValue(row.Array, out var flat):
                return FlatElement(element, flat, row.Index, element.Indices[0]);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when Flat(instance) is { } flat:
                return flat.Jagged ? flat.Rows : new LengthExpr(flat.Name);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when Row(instance) is { } row && _flatArraysByName.TryGetValue(row.Array, out var flat):
                return RowLength(flat, row.Index);
            case IInvocationOperation { TargetMethod.Name: "GetLength", Instance: { } instance, Arguments: [{ Value.ConstantValue: { HasValue: true, Value: int dimension } }] }
                when Flat(instance) is { Jagged: false } flat && dimension is 0 or 1:
                return dimension == 0 ? flat.Rows : flat.Columns;
            default:
                return null;
        }
    }

    private Expr FlatElement(IOperation element, FlatArray flat, Expr row, IOperation column)
    {
        var index = new BinaryExpr(IrType.Int, BinaryOp.Add, RowStart(flat, row), Index(column), -1);
        return new ElementExpr(TypeMapping.ToIrType(element.Type) ?? IrType.Double, flat.Name, index);
    }

    /// <summary>
    /// The flat local <paramref name="operation"/> names: the local itself, or the parameter of an inlined local function
    /// it was passed to (<c>static double Trace(double[,] m) =&gt; m[0, 0] + …</c> called with a local grid: session 25's
    /// corpus got <c>strain[0, 0]</c> on the hidden one-dimensional array, which did not compile).
    /// </summary>
    private FlatArray? Flat(IOperation operation) => SkipConversions(operation) switch
    {
        ILocalReferenceOperation local when _flatArrays.TryGetValue(local.Local, out var flat) => flat,
        IParameterReferenceOperation parameter when _substitutions.TryGetValue(parameter.Parameter, out var bound) => bound is VarExpr v && _flatArraysByName.TryGetValue(v.Name, out var flat) ? flat : null,
        IParameterReferenceOperation parameter when _context.TryGetVariable(parameter.Parameter, out var name, out _) && _flatArraysByName.TryGetValue(name, out var flat) => flat,
        _ => null,
    };

    /// <summary>The number of rows of a jagged array (flat or not), as a loop over its rows reads it.</summary>
    private Expr RowCount(string array) =>
        _flatArraysByName.TryGetValue(array, out var flat) ? flat.Rows : new LengthExpr(array);

    /// <summary><c>rows[i] = new double[m];</c> of a flat jagged local: the row is zeroed (its storage already exists). False when the statement is not one.</summary>
    private bool LowerFlatRowCreation(ISimpleAssignmentOperation assignment, List<Stmt> output)
    {
        if (assignment.Target is not IArrayElementReferenceOperation { Indices: [var rowIndex] } element)
        {
            return false;
        }

        if (SkipConversions(element.ArrayReference) is ILocalReferenceOperation refused && _refusedJagged.Contains(refused.Local))
        {
            return true;
        }

        if (Flat(element.ArrayReference) is not { Jagged: true } flat)
        {
            return false;
        }

        var row = Atom(Index(rowIndex), "_" + flat.Name + "Row");
        var k = _context.DeclareHidden("_" + flat.Name + "Column", IrType.Int);
        var at = new VarExpr(IrType.Int, k);
        var type = new IrType(TypeMapping.ToIrType(element.Type)?.Scalar ?? ScalarKind.Double, ShapeKind.Scalar);
        var index = new BinaryExpr(IrType.Int, BinaryOp.Add, RowStart(flat, row), at, -1);
        output.Add(new AssignStmt(k, IrType.Int, new ConstExpr(IrType.Int, "0")));
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, at, RowLength(flat, row), -1),
            new Stmt[] { new StoreStmt(flat.Name, type, index, new ConstExpr(type, ZeroText(type))) }.ToEquatableArray(),
            new Stmt[] { new AssignStmt(k, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, at, new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true));
        return true;
    }

    /// <summary>
    /// A flat local passed to a method, or null when the argument is not one. It goes to the callee's <c>T[,]</c> or
    /// <c>T[][]</c> parameter as a copy (<see cref="GridExpr"/>): that is as good as the array itself because a
    /// [Differentiable] method never writes the elements of a two-dimensional or jagged parameter (SG1009), and a
    /// method that is not [Differentiable] gets it only when its source reads the parameter and nothing else
    /// (<see cref="OnlyReads"/>; its result then has no derivative through the array, SG1001 when it would need one).
    /// Anything else is one error (and <see cref="s_error"/>).
    /// </summary>
    private Expr? LowerFlatArgument(IMethodSymbol method, IArgumentOperation argument)
    {
        if (Flat(argument.Value) is not { } flat)
        {
            return null;
        }

        if (argument.Parameter is not { } parameter || TypeMapping.ToIrType(parameter.Type) is not { IsMultiDimensional: true } type
            || type.Shape != (flat.Jagged ? ShapeKind.Jagged : ShapeKind.Array2D))
        {
            return Unsupported(argument, "passing a local " + (flat.Jagged ? "jagged" : "two-dimensional") + " array to a parameter that is not " + (flat.Jagged ? "'T[][]'" : "'T[,]'") + " (pass it to a method taking that type, or read its elements here and pass them one by one)");
        }

        if (!Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) && !OnlyReads(method, parameter))
        {
            return Unsupported(argument, MayWriteReason(flat.Jagged ? "jagged" : "two-dimensional", method));
        }

        return new GridExpr(type, flat.Name, flat.Rows, flat.Offsets is { } offsets ? new VarExpr(new IrType(ScalarKind.Int, ShapeKind.Array), offsets) : flat.Columns);
    }

    private static string MayWriteReason(string shape, IMethodSymbol method) =>
        "passing a " + shape + " array to a method that is not [Differentiable] and may write to it or pass it on ('" + method.Name
        + "': its source here must only read the parameter's elements and lengths; make it [Differentiable], or read the elements here and pass them one by one)";

    /// <summary>
    /// Whether the source of <paramref name="method"/> in this compilation assigns an element of the array or span
    /// <paramref name="parameter"/> (or a field of one), or takes a writable reference to one. A callee writing through
    /// another call is refused at that call in its own body; a callee without source here is not looked into.
    /// </summary>
    private bool WritesElementsOf(IMethodSymbol method, IParameterSymbol parameter)
    {
        if (parameter.Type is not (IArrayTypeSymbol or INamedTypeSymbol { Name: "Span", IsGenericType: true }))
        {
            return false;
        }

        var target = method.OriginalDefinition.Parameters[parameter.Ordinal];
        foreach (var declaration in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var syntax = declaration.GetSyntax(_context.CancellationToken);
            var model = _context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, _context.CancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var use in body.Descendants().OfType<IParameterReferenceOperation>())
            {
                if (!SymbolEqualityComparer.Default.Equals(use.Parameter, target))
                {
                    continue;
                }

                // Up from the parameter through its elements (rows of a jagged array too) and their fields.
                IOperation node = use;
                while (node.Parent is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation or IFieldReferenceOperation
                       && IsInstanceOf(node.Parent, node))
                {
                    node = node.Parent;
                }

                if (!ReferenceEquals(node, use) && node.Parent switch
                    {
                        ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Target, node) || assignment.IsRef,
                        ICompoundAssignmentOperation compound => ReferenceEquals(compound.Target, node),
                        IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation => true,
                        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
                        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref } } => true,
                        _ => false,
                    })
                {
                    return true;
                }
            }
        }

        return false;

        static bool IsInstanceOf(IOperation parent, IOperation child) => parent switch
        {
            IArrayElementReferenceOperation element => ReferenceEquals(element.ArrayReference, child),
            IPropertyReferenceOperation property => ReferenceEquals(property.Instance, child),
            IImplicitIndexerReferenceOperation indexer => ReferenceEquals(indexer.Instance, child),
            IFieldReferenceOperation field => ReferenceEquals(field.Instance, child),
            _ => false,
        };
    }
}
