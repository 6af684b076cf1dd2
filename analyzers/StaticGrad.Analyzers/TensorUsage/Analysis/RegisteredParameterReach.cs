using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Whether a module's registered parameters can come back out to code that may change their flag. Registered
/// parameters come back out only through the library's handouts (<see cref="TensorLibrary.ParameterHandouts"/>:
/// StaticGrad's <c>Parameters()</c>, <c>NamedParameters()</c>, <c>GetParameter()</c>, <c>Module.SetRequiresGrad</c>,
/// an optimizer's <c>ParamGroups</c>/<c>State</c>; TorchSharp's <c>parameters()</c>, <c>named_parameters()</c>,
/// <c>get_parameter()</c>, <c>state_dict()</c>, the protected <c>_internal_params</c>/<c>_parameters()</c>/
/// <c>_named_parameters()</c>, an optimizer's <c>param_groups</c>) and an override of the registration method. So a
/// registered parameter keeps the flag it was created with when none of these is named anywhere in the compilation,
/// except <c>parameters()</c> given directly to an optimizer, or to <c>clip_grad_norm_</c>/<c>clip_grad_value_</c>,
/// which change values and gradients, never the flag. TorchSharp (0.107) reaches a module's fields by reflection in
/// two places: <c>RegisterComponents()</c> registers every <c>Parameter</c> field, private or not, and
/// <c>to()</c>/<c>cuda()</c>/<c>cpu()</c>/<c>type()</c> replace a moved or converted parameter's field with a new leaf
/// <c>Parameter</c> made under <c>no_grad</c> with the old <c>requires_grad</c>. Neither changes the flag, nor do
/// <c>train()</c>/<c>eval()</c>, <c>zero_grad()</c> or <c>load()</c>/<c>load_state_dict()</c> (they copy values), in
/// either library. Assumed, not checked: no reflection in user code, and no assembly other than the library that is
/// handed a module or an optimizer asks it for its parameters.
/// </summary>
internal sealed class RegisteredParameterReach
{
    private readonly TensorApi _api;
    private readonly SummaryCache _cache;
    private readonly MemberReferences _references;
    private readonly Lazy<bool> _keepTheirFlag;

    public RegisteredParameterReach(TensorApi api, SummaryCache cache, MemberReferences references)
    {
        _api = api;
        _cache = cache;
        _references = references;
        _keepTheirFlag = new Lazy<bool>(Decide);
    }

    /// <summary>Whether no code of the compilation can get a registered parameter back out to change it.</summary>
    public bool RegisteredParametersKeepTheirFlag => _keepTheirFlag.Value;

    private bool Decide()
    {
        foreach (var handout in _api.Library.ParameterHandouts)
        {
            foreach (var name in _references.Named(handout))
            {
                var symbol = _cache.ModelOf(name.SyntaxTree).GetSymbolInfo(name).Symbol;
                if (symbol is null)
                {
                    return false;
                }

                if (!FromLibrary(symbol))
                {
                    // A member of the user's own of that name, or a local: its body is read like any other code.
                    continue;
                }

                if (_api.NameOf(symbol) != "Parameters" || !GivenToOptimizer(name))
                {
                    return false;
                }
            }
        }

        return !_references.Methods().Any(m => m.Modifiers.Any(t => t.ValueText == "override") && _api.Library.Canonical(m.Identifier.ValueText) == "RegisterParameter");
    }

    /// <summary>A module's or optimizer's member of the library, or a user override of one (called where the library's would be).</summary>
    private bool FromLibrary(ISymbol symbol)
    {
        for (ISymbol? current = symbol; current is not null; current = (current as IMethodSymbol)?.OverriddenMethod ?? (ISymbol?)(current as IPropertySymbol)?.OverriddenProperty)
        {
            if (_api.IsInRuntime(current))
            {
                return _api.IsModule(current.ContainingType) || _api.IsOptimizer(current.ContainingType);
            }
        }

        return false;
    }

    /// <summary><c>m.Parameters()</c> as the argument of an optimizer factory or of <c>clip_grad_norm_</c>/<c>clip_grad_value_</c>: they change values and gradients, never the flag.</summary>
    private bool GivenToOptimizer(SimpleNameSyntax name)
    {
        SyntaxNode call = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        if (call.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != call)
        {
            return false;
        }

        IOperation? use = _cache.ModelOf(name.SyntaxTree).GetOperation(invocation);
        while (use?.Parent is IConversionOperation { OperatorMethod: null } conversion)
        {
            use = conversion;
        }

        if (use?.Parent is not IArgumentOperation argument)
        {
            return false;
        }

        var target = argument.Parent switch
        {
            IInvocationOperation called => called.TargetMethod,
            IObjectCreationOperation created => created.Constructor,
            _ => null,
        };
        return target is not null && _api.IsInRuntime(target)
            && (_api.IsOptimizer(target.MethodKind == MethodKind.Constructor ? target.ContainingType : target.ReturnType) || target.Name is "clip_grad_norm_" or "clip_grad_value_");
    }
}
