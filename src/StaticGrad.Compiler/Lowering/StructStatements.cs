using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Statements on scalarised structs: declarations, assignments of whole values, and writes of one member.</summary>
internal sealed partial class StatementLowering
{
    /// <summary>A local of a differentiable struct type: one IR local per leaf. False when the local is not one.</summary>
    private bool LowerStructDeclarator(ILocalSymbol local, IVariableInitializerOperation? initializer, List<Stmt> output)
    {
        var layout = StructLayout.Of(local.Type);
        if (layout is null || (local.IsRef && !DeclareRefStructElement(local, initializer, output)))
        {
            return false;
        }

        if (local.IsRef)
        {
            return true;
        }

        var variable = StructLocal(local, layout);
        if (initializer is not null)
        {
            AssignStruct(variable, LowerStruct(initializer.Value), output);
        }

        return true;
    }

    private StructVariable StructLocal(ILocalSymbol local, StructLayout layout)
    {
        if (!_context.Structs.TryGetValue(local, out var variable))
        {
            variable = new StructVariable(layout, layout.Leaves.Select(l => _context.DeclareHidden(local.Name + "_" + l.NameSuffix, l.Type)).ToList());
            _context.Structs[local] = variable;
        }

        return variable;
    }

    /// <summary>Whole-value assignments and compound assignments of structs (<c>v = …</c>, <c>v += w</c>), and writes of a member (<c>v.X = …</c>).</summary>
    private bool LowerStructStatement(IOperation operation, List<Stmt> output)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when IsStruct(assignment.Target.Type) && assignment.Target.Type!.TypeKind == TypeKind.Struct:
                return AssignStructTarget(assignment.Target, LowerStruct(assignment.Value), output);
            case IDeconstructionAssignmentOperation deconstruction when IsStruct(deconstruction.Value.Type):
                {
                    var value = LowerStruct(deconstruction.Value);
                    var targets = new List<VarExpr?>();
                    if (!DeconstructionTargets(deconstruction.Target, targets) || targets.Count != value.Leaves.Length)
                    {
                        UnsupportedStatement(deconstruction.Target, "this deconstruction (deconstruct into locals or parameters)");
                        return true;
                    }

                    var kept = Enumerable.Range(0, targets.Count).Where(i => targets[i] is not null).ToList();
                    AssignLeaves(kept.Select(i => targets[i]!).ToArray(), new StructValue(value.Layout, kept.Select(i => value.Leaves[i]).ToArray()), output);
                    return true;
                }

            case ICompoundAssignmentOperation compound when IsStruct(compound.Target.Type) && compound.Target.Type!.TypeKind == TypeKind.Struct:
                {
                    var layout = StructLayout.Of(compound.Target.Type)!;
                    var value = LowerNumericsBinary(compound.OperatorKind, compound.Target, compound.Value, compound.OperatorMethod, layout, compound.Syntax)
                        ?? UnsupportedStruct(compound, layout, UserOperators.Refusal(compound.OperatorMethod) ?? "compound assignment with this operator on '" + layout.Type.Name + "'");
                    return AssignStructTarget(compound.Target, value, output);
                }

