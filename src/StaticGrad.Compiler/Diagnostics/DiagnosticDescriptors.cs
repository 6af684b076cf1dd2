using System.Collections.Generic;
using Microsoft.CodeAnalysis;

// Release tracking of these ids lives with the analyzer that reports them: analyzers/StaticGrad.Analyzers/AnalyzerReleases.*.md.
#pragma warning disable RS2008

namespace StaticGrad.Compiler.Diagnostics;

/// <summary>
/// The SG1xxx diagnostics: differentiability of [Differentiable] bodies. The compiler core produces them as data
/// (<see cref="Model.DiagnosticInfo"/>); the analyzer in StaticGrad.Analyzers reports them.
/// </summary>
public static class DiagnosticDescriptors
{
    public const string Category = "StaticGrad.Differentiability";

    private const string DocsRoot = "https://github.com/staticgrad/staticgrad/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor InternalError = Error(
        InternalErrors.Id,
        "Internal error in StaticGrad",
        "internal error in StaticGrad while differentiating '{0}': {1}; please report");

    public static readonly DiagnosticDescriptor NoDerivative = Error(
        "SG1001",
        "Call to a method with no derivative",
        "'{0}' has no derivative: mark it [Differentiable], add a [DerivativeOf] rule for it, or wrap the argument in Autograd.Detach");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Error(
        "SG1002",
        "Unsupported construct in a [Differentiable] method",
        "{0} are not supported in [Differentiable] methods");

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "SG1003",
        "[Differentiable] method in a type that is not partial",
        "'{0}' must be declared partial so that the backward of '{1}' can be generated next to it");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error(
        "SG1004",
        "Parameter cannot be differentiated",
        "Parameter '{0}' cannot be differentiated: {1}");

    public static readonly DiagnosticDescriptor ResultIsConstant = Warning(
        "SG1005",
        "Result does not depend on any differentiable parameter",
        "The result of '{0}' does not depend on any differentiable parameter: its gradient is always zero");

    public static readonly DiagnosticDescriptor ZeroDerivative = Warning(
        "SG1006",
        "Derivative is zero through this operation",
        "{0} has a zero derivative: no gradient flows through it to the differentiable parameters");

    public static readonly DiagnosticDescriptor InvalidRule = Error(
        "SG1007",
        "Invalid [DerivativeOf] rule",
        "Invalid [DerivativeOf] rule '{0}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "SG1008",
        "Return type cannot be differentiated",
        "'{0}' returns '{1}': a [Differentiable] method must return double or float");

    public static readonly DiagnosticDescriptor ParameterCollectionWrite = Error(
        "SG1009",
        "Parameter array replaced, or a multi-dimensional parameter array written",
        "'{0}' is a parameter: [Differentiable] methods cannot replace a parameter array, or write to a two-dimensional or jagged parameter array; copy it into a local array first");

    public static readonly DiagnosticDescriptor UnsupportedLocalArray = Error(
        "SG1010",
        "Local array cannot be differentiated",
        "Local array '{0}' {1}: create a local array with 'new T[n]' (also inside a loop or again later) and copy elements into it rather than assigning another array");

    public static readonly DiagnosticDescriptor ArgumentToNoGradParameter = Warning(
        "SG1011",
        "Derivative dropped at a [NoGrad] parameter",
        "The argument for [NoGrad] parameter '{1}' of '{0}' depends on a differentiable parameter, but no derivative flows through a [NoGrad] parameter; {2}");

    public static readonly DiagnosticDescriptor UnsupportedTensorOperation = Error(
        "SG1015",
        "Tensor operation with no derivative in a Tensor-bodied method",
        "{0} is not supported in a Tensor-bodied [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor UnsupportedTensorConstruct = Error(
        "SG1016",
        "Unsupported construct in a Tensor-bodied method",
        "{0} are not supported in Tensor-bodied [Differentiable] methods: write the body as straight-line Tensor assignments and one return");

    public static readonly DiagnosticDescriptor UnsupportedTensorSignature = Error(
        "SG1017",
        "Unsupported signature for a Tensor-bodied method",
        "Tensor-bodied [Differentiable] method '{0}': {1}");
    public static readonly DiagnosticDescriptor NoSecondDerivative = Error(
        "SG1012",
        "Call without a second derivative in a Hessian method",
        "'{0}' has no second derivative, which [Differentiable(Hessian = true)] needs: {1}");

    public static readonly DiagnosticDescriptor GeneratedMemberTaken = Error(
        "SG1020",
        "Generated member name already in use",
        "'{0}' gets no generated code: its generated member '{1}' would clash with {2} of that name; rename that member or the method");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NoDerivative, UnsupportedConstruct, NotPartial, UnsupportedParameter, ResultIsConstant, ZeroDerivative,
        InvalidRule, UnsupportedReturnType, ParameterCollectionWrite, UnsupportedLocalArray, ArgumentToNoGradParameter,
        UnsupportedTensorOperation, UnsupportedTensorConstruct, UnsupportedTensorSignature,
        NoSecondDerivative, InternalError, GeneratedMemberTaken,
    };

    public static DiagnosticDescriptor ById(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        throw new KeyNotFoundException("No StaticGrad descriptor with id " + id);
    }

    /// <summary>The documentation page of a diagnostic; the analyzers' HelpLinks builds the same address.</summary>
    public static string HelpLink(string id) => DocsRoot + id + ".md";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
