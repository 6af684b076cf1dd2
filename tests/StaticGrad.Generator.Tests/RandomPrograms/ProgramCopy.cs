using System.Reflection;
using System.Runtime.Loader;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A rewritten copy of a random program compiled without the generator, with its <c>Primal</c> (and, when it has one,
/// <c>FdReference</c>) adapter, loaded in a collectible context: the checker's second opinions (<see cref="DoubleTwin"/>,
/// <see cref="UnresolvedPhase"/>).
/// </summary>
internal static class ProgramCopy
{
    /// <summary>The copy's assembly and adapter type, or null when the copy does not compile.</summary>
    public static (Assembly Assembly, Type Adapter)? Load(string source, string programName, string contextName)
    {
        var method = MethodUnderTest.ReadAll(source).Single(m => m.TypeName == "Programs" && m.Name == programName);
        var compilation = GeneratorHarness.CreateCompilation(source, AdapterWriter.Write(new[] { (0, method) }, includeBackward: false));
        using var stream = new MemoryStream();
        if (!compilation.Emit(stream).Success)
        {
            return null;
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(contextName + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (_, name) => name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly : null;
        var assembly = context.LoadFromStream(stream);
        return (assembly, assembly.GetType(AdapterWriter.Namespace + "." + AdapterWriter.ClassName(0))!);
    }
}