            default:
                return false;
        }
    }

    private bool AssignStructTarget(IOperation target, StructValue value, List<Stmt> output)
    {
        if (target is IArrayElementReferenceOperation { ArrayReference: var refusedArray } && IsRefusedLocal(refusedArray))
        {
            // An element of a refused local array: reported at its declaration.
            return true;
        }

        if (StructTarget(target) is not { } leaves)
        {
            UnsupportedStatement(target, "assignments to this struct (assign a struct local or parameter, a member of one, or an element of a local array of structs)");
            return true;
        }

        AssignLeaves(leaves, value, output);
        return true;
    }

    private void AssignStruct(StructVariable variable, StructValue value, List<Stmt> output) =>
        AssignLeaves(Variables(variable).Leaves, value, output);

    /// <summary>Assigns leaf by leaf; when the value reads a target leaf, every leaf is computed first, so none reads an already updated one.</summary>
    private void AssignLeaves(IReadOnlyList<Expr> targets, StructValue value, List<Stmt> output)
    {
        var names = new HashSet<string>(targets.SelectMany(IrWalker.ReadVariables));
        var values = value.Leaves;
        if (values.Any(v => IrWalker.ReadVariables(v).Any(names.Contains)))
        {
            values = values.Select((v, i) =>
            {
                if (v is ConstExpr)
                {
                    return v;
                }

                var temporary = _context.DeclareHidden("_" + (targets[i] as VarExpr)?.Name + (targets[i] as ElementExpr)?.Array + "New", targets[i].Type);
                output.Add(new AssignStmt(temporary, targets[i].Type, Assigned(v)));
                return new VarExpr(targets[i].Type, temporary);
            }).ToArray();
        }

        for (var i = 0; i < targets.Count; i++)
        {
            output.Add(Write(targets[i], Assigned(values[i])));
        }
    }

    /// <summary>The variables of <c>(x, v)</c> or <c>var (s, c)</c>, leaf by leaf (null for a discard).</summary>
    private bool DeconstructionTargets(IOperation target, List<VarExpr?> targets)
    {
        switch (target)
        {
            case IDeclarationExpressionOperation declaration:
                return DeconstructionTargets(declaration.Expression, targets);
            case ITupleOperation tuple:
                return tuple.Elements.All(e => DeconstructionTargets(e, targets));
            case IDiscardOperation discard:
                targets.AddRange(Enumerable.Repeat<VarExpr?>(null, StructLayout.Of(discard.Type)?.Leaves.Count ?? 1));
                return true;
            case ILocalReferenceOperation local when TypeMapping.ToIrType(local.Local.Type) is { IsCollection: false } type:
                targets.Add(new VarExpr(type, _context.DeclareLocal(local.Local, type)));
                return true;
            case IParameterReferenceOperation or ILocalReferenceOperation when StructTarget(target) is { } leaves:
                targets.AddRange(leaves.Cast<VarExpr>());
                return true;
            case IParameterReferenceOperation parameter when _context.TryGetVariable(parameter.Parameter, out var name, out var type) && !type.IsCollection && type.Scalar != ScalarKind.Opaque:
                targets.Add(new VarExpr(type, name));
                return true;
            default:
                return false;
        }
    }

    /// <summary>The IR variables an assignment to <paramref name="target"/> writes: a struct local, or a struct member of one.</summary>
    private Expr[]? StructTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when _refStructElements.TryGetValue(local.Local, out var element):
                return WritableElement(element);
            case ILocalReferenceOperation local when StructLayout.Of(local.Local.Type) is { } layout:
                return Variables(StructLocal(local.Local, layout)).Leaves;
            case IParameterReferenceOperation parameter when _context.Structs.TryGetValue(parameter.Parameter, out var variable):
                return Variables(variable).Leaves;
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } or IImplicitIndexerReferenceOperation when StructElementTarget(target) is { } elements:
                return elements;
            case IMemberReferenceOperation { Instance: { } instance } member when IsStruct(instance.Type) && StructTarget(instance) is { } whole:
                {
                    var layout = StructLayout.Of(instance.Type)!;
                    var indices = layout.Under(StructLayout.MemberName(member.Member));
                    return indices.Count == 0 ? null : whole.Length == 0 ? whole : indices.Select(i => whole[i]).ToArray();
                }

            default:
                return null;
        }
    }

    /// <summary>A write of one scalar member of a struct local (<c>v.X = …</c>, <c>p.Position.Y += …</c>). False when the target is not one.</summary>
    private bool AssignStructMember(IOperation target, Expr value, List<Stmt> output)
    {
        if (target is not IMemberReferenceOperation { Instance: { } instance } || !IsStruct(instance.Type) || IsStruct(target.Type))
        {
            return false;
        }

        var leaves = StructTarget(target);
        if (leaves is [])
        {
            return true;
        }

        if (leaves is not [var leaf])
        {
            UnsupportedStatement(target, "writes to this member (write a member of a struct local or parameter)");
            return true;
        }

        output.Add(Write(leaf, Convert(value, leaf.Type, target.Syntax)));
        return true;
    }
}
