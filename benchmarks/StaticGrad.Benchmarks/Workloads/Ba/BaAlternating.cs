using System.Diagnostics;
using System.Globalization;

namespace StaticGrad.Benchmarks.Workloads.Ba;

/// <summary>
/// <c>--alternate-ba [rounds]</c>: the generated BA Jacobian (one <c>ReprojectionJacobian</c> per observation) against
/// session 15's and session 16's generated code (<see cref="BaSession15Jacobian"/>, <see cref="BaSession16Jacobian"/>) and the hand-written one, in one process, the order
/// rotating every round; prints the median of the per-round ratios and the ratio of the minima. On a shared machine this is the
/// comparison to trust: two separate runs see different loads.
/// </summary>
public static class BaAlternating
{
    public const string Switch = "--alternate-ba";

    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 21;
#if GENERATED_BA
        var instance = BaCatalog.Get(BaCatalog.ShortModeInstance, Infrastructure.AdbenchData.Directory);
        var jacobian = new BaJacobian(instance);
        var variants = new (string Name, Func<double> Run)[]
        {
            ("hand", () => BaJacobians.HandWritten(instance, jacobian)),
            ("jacobian", () => BaJacobians.Generated(instance, jacobian)),
            ("session 15", () => BaJacobians.GeneratedSession15(instance, jacobian)),
            ("session 16", () => BaJacobians.GeneratedSession16(instance, jacobian)),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        foreach (var (_, run) in variants)
        {
            for (var i = 0; i < 20; i++)
            {
                run();
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var v = (k + round) % variants.Length;
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < 5; i++)
                {
                    variants[v].Run();
                }

                times[v].Add(watch.Elapsed.TotalMilliseconds / 5);
            }
        }

        Console.WriteLine($"BA {instance.Name}, {rounds} rounds, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        for (var v = 0; v < variants.Length; v++)
        {
            Console.WriteLine($"  {variants[v].Name}: min {times[v].Min():F3} ms, median {Median(times[v]):F3} ms");
        }

        Console.WriteLine($"  jacobian ÷ session 15: median per round {Median(times[1].Zip(times[2], (a, b) => a / b)):F3}, minima {times[1].Min() / times[2].Min():F3}");
        Console.WriteLine($"  jacobian ÷ hand: median per round {Median(times[1].Zip(times[0], (a, b) => a / b)):F3}, minima {times[1].Min() / times[0].Min():F3}");
        Console.WriteLine($"  session 15 ÷ hand: median per round {Median(times[2].Zip(times[0], (a, b) => a / b)):F3}, minima {times[2].Min() / times[0].Min():F3}");
        Console.WriteLine($"  jacobian ÷ session 16: median per round {Median(times[1].Zip(times[3], (a, b) => a / b)):F3}, minima {times[1].Min() / times[3].Min():F3}");
        Console.WriteLine($"  session 16 ÷ hand: median per round {Median(times[3].Zip(times[0], (a, b) => a / b)):F3}, minima {times[3].Min() / times[0].Min():F3}");
        return 0;
#else
        Console.Error.WriteLine("BA is not in StaticGradGeneratedWorkloads.");
        return 2;
#endif
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
