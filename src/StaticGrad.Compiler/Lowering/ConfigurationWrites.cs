using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Configuration (fields, properties) is read as constant text, and the reverse sweep evaluates that text again: right
/// only while nothing changes it during the call. A call without a derivative whose source here writes a member that
/// the body reads as configuration (<c>H.SetFactor(1.0); var a = x * H.Factor; H.SetFactor(2.0);</c>) would have the
/// reverse read the new value: one SG1002 at the call, with the rewrite (read the member into a local first). Writes
/// by code without source here, and members read only by callees, are assumed not to happen (docs/body-language-statements.md).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Members the body reads as configuration, by declaration.</summary>
    private readonly HashSet<ISymbol> _configurationReads = new(SymbolEqualityComparer.Default);

    /// <summary>Calls without a derivative whose source writes members, and those members.</summary>
    private readonly List<(IOperation Call, IMethodSymbol Method, HashSet<ISymbol> Written)> _memberWritingCalls = new();

    private void NoteConfigurationRead(ISymbol member) => _configurationReads.Add(member.OriginalDefinition);

    /// <summary>Notes the members a call without a derivative writes, when its source is here.</summary>
    private void NoteMemberWrites(IOperation call, IMethodSymbol method)
    {
        if (method.OriginalDefinition.DeclaringSyntaxReferences.Length == 0 || Symbols.HasAttribute(method, Symbols.DifferentiableAttribute))
        {
            return;
        }

        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        CollectMemberWrites(method, written, 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
        if (written.Count > 0)
        {
            _memberWritingCalls.Add((call, method, written));
        }
    }

    /// <summary>After the body: one SG1002 at each call writing a member the body reads as configuration.</summary>
    public void CheckConfigurationWrites()
    {
        var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (call, method, written) in _memberWritingCalls)
        {
            // One error per member, at its first writer: the rewrite (a local read before the calls) fixes them all.
            if (written.FirstOrDefault(_configurationReads.Contains) is { } member && reported.Add(member))
            {
                var local = char.ToLowerInvariant(member.Name[0]) + member.Name.Substring(1);
                _context.Report("SG1002", call.Syntax, "calls of a method that changes what this method reads as configuration ('" + method.Name + "' writes '"
                    + member.ContainingType.Name + "." + member.Name + "', which the reverse sweep would read with its new value; read it into a local before the call, 'var "
                    + local + " = " + member.ContainingType.Name + "." + member.Name + ";', and use the local)");
            }
        }
    }

    private void CollectMemberWrites(IMethodSymbol method, HashSet<ISymbol> written, int depth, HashSet<IMethodSymbol> visited)
    {
        if (depth > MaxReadOnlyDepth || !visited.Add(method.OriginalDefinition))
        {
            return;
        }

        foreach (var declaration in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var syntax = declaration.GetSyntax(_context.CancellationToken);
            var model = _context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, _context.CancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var operation in body.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment:
                        NoteTarget(assignment.Target);
                        break;
                    case ICompoundAssignmentOperation compound:
                        NoteTarget(compound.Target);
                        break;
                    case ICoalesceAssignmentOperation coalesce:
                        NoteTarget(coalesce.Target);
                        break;
                    case IIncrementOrDecrementOperation increment:
                        NoteTarget(increment.Target);
                        break;
                    case IDeconstructionAssignmentOperation { Target: ITupleOperation tuple }:
                        foreach (var element in tuple.Elements)
                        {
                            NoteTarget(element);
                        }

                        break;
                    case IInvocationOperation { TargetMethod: var callee } when callee.OriginalDefinition.DeclaringSyntaxReferences.Length > 0:
                        CollectMemberWrites(callee, written, depth + 1, visited);
                        break;
                }
            }
        }

        void NoteTarget(IOperation target)
        {
            // An element of a member's array or a member of a member's struct changes what reading the member gives.
            while (true)
            {
                switch (target)
                {
                    case IArrayElementReferenceOperation element:
                        target = element.ArrayReference;
                        continue;
                    case IFieldReferenceOperation { Instance: IFieldReferenceOperation or IPropertyReferenceOperation } inner when inner.Field.ContainingType.IsValueType:
                        target = inner.Instance;
                        continue;
                    case IFieldReferenceOperation field:
                        written.Add(field.Field.OriginalDefinition);
                        return;
                    case IPropertyReferenceOperation property:
                        written.Add(property.Property.OriginalDefinition);
                        return;
                    default:
                        return;
                }
            }
        }
    }
}
