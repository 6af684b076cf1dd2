using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Diagnostics;

/// <summary>
/// The guard every method's differentiation runs in. An unexpected exception in one stage of one method becomes an
/// SG1000 message (plain text, so that the incremental pipeline can compare it) and that method's output of the
/// stage is dropped; every other method keeps its output. Cancellation is not an error and passes through.
/// </summary>
/// <remarks>
/// Who reports it: the analyzer for what it runs itself (the lowering), the generator for what only it runs (the
/// emission stages). A failure of the analyses the analyzer shares with the backward stage is reported once, by the
/// generator.
/// </remarks>
public static class InternalErrors
{
    public const string Id = "SG1000";

    /// <summary>Runs <paramref name="stage"/> of method <paramref name="method"/>; the SG1000 message replaces an exception.</summary>
    public static (T? Value, string? Failure) Guard<T>(string method, string stage, Func<T> body)
    {
        try
        {
            FaultInjection.ThrowIfRequested(method, stage);
            return (body(), null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return (default, Describe(stage, exception));
        }
    }

    /// <summary>The second argument of SG1000: the stage, the exception's type and message.</summary>
    public static string Describe(string stage, Exception exception) =>
        exception.GetType().FullName + " in the " + stage + ": " + exception.Message.Replace('\r', ' ').Replace('\n', ' ');
}

/// <summary>
/// A test-only hook: makes <see cref="InternalErrors.Guard"/> throw for one method name and stage, so that tests can
/// check that a crash stays inside its method. Empty (and never consulted beyond one lookup) outside tests.
/// </summary>
internal static class FaultInjection
{
    private static readonly ConcurrentDictionary<(string Method, string Stage), bool> s_requested = new();

    public static void Request(string method, string stage) => s_requested[(method, stage)] = true;

    public static void Clear(string method, string stage) => s_requested.TryRemove((method, stage), out _);

    public static void ThrowIfRequested(string method, string stage)
    {
        if (!s_requested.IsEmpty && s_requested.ContainsKey((method, stage)))
        {
            throw new InvalidOperationException("fault injected into " + method + " (" + stage + ")");
        }
    }
}

/// <summary>Where to report an internal error of a stage that has only plain data: the method, found again in the compilation.</summary>
public static class InternalErrorLocation
{
    /// <summary>The identifier of the [Differentiable] method whose generated files are named <paramref name="hintName"/>.</summary>
    public static Location Find(Compilation compilation, string methodName, string hintName, CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (declaration.Identifier.ValueText == methodName
                    && compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration, cancellationToken) is IMethodSymbol symbol
                    && MethodLowering.HintName(symbol) == hintName)
                {
                    return declaration.Identifier.GetLocation();
                }
            }
        }

        return Location.None;
    }

    /// <summary>The method as its generated files name it: containing types and name, without the namespace.</summary>
    public static string DisplayName(string? ns, string hintName)
    {
        var name = hintName.Substring(0, hintName.Length - ".g.cs".Length);
        return ns is not null && name.StartsWith(ns + ".", StringComparison.Ordinal) ? name.Substring(ns.Length + 1) : name;
    }
}
