using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>
/// The incremental-caching harness: runs the generator, runs it again on a second compilation, and checks what the
/// second run re-did. Models that hold Roslyn objects would defeat the cache and keep old compilations alive.
/// </summary>
public static class IncrementalCaching
{
    private static readonly string[] s_trackedSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    public static IReadOnlyList<string> TrackedSteps => s_trackedSteps;

    /// <summary>
    /// Asserts that editing a file unrelated to <paramref name="source"/> (a class with no [Differentiable] method)
    /// leaves every tracked step Cached or Unchanged.
    /// </summary>
    public static void AssertUnrelatedEditCached(string source) =>
        AssertSecondRunCached(
            GeneratorHarness.CreateCompilation(source, "public class Other { public int Value => 1; }"),
            c => c.ReplaceSyntaxTree(
                c.SyntaxTrees.Last(),
                Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public class Other { public int Value => 2; public string Name => \"x\"; }", GeneratorHarness.ParseOptions)));

    /// <summary>
    /// Asserts that after <paramref name="edit"/> every tracked step's outputs are Cached or Unchanged, and that no
    /// step output holds an ISymbol, SyntaxNode, Location or Compilation.
    /// </summary>
    public static void AssertSecondRunCached(Compilation compilation, Func<Compilation, Compilation> edit)
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        AssertNoRoslynObjects(first);

        var second = driver.RunGenerators(edit(compilation)).GetRunResult().Results.Single();
        foreach (var step in s_trackedSteps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), $"Step '{step}' was not tracked in the second run.");
            foreach (var run in second.TrackedSteps[step])
            {
                foreach (var (value, reason) in run.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{step}' re-ran with reason {reason} for {value}.");
                }
            }
        }

        foreach (var (_, reason) in second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output step re-ran: {reason}.");
        }
    }

    /// <summary>Walks every tracked step's output object graph and fails on a Roslyn object.</summary>
    public static void AssertNoRoslynObjects(GeneratorRunResult result)
    {
        foreach (var (step, runs) in result.TrackedSteps)
        {
            if (step is not null && s_trackedSteps.Contains(step))
            {
                foreach (var output in runs.SelectMany(r => r.Outputs))
                {
                    AssertNoRoslynObjects(output.Value, step);
                }
            }
        }
    }

    /// <summary>Fails when <paramref name="model"/>'s object graph holds a Roslyn object.</summary>
    public static void AssertNoRoslynObjects(object? model, string path) =>
        Walk(model, path, new HashSet<object>(ReferenceEqualityComparer.Instance), depth: 0);

    private static void Walk(object? node, string path, HashSet<object> seen, int depth)
    {
        if (node is null || depth > 64 || node is string || node.GetType().IsPrimitive || node is Enum || !seen.Add(node))
        {
            return;
        }

        Assert.False(
            node is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree,
            $"The pipeline model holds a Roslyn object ({node.GetType().Name}) at {path}.");

        if (node is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                Walk(item, path + "[" + i++ + "]", seen, depth + 1);
            }
        }

        for (var type = node.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(node), path + "." + field.Name, seen, depth + 1);
            }
        }
    }
}
