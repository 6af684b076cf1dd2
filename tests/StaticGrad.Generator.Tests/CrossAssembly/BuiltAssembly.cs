using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.CrossAssembly;

/// <summary>
/// One library of a multi-assembly test, compiled in memory (with or without the generator) and emitted to an image,
/// so that the next compilation sees it only as metadata, exactly as a project sees a referenced DLL or package.
/// </summary>
internal sealed record BuiltAssembly(string Name, byte[] Image, GeneratorOutput? Generated)
{
    public MetadataReference Reference => MetadataReference.CreateFromImage(Image);

    public static CSharpCompilation Compilation(string name, string source, params BuiltAssembly[] references) =>
        CSharpCompilation.Create(
            name,
            new[] { CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: name + ".cs") },
            TestReferences.All.Concat(references.Select(r => r.Reference)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Compiles with the generator, as a project referencing the StaticGrad package does.</summary>
    public static BuiltAssembly WithGenerator(string name, string source, params BuiltAssembly[] references)
    {
        var output = GeneratorHarness.Run(Compilation(name, source, references));
        GeneratorHarness.AssertClean(output);
        return new BuiltAssembly(name, Emit(output.OutputCompilation), output);
    }

    /// <summary>Compiles without the generator: a library that does not use StaticGrad's compiler.</summary>
    public static BuiltAssembly Plain(string name, string source, params BuiltAssembly[] references) =>
        new(name, Emit(Compilation(name, source, references)), null);

    /// <summary>Loads the assemblies into one collectible context in which they resolve each other by name.</summary>
    public static Assembly LoadTogether(params BuiltAssembly[] assemblies)
    {
        var context = new AssemblyLoadContext("CrossAssembly" + Guid.NewGuid().ToString("N"), isCollectible: true);
        var loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        context.Resolving += (_, name) =>
            name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly
            : name.Name is not null && loaded.TryGetValue(name.Name, out var assembly) ? assembly
            : null;
        foreach (var built in assemblies)
        {
            loaded[built.Name] = context.LoadFromStream(new MemoryStream(built.Image));
        }

        return loaded[assemblies[^1].Name];
    }

    private static byte[] Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, "Emit failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return stream.ToArray();
    }

    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation) => GeneratorHarness.AnalyzerDiagnostics(compilation);
}
