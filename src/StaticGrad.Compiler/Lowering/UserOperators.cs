using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// A user operator marked <c>[Differentiable]</c> is differentiated like a method: its generated members are named
/// after the operator's metadata name (<c>op_AdditionBackward</c>, <c>op_UnaryNegationTangent</c>: an operator has no
/// other name), and a use of it (<c>a + b</c>) in a [Differentiable] body is a call of those members. Only the primal
/// call differs from a method's: C# cannot call <c>op_Addition(a, b)</c>, so it is written <c>(a + b)</c>.
/// </summary>
internal static class UserOperators
{
    /// <summary>The operator's token (<c>+</c>) when <paramref name="method"/> is a [Differentiable] arithmetic operator declared in this project, else null.</summary>
    public static string? Token(IMethodSymbol? method)
    {
        if (method is not { MethodKind: MethodKind.UserDefinedOperator, Parameters.Length: 1 or 2 } || method.DeclaringSyntaxReferences.Length == 0
            || !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute))
        {
            return null;
        }

        var token = SyntaxFacts.GetText(SyntaxFacts.GetOperatorKind(method.MetadataName));
        return token is "+" or "-" || (method.Parameters.Length == 2 && token is "*" or "/" or "%") ? token : null;
    }

    /// <summary>Why a use of a user operator that is not read through is refused, when it is one declared here without [Differentiable].</summary>
    public static string? Refusal(IMethodSymbol? method) =>
        method is { MethodKind: MethodKind.UserDefinedOperator } && method.DeclaringSyntaxReferences.Length > 0 && !Symbols.HasAttribute(method, Symbols.DifferentiableAttribute)
            ? "the operator '" + Symbols.Display(method) + "', whose body is more than one expression (mark the operator [Differentiable] as you would a method, or write it as one expression)"
            : null;

    /// <summary>The primal call: <c>((a) + (b))</c> or <c>(-(a))</c>.</summary>
    public static string PrimalText(string token, IReadOnlyList<string> arguments) => arguments.Count == 1
        ? "(" + token + "(" + arguments[0] + "))"
        : "((" + arguments[0] + ") " + token + " (" + arguments[1] + "))";
}
