using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

internal sealed partial class StatementLowering
{
    /// <summary>
    /// A call of a recursive local function: a call of its lifted member (<see cref="LocalFunctionLifting"/>) with the
    /// arguments, then the method's variables it reads, as the calling scope sees them.
    /// </summary>
    private Expr LowerLiftedCall(LocalFunctionLifting lifting, IInvocationOperation invocation)
    {
        if (lifting.Lift(invocation.TargetMethod) is not { } lifted)
        {
            return s_error;
        }

        // Named arguments in another order than the parameters': evaluated first, as written.
        LowerInWrittenOrder(invocation.Arguments, scalarsOnly: true);
        var arguments = new Expr[invocation.TargetMethod.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            arguments[argument.Parameter!.Ordinal] = LowerSliceArgument(argument.Value, argument.Parameter.Type) ?? LowerExpression(argument.Value);
        }

        var all = new List<Expr>(arguments);
        all.AddRange(lifted.Captures.Select(capture => Variable(invocation, capture)));
        return new MethodCallExpr(lifted.ReturnType, lifted.Target, all.ToEquatableArray(), _context.Site(invocation.Syntax));
    }
}
