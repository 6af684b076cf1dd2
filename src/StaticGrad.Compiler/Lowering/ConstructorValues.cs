using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A struct constructor that computes a member from its parameters (<c>Degrees = Math.Max(degrees, -273.15);</c>,
/// <c>Length = Math.Sqrt(x * x + y * y);</c>): the value is lowered where the struct is created, each parameter read
/// as its argument (lowered once). Only numbers, the constructor's scalar parameters, constants, static members,
/// calls of static methods and the struct's own members are read: a member read (<c>Length = Math.Sqrt(X * X + Y * Y);</c>
/// after <c>X = x; Y = y;</c>) or an instance method (<c>Length = this.Norm();</c>) sees the members as the statements
/// before it left them (zero when not yet assigned, as C# leaves them), through the same inlining as any struct member.
/// </summary>
internal sealed partial class StatementLowering
{
    private static bool ConstructorValue(IOperation value, IMethodSymbol constructor) =>
        TypeMapping.ToIrType(value.Type) is { IsCollection: false, StructName.Length: 0 } type && type.Scalar != ScalarKind.Opaque
        && value.DescendantsAndSelf().All(o => o switch
        {
            IParameterReferenceOperation p => SymbolEqualityComparer.Default.Equals(p.Parameter.ContainingSymbol, constructor)
                && TypeMapping.ToIrType(p.Type) is { IsCollection: false, StructName.Length: 0 },
            ILiteralOperation or IBinaryOperation or IUnaryOperation or IConversionOperation or IConditionalOperation or IArgumentOperation or IParenthesizedOperation => true,
            IInvocationOperation { Instance: null, TargetMethod.IsStatic: true } => true,
            IFieldReferenceOperation { Instance: null } or IPropertyReferenceOperation { Instance: null } => true,
            IInstanceReferenceOperation => true,
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation } or IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Arguments.Length: 0 } => true,
            IInvocationOperation { Instance: IInstanceReferenceOperation } => true,
            _ => false,
        });

    /// <summary>
    /// A computed member's value; when it reads the struct's own members, <c>this</c> stands for the members assigned
    /// so far (<paramref name="members"/>, bound to locals once, so that every later read shares them).
    /// </summary>
    private Expr LowerConstructorValue(IOperation value, StructLayout layout, Expr[] members)
    {
        if (!value.DescendantsAndSelf().Any(o => o is IInstanceReferenceOperation))
        {
            return LowerExpression(value);
        }

        var self = Atoms(new StructValue(layout, members), "_self");
        System.Array.Copy(self.Leaves, members, members.Length);
        var saved = _inlinedInstance;
        _inlinedInstance = self;
        var lowered = LowerExpression(value);
        _inlinedInstance = saved;
        return lowered;
    }

    /// <summary>Reads each scalar parameter the values read as its argument; false (nothing bound) when one is a struct.</summary>
    private bool BindConstructorArguments(IMethodSymbol constructor, List<IOperation> arguments, IEnumerable<IOperation> values)
    {
        var read = new HashSet<IParameterSymbol>(values.SelectMany(v => v.DescendantsAndSelf()).OfType<IParameterReferenceOperation>().Select(p => p.Parameter), SymbolEqualityComparer.Default);
        if (read.Any(p => p.Ordinal >= arguments.Count || IsStruct(arguments[p.Ordinal].Type)))
        {
            return false;
        }

        var bound = read.OrderBy(p => p.Ordinal).Select(p => (p, Atom(LowerExpression(arguments[p.Ordinal]), "_" + p.Name))).ToList();
        foreach (var (parameter, value) in bound)
        {
            _substitutions[parameter] = value;
        }

        return true;
    }

    private void UnbindConstructorArguments(IMethodSymbol constructor)
    {
        foreach (var parameter in constructor.Parameters)
        {
            _substitutions.Remove(parameter);
        }
    }
}
