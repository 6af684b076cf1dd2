using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>A method under test after compilation: the original and its backward, callable through the adapters.</summary>
public sealed record LoadedMethod(
    MethodUnderTest Method,
    Func<double[][], double> Primal,
    Func<double[][], double[][], double, double> Backward,
    Func<double[][], double[][], double>? FdReference,
    MethodInfo Original,
    MethodInfo BackwardInfo);

/// <summary>
/// Many methods under test compiled in ONE compilation with the generator in-process (compilation is the slow part),
/// with failures isolated per method: a generator diagnostic, a missing backward, generated code that does not
/// compile or a backward whose signature breaks the contract fails only its own method, and the rest still load.
/// </summary>
public sealed class CompiledBatch
{
    private CompiledBatch()
    {
    }

    /// <summary>Methods that could not be loaded, with the reason (the text a bug report needs).</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, LoadedMethod> Loaded { get; } = new(StringComparer.Ordinal);

    /// <summary>The generated file that declares each method's backward.</summary>
    public Dictionary<string, string> GeneratedSource { get; } = new(StringComparer.Ordinal);

    /// <summary>Every diagnostic the generator reported, by the [Differentiable] method it is located in.</summary>
    public Dictionary<string, List<Diagnostic>> GeneratorDiagnostics { get; } = new(StringComparer.Ordinal);

    /// <summary>The compiler core's findings for methods that got no backward (see <see cref="CompilerExplanation"/>).</summary>
    public Dictionary<string, List<string>> Refusals { get; } = new(StringComparer.Ordinal);

    /// <summary>An exception thrown by the generator (it must never throw).</summary>
    public Exception? GeneratorException { get; private set; }

    public TimeSpan GeneratorTime { get; private set; }

    public TimeSpan EmitTime { get; private set; }

    /// <summary>The compiled assembly and its image, so that further adapters can be compiled against it.</summary>
    public (Assembly Assembly, byte[] Image)? Output { get; private set; }

