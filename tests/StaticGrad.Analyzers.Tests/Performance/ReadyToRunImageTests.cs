using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using StaticGrad.Analyzers.TensorUsage;

namespace StaticGrad.Analyzers.Tests.Performance;

/// <summary>
/// Session 22: on a Linux x64 build the compiler-side assemblies are ReadyToRun images (eng/ReadyToRun.targets), so a
/// fresh compiler process runs their precompiled code instead of JIT-compiling about 410 of the tensor-usage analyzer's
/// methods at their first call. Every test of this project loads those images, so the diagnostics they check are the
/// images' own; these tests check that the images are what the build produced (a build step that silently stopped
/// running would leave the IL-only assemblies and the cost with them) and that an image is still the netstandard2.0
/// assembly built against Roslyn 4.8 that every other host loads and JIT-compiles as before.
/// </summary>
public class ReadyToRunImageTests
{
    private static readonly bool BuiltOnLinuxX64 = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.OSArchitecture == Architecture.X64;

    public static TheoryData<string> Components => new()
    {
        typeof(TensorUsageAnalyzer).Assembly.Location,
        typeof(StaticGrad.Compiler.Differentiator).Assembly.Location,
    };

    [Theory]
    [MemberData(nameof(Components))]
    public void Linux_x64_builds_ship_native_code_beside_the_unchanged_IL(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var cor = pe.PEHeaders.CorHeader!;

        // The ReadyToRun header is the managed native header of the CLI header; an IL-only assembly has none.
        Assert.Equal(BuiltOnLinuxX64, cor.ManagedNativeHeaderDirectory.Size > 0);
        Assert.True(pe.HasMetadata);

        var metadata = pe.GetMetadataReader();
        Assert.Equal(".NETStandard,Version=v2.0", TargetFramework(metadata));
        var roslyn = metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Single(reference => metadata.GetString(reference.Name) == "Microsoft.CodeAnalysis");
        Assert.Equal(new Version(4, 8, 0, 0), roslyn.Version);

        // Every method still has its IL: a host that cannot use the native code compiles the IL.
        var bodies = metadata.MethodDefinitions
            .Select(handle => metadata.GetMethodDefinition(handle))
            .Where(method => method.RelativeVirtualAddress != 0)
            .Select(method => pe.GetMethodBody(method.RelativeVirtualAddress).Size)
            .ToList();
        Assert.True(bodies.Count > 100);
        Assert.All(bodies, size => Assert.True(size > 0));
    }

    private static string? TargetFramework(MetadataReader metadata)
    {
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (metadata.GetString(type.Name) == nameof(System.Runtime.Versioning.TargetFrameworkAttribute))
            {
                var blob = metadata.GetBlobReader(attribute.Value);
                blob.ReadUInt16(); // prolog
                return blob.ReadSerializedString();
            }
        }

        return null;
    }
}
