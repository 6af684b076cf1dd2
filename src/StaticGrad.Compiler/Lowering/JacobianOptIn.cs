using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Reads <c>[Differentiable(Jacobian = true)]</c>. <c>{Name}Jacobian</c> is written over the method's own parameters,
/// one adjoint set per floating field of the result, so it needs a tuple or struct result and parameters that are
/// scalars, arrays or spans (a struct parameter would need an adjoint struct per field of the result).
/// </summary>
internal static class JacobianOptIn
{
    /// <summary>Whether the Jacobian is asked for; SG1002 at the method when it cannot be generated.</summary>
    public static bool Check(IMethodSymbol method, LocationInfo? location, LoweringContext context)
    {
        if (OutputOptIn.Explicit(method, OutputOptIn.Jacobian) != true)
        {
            return false;
        }

        if (context.ResultSeeds is null)
        {
            context.Report("SG1002", location, "Jacobian = true on a method that returns one value (its backward already gives the one row of its Jacobian: remove Jacobian = true)");
            return false;
        }

        if (method.Parameters.Any(p => context.Structs.ContainsKey(p)))
        {
            context.Report("SG1002", location, "Jacobian = true on a method with struct parameters (pass their fields as separate parameters, or call the backward once per field of the result)");
            return false;
        }

        return true;
    }
}
