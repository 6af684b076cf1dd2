using Microsoft.CodeAnalysis;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>
/// The references test compilations are built against: offline .NET 8 reference assemblies (never a download at
/// run time) and the StaticGrad runtime, as a user's project would see them.
/// </summary>
public static class TestReferences
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> s_all = new(() =>
        Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToArray());

    public static IReadOnlyList<MetadataReference> All => s_all.Value;
}
