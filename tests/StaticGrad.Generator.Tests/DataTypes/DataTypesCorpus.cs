using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>The data-types corpus compiled once with the generator; every function with a <c>{Name}_Args</c> base point is under test.</summary>
internal static class DataTypesCorpus
{
    public static readonly string[] Sources =
    {
        ConfigurationCorpus.Source,
        StructCorpus.Source,
        NumericsCorpus.Source,
        ArrayCorpus.Source,
        GeometryCorpus.Source,
        StructArrayCorpus.Source,
        BufferCorpus.Source,
        CallCorpus.Source,
        ResultCallCorpus.Source,
        NBodyCorpus.Source,
        LocalGridCorpus.Source,
        LiteralGridCorpus.Source,
        NestedResultCorpus.Source,
        OperatorCorpus.Source,
        SpreadPartCorpus.Source,
        RewriteCorpus.Source,
        RaggedLoopCorpus.Source,
        RowShapeCorpus.Source,
        ConstructorCorpus.Source,
        GridArgumentCorpus.Source,
        JaggedArgumentCorpus.Source,
    };

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Sources));

    public static Assembly Assembly => s_assembly.Value;

    /// <summary><c>Type.Method</c> of every function under test, read from the sources (no compilation needed to list them).</summary>
    public static IEnumerable<string> Keys()
    {
        foreach (var source in Sources)
        {
            var type = string.Empty;
            foreach (var line in source.Split('\n'))
            {
                var trimmed = line.Trim();
                var declaration = System.Text.RegularExpressions.Regex.Match(trimmed, @"^public (?:static |readonly )?partial (?:class|struct|record struct) (\w+)");
                if (declaration.Success)
                {
                    type = declaration.Groups[1].Value;
                }

                var args = System.Text.RegularExpressions.Regex.Match(trimmed, @"^public static object\[\] (\w+)_Args\(\)");
                if (args.Success)
                {
                    yield return type + "." + args.Groups[1].Value;
                }
            }
        }
    }

    public static StructGradientCheck Check(string key)
    {
        var dot = key.IndexOf('.');
        var type = Assembly.GetType("DataCorpus." + key[..dot], throwOnError: true)!;
        return new StructGradientCheck(type, key[(dot + 1)..]);
    }
}
