using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>The StaticGrad symbols the lowering recognises, by metadata name, and symbol helpers.</summary>
internal static class Symbols
{
    public const string DifferentiableAttribute = "StaticGrad.DifferentiableAttribute";
    public const string NoGradAttribute = "StaticGrad.NoGradAttribute";
    public const string DerivativeOfAttribute = "StaticGrad.DerivativeOfAttribute";
    public const string Autograd = "StaticGrad.Autograd";

    public static bool HasAttribute(ISymbol symbol, string metadataName) => SymbolNames.HasAttribute(symbol, metadataName);

    public static bool IsAutograd(IMethodSymbol method, string name) =>
        method.Name == name && SymbolNames.Is(method.ContainingType, Autograd);

    /// <summary>The identity of a method for rule lookup: <c>global::T.M(double,double)</c>.</summary>
    public static string Key(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        return definition.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + definition.Name + "(" +
            string.Join(",", definition.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")";
    }

    public static string Display(IMethodSymbol method) => method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    /// <summary>How a callee's parameter's adjoint is passed to its generated backward.</summary>
    public static ParameterPassing BackwardPassing(IParameterSymbol parameter)
    {
        if (HasAttribute(parameter, NoGradAttribute))
        {
            return new ParameterPassing(AdjointPassing.None, parameter.Name);
        }

        return RulePassing(parameter);
    }

    /// <summary>How a rule receives a target parameter's adjoint: every floating parameter gets one.</summary>
    public static ParameterPassing RulePassing(IParameterSymbol parameter)
    {
        var type = TypeMapping.ToIrType(parameter.Type);
        return new ParameterPassing(type is { IsFloating: true } ? AdjointPassing.Ref : type is { IsFloatingCollection: true } ? AdjointPassing.Span : AdjointPassing.None, parameter.Name);
    }
}