    /// <param name="properties">The project's build properties (default: every opt-in output on, <see cref="BuildProperties.AllOutputs"/>).</param>
    /// <param name="nullableAnalysis">Whether the sources are compiled in a nullable-enabled context (the default); sources
    /// without reference-type annotations lose nothing without it, and the compiler's nullable walk is a fifth of their emit.</param>
    public static CompiledBatch Compile(IReadOnlyList<string> sources, IReadOnlyList<MethodUnderTest> methods, BuildProperties? properties = null, bool nullableAnalysis = true)
    {
        var batch = new CompiledBatch();
        var compilation = GeneratorHarness.CreateCompilation(sources.ToArray());
        if (!nullableAnalysis)
        {
            compilation = compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable));
        }

        var stopwatch = Stopwatch.StartNew();
        var driver = GeneratorHarness.CreateDriver(trackSteps: false, properties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        batch.GeneratorTime = stopwatch.Elapsed;
        var run = driver.GetRunResult().Results.Single();
        batch.GeneratorException = run.Exception;
        if (run.Exception is not null)
        {
            foreach (var m in methods)
            {
                batch.Failures[m.Key] = "The generator threw: " + run.Exception;
            }

            return batch;
        }

        foreach (var diagnostic in run.Diagnostics)
        {
            var key = EnclosingMethodKey(diagnostic.Location) ?? "(no location)";
            if (!batch.GeneratorDiagnostics.TryGetValue(key, out var list))
            {
                batch.GeneratorDiagnostics[key] = list = new List<Diagnostic>();
            }

            list.Add(diagnostic);
        }

        var generatedTrees = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).ToList();
        // Every file generated for a method (backward, Tangent, Tensor overload, …) is named after it.
        var treeMethods = generatedTrees.ToDictionary(t => t, t => BackwardKeys(t)
            .Union(methods.Where(m => Path.GetFileName(t.FilePath).Contains("." + m.Key + ".", StringComparison.Ordinal)).Select(m => m.Key))
            .ToList());
        // The pair of a callee's backward (….Backward-Pair.g.cs) is not its backward's file.
        foreach (var (tree, keys) in treeMethods.Where(t => !t.Key.FilePath.EndsWith(".Tangent.g.cs", StringComparison.Ordinal) && !t.Key.FilePath.EndsWith(".Backward-Pair.g.cs", StringComparison.Ordinal)))
        {
            foreach (var key in keys)
            {
                batch.GeneratedSource[key] = tree.ToString();
            }
        }

        var candidates = new List<(int Index, MethodUnderTest Method)>();
        for (var i = 0; i < methods.Count; i++)
        {
            var m = methods[i];
            var errors = batch.GeneratorDiagnostics.TryGetValue(m.Key, out var ds) ? ds.Where(d => d.Severity == DiagnosticSeverity.Error).ToList() : new List<Diagnostic>();
            if (errors.Count > 0)
            {
                batch.Failures[m.Key] = "The generator reported:\n" + string.Join("\n", errors);
            }
            else if (!batch.GeneratedSource.ContainsKey(m.Key))
            {
                batch.Failures[m.Key] = "No backward was generated.";
            }
            else
            {
                candidates.Add((i, m));
            }
        }

        var refused = methods.Where(m => batch.Failures.ContainsKey(m.Key)).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        if (refused.Count > 0)
        {
            foreach (var (key, findings) in CompilerExplanation.Explain(compilation, refused))
            {
                batch.Refusals[key] = findings;
                batch.Failures[key] += findings.Count == 0
                    ? " The compiler core reports nothing for it either: a silent skip."
                    : " The compiler core reports:\n" + string.Join("\n", findings);
            }
        }

        stopwatch.Restart();
        var current = output;
        for (var round = 0; round < 20 && candidates.Count > 0; round++)
        {
            var adapterTree = CSharpSyntaxTree.ParseText(AdapterWriter.Write(candidates), GeneratorHarness.ParseOptions, path: "Adapters.cs");
            var withAdapters = current.AddSyntaxTrees(adapterTree);
            using var stream = new MemoryStream();
            var emit = withAdapters.Emit(stream);
            if (emit.Success)
            {
                batch.EmitTime = stopwatch.Elapsed;
                batch.Load(stream, candidates);
                return batch;
            }

            var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var failedKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in errors.GroupBy(e => e.Location.SourceTree))
            {
                if (group.Key is { } tree && treeMethods.TryGetValue(tree, out var keys) && keys.Count > 0)
                {
                    foreach (var key in keys)
                    {
                        batch.Failures[key] = "The generated code does not compile:\n" + string.Join("\n", group) + "\n\nGenerated:\n" + tree;
                        failedKeys.Add(key);
                    }

                    // The method's other files call into this one: they go too.
                    current = current.RemoveSyntaxTrees(treeMethods.Where(t => t.Value.Intersect(keys).Any() && current.SyntaxTrees.Contains(t.Key)).Select(t => t.Key));
                }
                else if (group.Key == adapterTree)
                {
                    foreach (var error in group)
                    {
                        var index = AdapterIndex(error.Location);
                        var method = candidates.Single(c => c.Index == index).Method;
                        batch.Failures[method.Key] = "The backward's signature is not the contract's (the adapter calling it does not compile):\n" + error
                            + "\n\nGenerated:\n" + batch.GeneratedSource[method.Key];
                        failedKeys.Add(method.Key);
                    }
                }
                else
                {
                    throw new Xunit.Sdk.XunitException("The test sources do not compile with the generated code:\n" + string.Join("\n", group));
                }
            }

            candidates.RemoveAll(c => failedKeys.Contains(c.Method.Key));
        }

        return batch;
    }

    private void Load(MemoryStream stream, List<(int Index, MethodUnderTest Method)> candidates)
    {
        stream.Position = 0;
        var context = new AssemblyLoadContext("CompiledBatch" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (_, name) => name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly : null;
        var assembly = context.LoadFromStream(stream);
        Output = (assembly, stream.ToArray());
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        foreach (var (index, m) in candidates)
        {
            var adapter = assembly.GetType(AdapterWriter.Namespace + "." + AdapterWriter.ClassName(index))!;
            var type = assembly.GetType(m.ReflectionTypeName)!;
            Loaded[m.Key] = new LoadedMethod(
                m,
                adapter.GetMethod("Primal")!.CreateDelegate<Func<double[][], double>>(),
                adapter.GetMethod("Backward")!.CreateDelegate<Func<double[][], double[][], double, double>>(),
                adapter.GetMethod("FdReference")?.CreateDelegate<Func<double[][], double[][], double>>(),
                type.GetMethods(all).Single(x => x.Name == m.Name && x.ReturnType != typeof(Tensor)),
                // A generic-math method has a Backward without the seed too (T has no default value): the one with it.
                type.GetMethods(all).Where(x => x.Name == m.Name + "Backward").MaxBy(x => x.GetParameters().Length)!);
        }
    }

    // A Tangent file's errors belong to its method too (and take it out of the batch), like a backward file's.
    private static List<string> BackwardKeys(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Parent is TypeDeclarationSyntax && (m.Identifier.Text.EndsWith("Backward", StringComparison.Ordinal) || m.Identifier.Text.EndsWith("Tangent", StringComparison.Ordinal)))
            .Select(m => ((TypeDeclarationSyntax)m.Parent!).Identifier.Text + "." + m.Identifier.Text[..^(m.Identifier.Text.EndsWith("Backward", StringComparison.Ordinal) ? "Backward" : "Tangent").Length])
            .Distinct()
            .ToList();

    private static string? EnclosingMethodKey(Location location)
    {
        if (location.SourceTree is not { } tree)
        {
            return null;
        }

        var method = tree.GetRoot().FindToken(location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        return method?.Parent is TypeDeclarationSyntax type ? type.Identifier.Text + "." + method.Identifier.Text : null;
    }

    private static int AdapterIndex(Location location)
    {
        var type = location.SourceTree!.GetRoot().FindToken(location.SourceSpan.Start).Parent!.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().First();
        return int.Parse(type.Identifier.Text["__Adapter".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Everything known about one method, for a failure message: its source, diagnostics and generated code.</summary>
    public string Describe(MethodUnderTest m)
    {
        var text = "Source:\n" + m.SourceText + "\n";
        if (GeneratorDiagnostics.TryGetValue(m.Key, out var ds))
        {
            text += "\nGenerator diagnostics:\n" + string.Join("\n", ds) + "\n";
        }

        if (GeneratedSource.TryGetValue(m.Key, out var generated))
        {
            text += "\nGenerated:\n" + generated;
        }

        return text;
    }

    /// <summary>
    /// Asserts that the method of <paramref name="key"/> was not refused (the refusals and the generator's diagnostics
    /// for it in the message) and that its gradient matches central finite differences.
    /// </summary>
    /// <summary>
    /// Asserts that the Backward of <paramref name="key"/> returns the plain method's value bit for bit at four points
    /// drawn from its domain (a versioned forward loop reads and writes the same elements in the same order as the
    /// method; session 20's forward row spans, session 21's short rows).
    /// </summary>
    public void AssertForwardValueIsTheMethods(string key, IReadOnlyList<MethodUnderTest> methods, int seed)
    {
        var loaded = Loaded[key];
        var method = methods.Single(m => m.Key == key);
        var random = new Random(seed);
        for (var point = 0; point < 4; point++)
        {
            var args = FiniteDifferenceCheck.DrawPoint(method, random);
            var primal = loaded.Primal(FiniteDifferenceCheck.Copy(args));
            var backward = loaded.Backward(FiniteDifferenceCheck.Copy(args), FiniteDifferenceCheck.Zeros(method, args), 1.0);
            Assert.True(BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(backward), $"{key}: {primal:R} != {backward:R}");
        }
    }

    /// <summary>Asserts that the method of <paramref name="key"/> was refused with exactly one error, of <paramref name="id"/> and containing <paramref name="fragment"/>.</summary>
    public void AssertRefusedWithOneError(string key, string id, string fragment)
    {
        Assert.True(Failures.TryGetValue(key, out var reason), key + " was accepted");
        var errors = reason!.Split('\n').Where(line => line.Contains("(Error)", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, key + ": " + reason);
        Assert.Contains(errors, line => line.Contains(id, StringComparison.Ordinal) && line.Contains(fragment, StringComparison.Ordinal));
    }

    public void AssertAcceptedAndGradientMatches(string key, IReadOnlyList<MethodUnderTest> methods, int points)
    {
        Refusals.TryGetValue(key, out var refusals);
        Assert.True(refusals is null || refusals.Count == 0, key + " refused: " + string.Join("\n", refusals ?? new List<string>()) + "\n" + string.Join("\n", GeneratorDiagnostics.GetValueOrDefault(key) ?? new()));
        AssertGradientMatchesFiniteDifferences(methods.Single(m => m.Key == key), points);
    }

    /// <summary>
    /// Asserts that the generator ran, that <paramref name="method"/> compiled, and that its gradient matches central
    /// finite differences (the tolerances of <see cref="FiniteDifferenceCheck"/>) at <paramref name="points"/> points
    /// drawn from its domain with a seed taken from its key, so a failure reproduces.
    /// </summary>
    public void AssertGradientMatchesFiniteDifferences(MethodUnderTest method, int points)
    {
        Assert.Null(GeneratorException);
        Assert.True(Loaded.TryGetValue(method.Key, out var loaded), $"{method.Key} could not be compiled: {Failures.GetValueOrDefault(method.Key)}\n{Describe(method)}");
        var check = new FiniteDifferenceCheck(loaded!);
        var random = new Random(method.Key.Aggregate(17, (h, c) => unchecked((h * 31) + c)));
        for (var i = 0; i < points; i++)
        {
            check.CheckAgainstFiniteDifferences(FiniteDifferenceCheck.DrawPoint(method, random));
        }

        Assert.True(check.Problems.Count == 0, $"{method.Key}:\n{check.Report()}\n{Describe(method)}");
        Assert.True(check.Compared > 0, $"{method.Key}: nothing was compared.");
    }
}
