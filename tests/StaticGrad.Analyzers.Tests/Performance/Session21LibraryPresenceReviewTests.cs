using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.Tests.Verifiers;
using static StaticGrad.Analyzers.Tests.Performance.LibraryPresenceTests;

namespace StaticGrad.Analyzers.Tests.Performance;

/// <summary>
/// Review of session 21's name-only library check (<see cref="LibraryPresence"/>): every way a compilation can hold
/// StaticGrad or TorchSharp must keep the diagnostics a plain file reference gets (the behaviour of e49c0a4, where the
/// check was a compilation-wide type lookup), and a compilation that only seems to mention a library must register
/// nothing.
/// </summary>
public class Session21LibraryPresenceReviewTests
{
    private const string DeclaredAttribute = DeclaredAttributeSource;

    private static readonly string[] DeclaredAttributeDiagnostics = ["SG1003@13,25", "SG1006@13,45"];

    /// <summary>
    /// C# drops formatting characters (Unicode category Cf: soft hyphen, zero-width joiners) from identifiers, so a
    /// declaration can spell the attribute's name with one inside, written as the raw character rather than a
    /// <c>\u</c> escape: the text then holds neither the name nor an escape. The compiler's own lookup (e49c0a4) finds
    /// the type; the text pre-check must not refuse it.
    /// </summary>
    [Theory]
    [InlineData("Differentiable\u00ADAttribute")]
    [InlineData("Differen\u200Dtiable\u200CAttribute")]
    [InlineData("Diff\u2060erentiableAttribut\uFEFFe")]
    public async Task A_declared_attribute_name_with_a_raw_formatting_character_is_still_found(string declaredName)
    {
        var source = DeclaredAttribute.Replace("class DifferentiableAttribute", "class " + declaredName, StringComparison.Ordinal);
        Assert.DoesNotContain("DifferentiableAttribute", source, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", source, StringComparison.Ordinal);
        var compilation = Compile(source, Framework);
        Assert.NotNull(compilation.GetTypeByMetadataName("StaticGrad.DifferentiableAttribute"));

        Assert.True(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(DeclaredAttributeDiagnostics, Ids((await AnalyzeAsync(compilation)).Diagnostics));
    }

    /// <summary>The same for a tensor type declared in source with a formatting character in its name.</summary>
    [Fact]
    public void A_declared_tensor_type_with_a_raw_formatting_character_is_a_candidate()
    {
        var compilation = Compile("namespace StaticGrad { public sealed class Ten\u00ADsor { } }", Framework);
        Assert.NotNull(compilation.GetTypeByMetadataName("StaticGrad.Tensor"));
        Assert.Single(TensorApi.Candidates(compilation));
    }

    /// <summary>
    /// The references a NuGet or project reference hands the compiler, each created the way a host creates it: a
    /// versioned package path (lib/ and ref/), a reference-assembly folder (obj/ref, refint), a file name in another
    /// case, an image with a display name only, a stream without a path, and an extern alias. Each gets the diagnostics
    /// of the plain file reference.
    /// </summary>
    [Fact]
    public async Task Every_host_shape_of_a_StaticGrad_reference_gets_the_file_references_diagnostics()
    {
        var image = File.ReadAllBytes(StaticGradPath);
        var expected = Ids((await AnalyzeAsync(Compile(StaticGradSource, Framework.Add(MetadataReference.CreateFromFile(StaticGradPath))))).Diagnostics);
        Assert.Contains(expected, id => id.StartsWith("SG1003", StringComparison.Ordinal));
        Assert.Contains(expected, id => id.StartsWith("SG0005", StringComparison.Ordinal));

        var shapes = new (string Shape, MetadataReference Reference)[]
        {
            ("nuget lib", AssemblyMetadata.CreateFromImage(image).GetReference(filePath: "/root/.nuget/packages/staticgrad/0.21.0-preview.3/lib/net8.0/StaticGrad.dll")),
            ("nuget ref", AssemblyMetadata.CreateFromImage(image).GetReference(filePath: "/root/.nuget/packages/staticgrad/0.21.0/ref/net8.0/StaticGrad.dll")),
            ("obj/ref", AssemblyMetadata.CreateFromImage(image).GetReference(filePath: "/src/runtime/StaticGrad/obj/Debug/net8.0/ref/StaticGrad.dll")),
            ("refint", AssemblyMetadata.CreateFromImage(image).GetReference(filePath: "/src/StaticGrad/obj/Debug/net8.0/refint/staticgrad.DLL")),
            ("display only", AssemblyMetadata.CreateFromImage(image).GetReference(display: "StaticGrad (net8.0)")),
            ("other display", AssemblyMetadata.CreateFromImage(image).GetReference(display: "Runtime")),
            ("stream", MetadataReference.CreateFromStream(new MemoryStream(image))),
            ("no extension", AssemblyMetadata.CreateFromImage(image).GetReference(filePath: "/lib/StaticGrad")),
        };
        foreach (var (shape, reference) in shapes)
        {
            var actual = Ids((await AnalyzeAsync(Compile(StaticGradSource, Framework.Add(reference)))).Diagnostics);
            Assert.True(expected.SequenceEqual(actual), $"{shape}: [{string.Join(", ", actual)}] vs [{string.Join(", ", expected)}]");
        }
    }

    /// <summary>
    /// An extern alias: the name check counts the reference (it is listed like any other). The analyzers still report
    /// nothing, as at e49c0a4: <see cref="Compilation.GetTypeByMetadataName(string)"/> does not search a reference that
    /// has only aliases, so the attribute and the tensor type are "absent". A gap older than session 21 (the generator,
    /// which matches the attribute by name, still differentiates), pinned here so that a change to it is seen.
    /// </summary>
    [Fact]
    public async Task A_StaticGrad_reference_under_an_extern_alias_is_counted_and_reports_as_before()
    {
        var aliased = MetadataReference.CreateFromFile(StaticGradPath, new MetadataReferenceProperties(aliases: ["sg"]));
        var source = "extern alias sg;\n" + StaticGradSource.Replace("using StaticGrad;", "using sg::StaticGrad;", StringComparison.Ordinal);
        var compilation = Compile(source, Framework.Add(aliased));
        Assert.True(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.Null(compilation.GetTypeByMetadataName("StaticGrad.DifferentiableAttribute"));
        Assert.Empty((await AnalyzeAsync(compilation)).Diagnostics);
    }

    /// <summary>
    /// A project reference as the IDE supplies it (a <see cref="CompilationReference"/> to the runtime's compilation)
    /// and a project named StaticGrad.Something that only references the runtime: both analyzed, both as the file
    /// reference. A user project named StaticGrad.Something (or StaticGradX) that references nothing is not the library.
    /// </summary>
    [Fact]
    public async Task Project_names_near_the_librarys_are_told_apart()
    {
        var runtime = CSharpCompilation.Create(
            "StaticGrad",
            [CSharpSyntaxTree.ParseText("namespace StaticGrad; [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class DifferentiableAttribute : System.Attribute { }")],
            Framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var user = Compile(DeclaredAttribute.Split("public static class Losses")[0].Replace("DifferentiableAttribute", "Unrelated", StringComparison.Ordinal) + "public static class Losses" + DeclaredAttribute.Split("public static class Losses")[1], Framework.Add(runtime.ToMetadataReference()));
        Assert.True(LibraryPresence.MayHold(user, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(DeclaredAttributeDiagnostics, Ids((await AnalyzeAsync(user)).Diagnostics));

        foreach (var name in new[] { "StaticGrad.Samples", "StaticGradX", "TorchSharpExamples", "TorchSharp.Extensions" })
        {
            var plain = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText("public static class C { public static double M(double x) => x; }")], Framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.False(LibraryPresence.MayHold(plain, "StaticGrad", "DifferentiableAttribute"), name);
            Assert.False(LibraryPresence.MayHold(plain, "TorchSharp", "torch"), name);
            Assert.Empty(TensorApi.Candidates(plain));
        }

        // A project that compiles the runtime's source into itself under another name (a test project): found by its source.
        var selfContained = Compile(DeclaredAttribute + "\nnamespace StaticGrad { public sealed class Tensor { } }", Framework);
        Assert.Equal(2, selfContained.GetTypeByMetadataName("StaticGrad.Tensor") is null ? 0 : 2);
        Assert.Single(TensorApi.Candidates(selfContained));
        Assert.Equal(DeclaredAttributeDiagnostics, Ids((await AnalyzeAsync(selfContained)).Diagnostics));
    }

    /// <summary>
    /// The stated limit, in the form a user meets it: the attributes declared (public) in the user's own shared
    /// project of another name, used from a second project. At e49c0a4 the second project got SG1003/SG1006 (the
    /// compiler's lookup finds the type in any reference); now neither the reference's name nor the second project's
    /// source names the library, so it is treated as neither library and reports nothing, in the IDE (a compilation
    /// reference) and on the command line (a file) alike. Pinned as the documented behaviour, not as a defect fixed.
    /// </summary>
    [Fact]
    public async Task Attributes_declared_in_a_shared_project_of_another_name_are_the_stated_limit()
    {
        var shared = CSharpCompilation.Create(
            "Company.Shared",
            [CSharpSyntaxTree.ParseText(DeclaredAttribute.Split("public static class Losses")[0])],
            Framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(shared.Emit(image).Success);
        var user = "using System;\n\n\n\n\n\n\n\n\n\npublic static class Losses" + DeclaredAttribute.Split("public static class Losses")[1];
        foreach (var reference in new MetadataReference[] { shared.ToMetadataReference(), AssemblyMetadata.CreateFromImage(image.ToArray()).GetReference(filePath: "/src/Company.Shared/bin/Company.Shared.dll") })
        {
            var compilation = Compile(user, Framework.Add(reference));
            Assert.NotNull(compilation.GetTypeByMetadataName("StaticGrad.DifferentiableAttribute"));
            Assert.False(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
            Assert.Empty((await AnalyzeAsync(compilation)).Diagnostics);
        }
    }

    /// <summary>Text that only mentions the names (disabled <c>#if</c> text, comments, strings, a <c>\u</c> in a literal) is not a declaration: nothing is registered.</summary>
    [Fact]
    public async Task Text_that_only_mentions_the_names_registers_nothing()
    {
        const string Source = """
            #if STATICGRAD
            namespace StaticGrad { public sealed class DifferentiableAttribute : System.Attribute { } public sealed class Tensor { } }
            namespace TorchSharp { public static class torch { public sealed class Tensor { } } }
            #endif
            // class DifferentiableAttribute, class Tensor, static class torch
            public static class C
            {
                public const string Text = "DifferentiableAttribute Tensor torch \u0041 \U00000041";
                public static double M(double x) => x;
            }
            """;
        var compilation = Compile(Source, Framework);
        Assert.False(LibraryPresence.MayHold(compilation, "StaticGrad", "DifferentiableAttribute"));
        Assert.Empty(TensorApi.Candidates(compilation));
        var (diagnostics, telemetry) = await AnalyzeAsync(compilation);
        Assert.Empty(diagnostics);
        Assert.All(telemetry.Values, info => Assert.Equal(0, info.SyntaxNodeActionsCount + info.OperationBlockActionsCount + info.OperationActionsCount));
    }

    /// <summary>Source a generator adds (here: the attributes) is in the compilation the analyzers see.</summary>
    [Fact]
    public async Task Attributes_declared_by_a_source_generator_are_analyzed()
    {
        var attribute = DeclaredAttribute.Split("public static class Losses")[0];
        var user = "using System;\n\n\n\n\n\n\n\n\n\npublic static class Losses" + DeclaredAttribute.Split("public static class Losses")[1];
        var generator = new AttributeGenerator(attribute);
        var input = CSharpCompilation.Create("Presence", [CSharpSyntaxTree.ParseText(user, new CSharpParseOptions(LanguageVersion.Latest), path: "Presence.cs")], Framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        CSharpGeneratorDriver.Create(generator).RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.True(LibraryPresence.MayHold(output, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(DeclaredAttributeDiagnostics, Ids((await AnalyzeAsync(output)).Diagnostics));
    }

    /// <summary>
    /// A script (.csx, the interactive window) takes its references from <c>#r</c> directives, which
    /// <see cref="Compilation.ExternalReferences"/> does not list (they are <see cref="Compilation.DirectiveReferences"/>).
    /// e49c0a4's lookup saw the runtime; the name check must too.
    /// </summary>
    [Fact]
    public async Task A_script_that_references_the_runtime_with_a_directive_is_analyzed()
    {
        var body = StaticGradSource.Replace("using System;\nusing StaticGrad;\n", string.Empty, StringComparison.Ordinal)
            .Replace("public static class Losses\n{", string.Empty, StringComparison.Ordinal);
        body = body[..body.LastIndexOf('}')];
        var viaDirective = Script($"#r \"{StaticGradPath}\"\nusing System;\nusing StaticGrad;\n" + body, Framework);
        var viaOption = Script("\nusing System;\nusing StaticGrad;\n" + body, Framework.Add(MetadataReference.CreateFromFile(StaticGradPath)));
        Assert.Contains(viaDirective.DirectiveReferences, r => r.Display == StaticGradPath);

        var expected = Ids((await AnalyzeAsync(viaOption)).Diagnostics);
        Assert.Contains(expected, id => id.StartsWith("SG1003", StringComparison.Ordinal));
        Assert.True(LibraryPresence.MayHold(viaDirective, "StaticGrad", "DifferentiableAttribute"));
        Assert.Equal(expected, Ids((await AnalyzeAsync(viaDirective)).Diagnostics));
    }

    /// <summary>TorchSharp's managed package ships lib/*/TorchSharp.dll (the cpu/cuda meta-packages add only native files); a copy in another case counts.</summary>
    [Fact]
    public void TorchSharp_package_files_are_found_by_name()
    {
        var torchSharp = (PortableExecutableReference)TestReferences.TorchSharp.Last();
        Assert.Equal("TorchSharp.dll", Path.GetFileName(torchSharp.FilePath));
        var image = File.ReadAllBytes(torchSharp.FilePath!);
        foreach (var path in new[] { "/root/.nuget/packages/torchsharp/0.107.0/lib/netstandard2.0/TorchSharp.dll", "/x/torchsharp.dll" })
        {
            var compilation = Compile("public static class C { public static TorchSharp.torch.Tensor M() => TorchSharp.torch.ones(1); }", Framework.Add(AssemblyMetadata.CreateFromImage(image).GetReference(filePath: path)));
            Assert.Equal(["TorchSharp"], TensorApi.Candidates(compilation).Select(library => library.Name));
            Assert.NotNull(TensorApi.For(compilation, TensorApi.Candidates(compilation)[0]));
        }
    }

    /// <summary>
    /// The corpora and the verifier tests reference Basic.Reference.Assemblies images: each has a file name (so the
    /// name check is exercised there and is not satisfied by a nameless reference), StaticGrad's among them.
    /// </summary>
    [Fact]
    public void The_test_references_have_file_names_so_the_corpora_exercise_the_name_check()
    {
        Assert.All(TestReferences.All.Concat(TestReferences.TorchSharp), reference => Assert.False(string.IsNullOrEmpty(((PortableExecutableReference)reference).FilePath), reference.Display));
        var plain = CSharpCompilation.Create("Plain", [CSharpSyntaxTree.ParseText("class C { }")], Basic.Reference.Assemblies.Net80.References.All);
        Assert.False(LibraryPresence.MayHold(plain, "StaticGrad", "DifferentiableAttribute"));
        Assert.Empty(TensorApi.Candidates(plain));
    }

    private static CSharpCompilation Script(string source, ImmutableArray<MetadataReference> references)
    {
        var compilation = CSharpCompilation.CreateScriptCompilation(
            "Presence",
            CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script), path: "Presence.csx"),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, metadataReferenceResolver: new FileResolver()));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        return compilation;
    }

    /// <summary>Resolves a <c>#r</c> path to the file, as the scripting host's resolver does.</summary>
    private sealed class FileResolver : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => other is FileResolver;

        public override int GetHashCode() => 1;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
            File.Exists(reference) ? [MetadataReference.CreateFromFile(reference, properties)] : [];
    }

    private sealed class AttributeGenerator(string source) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) =>
            context.RegisterPostInitializationOutput(output => output.AddSource("Attributes.g.cs", SourceText.From(source, System.Text.Encoding.UTF8)));
    }
}
