using System.Reflection;
using StaticGrad.Tests.Oracle.Cases;
using StaticGrad.Tests.Oracle.Harness;

namespace StaticGrad.Tests.Oracle;

/// <summary>Every case PyTorch recorded has exactly one C# test of the same name, and the two recordings agree on the cases.</summary>
public sealed class OracleCoverageTests
{
    [Fact]
    public void Every_recorded_case_has_exactly_one_test()
    {
        var ids = OracleData.CaseIds();
        Assert.Equal(127, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var tests = typeof(StateAndLeavesCases).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(StateAndLeavesCases).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToList();

        Assert.Empty(ids.Except(tests, StringComparer.Ordinal));
        Assert.Empty(tests.Except(ids, StringComparer.Ordinal));
        Assert.Equal(ids.Count, tests.Count);
    }

    [Fact]
    public void Both_recordings_hold_the_same_cases_and_differ_only_where_SPEC_R42_says()
    {
        Assert.Equal(OracleData.CaseIds(OracleData.DefaultCpu), OracleData.CaseIds(OracleData.Avx512));
        Assert.Equal("DEFAULT", OracleData.Meta(OracleData.DefaultCpu).GetProperty("cpu_capability").GetString());
        Assert.Equal("AVX512", OracleData.Meta(OracleData.Avx512).GetProperty("cpu_capability").GetString());
        var differing = OracleData.CaseIds()
            .Where(id => OracleData.Case(id, OracleData.DefaultCpu).GetProperty("outputs").GetRawText()
                != OracleData.Case(id, OracleData.Avx512).GetProperty("outputs").GetRawText())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["R40_R42_frozen_after_step_set_to_none", "R42_sgd_momentum_arithmetic", "R45_seed001_case3_float64"], differing);
    }
}
