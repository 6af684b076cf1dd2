using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// One case of --short in this process (started by <see cref="ShortRun"/>): every benchmarked method of the case
/// warmed up to its tier-1 code (<see cref="TierWarmUp"/>) on an instance of its own, then timed by BenchmarkDotNet
/// in-process as before; the measurements go to a file for the parent's table.
/// </summary>
public static class ShortChild
{
    public const string Switch = "--short-child";

    /// <summary>The case's class and parameters, as the ratio table names them (<c>Instance=1k/gmm_d2_K5</c>).</summary>
    public static (string Type, string Parameters) CaseOf(BenchmarkCase benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return (benchmark.Descriptor.Type.Name, RatioTable.CaseOf(benchmark));
    }

    public static int Run(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine($"usage: {Switch} <benchmark class> <parameters> <output file>");
            return 2;
        }

        var type = typeof(ShortChild).Assembly.GetExportedTypes().Single(t => t.Name == args[0]);
        var config = SuiteRunner.CreateConfig(isShort: true).AddFilter(new SimpleFilter(b => CaseOf(b) == (args[0], args[1])));
        var runInfo = BenchmarkConverter.TypeToBenchmarks(type, config);
        if (runInfo.BenchmarksCases.Length == 0)
        {
            Console.Error.WriteLine($"No benchmark of {args[0]} has the parameters '{args[1]}'.");
            return 2;
        }

        WarmUp(runInfo.BenchmarksCases);
        var summary = BenchmarkRunner.Run(runInfo);
        File.WriteAllLines(args[2], RatioTable.Write(RatioTable.Measurements([summary])));
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }

    /// <summary>
    /// Every method of the case called on one instance (parameters set, global setup run) until tier 1, in
    /// BenchmarkDotNet's order; BenchmarkDotNet's own instance is set up afresh afterwards.
    /// </summary>
    private static void WarmUp(BenchmarkCase[] cases)
    {
        foreach (var group in cases.GroupBy(c => (c.Descriptor.GlobalSetupMethod, c.Descriptor.GlobalCleanupMethod)))
        {
            var first = group.First();
            var instance = Activator.CreateInstance(first.Descriptor.Type)!;
            foreach (var parameter in first.Parameters.Items)
            {
                Set(instance, parameter.Name, parameter.Value);
            }

            group.Key.GlobalSetupMethod?.Invoke(instance, null);
            foreach (var benchmark in group)
            {
                var method = benchmark.Descriptor.WorkloadMethod;
                var result = TierWarmUp.Run(() => method.Invoke(instance, null));
                Console.WriteLine($"// Warm-up {benchmark.Descriptor.Type.Name}.{method.Name} {CaseOf(benchmark).Parameters}: {result}");
            }

            group.Key.GlobalCleanupMethod?.Invoke(instance, null);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Set(object instance, string name, object? value)
    {
        const BindingFlags Members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        var type = instance.GetType();
        if (type.GetProperty(name, Members) is { } property)
        {
            property.SetValue(property.GetMethod!.IsStatic ? null : instance, value);
        }
        else
        {
            var field = type.GetField(name, Members) ?? throw new InvalidOperationException($"{type.Name} has no parameter {name}.");
            field.SetValue(field.IsStatic ? null : instance, value);
        }
    }
}
