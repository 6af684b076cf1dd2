using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Struct and tuple arguments to another [Differentiable] method: the callee's generated backward and tangent have
/// scalarised overloads (one parameter per leaf, the same the contract's overloads call), so the call passes the
/// argument's leaves to them and gets one adjoint per floating leaf; only the primal call rebuilds the value
/// (<see cref="ArgumentTemplate"/>).
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The argument's leaves, or zeros after one located error when the callee cannot take them.</summary>
    private StructValue LowerStructArgument(IInvocationOperation invocation, IArgumentOperation argument)
    {
        var layout = StructLayout.Of(argument.Value.Type)!;
        var parameter = argument.Parameter!;
        if (!Symbols.HasAttribute(invocation.TargetMethod, Symbols.DifferentiableAttribute) || invocation.TargetMethod.DeclaringSyntaxReferences.Length == 0)
        {
            return UnsupportedStruct(argument, layout, "passing a '" + layout.Type.Name + "' to a method that is not [Differentiable] in this project (read its fields here, or pass them one by one)");
        }

        if (Symbols.HasAttribute(parameter, Symbols.NoGradAttribute) || !SymbolEqualityComparer.Default.Equals(parameter.Type, argument.Value.Type)
            || StructConstruction.Text(layout, ArgumentTemplate.Placeholders(layout.Leaves.Count).ToList()) is null)
        {
            return UnsupportedStruct(argument, layout, "passing a '" + layout.Type.Name + "' to '" + invocation.TargetMethod.Name + "' here (a struct or tuple argument is passed to a differentiable parameter of exactly its type, whose members are all settable; pass its fields one by one otherwise)");
        }

        return LowerStruct(argument.Value);
    }

    /// <summary>
    /// A struct or tuple for a [NoGrad] parameter of a [Differentiable] callee: the callee takes the whole value and
    /// gives it no adjoint, so the call passes it rebuilt from its leaves (<c>(new Material { … })</c>, an expression
    /// of the opaque type; no derivative flows through it, SG1011 says so when one would), or null when the argument
    /// is not one.
    /// </summary>
    private Expr? NoGradStructArgument(IInvocationOperation invocation, IArgumentOperation argument)
    {
        if (argument.Parameter is not { } parameter || !Symbols.HasAttribute(parameter, Symbols.NoGradAttribute)
            || !Symbols.HasAttribute(invocation.TargetMethod, Symbols.DifferentiableAttribute) || invocation.TargetMethod.DeclaringSyntaxReferences.Length == 0
            || !SymbolEqualityComparer.Default.Equals(parameter.Type, argument.Value.Type) || StructLayout.Of(argument.Value.Type) is not { } layout
            || StructConstruction.Text(layout, ArgumentTemplate.Placeholders(layout.Leaves.Count).ToList()) is not { } text)
        {
            return null;
        }

        var leaves = LowerStruct(argument.Value).Leaves;
        var construction = new CallTarget(
            CallKind.Opaque,
            string.Empty,
            string.Empty,
            NoGradConstructionKey,
            Symbols.Display(invocation.TargetMethod),
            leaves.Select(_ => new ParameterPassing(AdjointPassing.None, parameter.Name)).ToEquatableArray())
        {
            Templates = new[] { new ArgumentTemplate(leaves.Length, text) }.ToEquatableArray(),
        };
        return new MethodCallExpr(IrType.Opaque(layout.CSharp), construction, leaves.ToEquatableArray(), _context.Site(argument.Syntax));
    }

    /// <summary>The key of a struct rebuilt for a [NoGrad] parameter (<see cref="NoGradStructArgument"/>).</summary>
    internal const string NoGradConstructionKey = "#nograd-struct";

    private Expr StructArgumentCall(IOperation invocation, IrType type, CallTarget target, Expr[] arguments, Dictionary<int, StructValue> structs)
    {
        var leaves = new List<Expr>();
        var passings = new List<ParameterPassing>();
        var templates = new List<ArgumentTemplate>();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!structs.TryGetValue(i, out var value))
            {
                leaves.Add(arguments[i]);
                passings.Add(target.Adjoints[i]);
                templates.Add(new ArgumentTemplate(1, ArgumentTemplate.Placeholder(0)));
                continue;
            }

            var layout = value.Layout;
            leaves.AddRange(value.Leaves);
            passings.AddRange(layout.Leaves.Select(l => new ParameterPassing(l.Type.IsFloating ? AdjointPassing.Ref : AdjointPassing.None, target.Adjoints[i].Name + "_" + l.NameSuffix)));
            var fields = ArgumentTemplate.Placeholders(layout.Leaves.Count).ToList();
            templates.Add(new ArgumentTemplate(layout.Leaves.Count, StructConstruction.Text(layout, fields)!));
        }

        // The scalarised overloads have no variant including [NoGrad] parameters. A callee with Hessian = true has a
        // scalarised Jvp (its IR parameters are the leaves), which takes a tangent for every floating leaf: exactly
        // the leaves' adjoints, so the call keeps its second order when no other parameter is [NoGrad].
        var scalarised = target with
        {
            Adjoints = passings.ToEquatableArray(),
            Templates = templates.ToEquatableArray(),
            BackwardIncludingNoGrad = null,
            AllAdjoints = default,
            HasHessian = target.HasHessian && target.AllAdjoints.Count == 0
                && Enumerable.Range(0, arguments.Length).All(i => structs.ContainsKey(i) || target.Adjoints[i].Passing != AdjointPassing.None || !(arguments[i].Type.IsFloating || arguments[i].Type.IsFloatingCollection)),
        };
        return new MethodCallExpr(type, scalarised, leaves.ToEquatableArray(), _context.Site(invocation.Syntax));
    }
}
