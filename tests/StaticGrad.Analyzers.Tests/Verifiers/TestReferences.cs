using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace StaticGrad.Analyzers.Tests.Verifiers;

/// <summary>
/// The references every test compilation gets, offline: the .NET 8 reference assemblies shipped in
/// Basic.Reference.Assemblies.Net80 and the StaticGrad runtime built with the tests. The testing library's own
/// <see cref="ReferenceAssemblies"/> would download a reference pack; the one used here names no package, so it
/// resolves nothing and never touches the network.
/// </summary>
public static class TestReferences
{
    public static ReferenceAssemblies None { get; } = new("net8.0");

    public static ImmutableArray<MetadataReference> All { get; } = Basic.Reference.Assemblies.Net80.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(StaticGrad.Tensor).Assembly.Location))
        .ToImmutableArray();

    /// <summary>
    /// The .NET 8 reference assemblies and TorchSharp's managed assembly from the restored package folder (its
    /// lib/net8.0/TorchSharp.dll; nothing native is needed to compile against it).
    /// </summary>
    public static ImmutableArray<MetadataReference> TorchSharp { get; } = Basic.Reference.Assemblies.Net80.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(TorchSharpAssemblyPath()))
        .ToImmutableArray();

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(All);
    }

    public static void ConfigureTorchSharp(SolutionState state)
    {
        state.AdditionalReferences.AddRange(TorchSharp);
    }

    private static string TorchSharpAssemblyPath()
    {
        var package = typeof(TestReferences).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TorchSharpPackage").Value!;
        return Path.Combine(package, "lib", "net8.0", "TorchSharp.dll");
    }
}
