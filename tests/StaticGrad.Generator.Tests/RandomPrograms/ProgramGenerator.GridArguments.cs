using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Local grids handed whole to a [Differentiable] helper (data types, session 13): the local <c>g</c> (a <c>T[,]</c>, or
/// a <c>double[][]</c> whose rows get one length) to <c>GridSum</c>/<c>GridSumF</c>/<c>RowsSum</c>, and a ragged local
/// <c>rr</c> (rows of different lengths) to <c>RowsSum</c>; and spreads of a plain helper's array computed from an
/// integer, <c>[.. Helpers.Taps(i), e]</c>, with a loop counter, <c>n</c> or a constant.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The [Differentiable] helpers taking a whole grid, and the plain helpers returning taps (not under test).</summary>
    public static IReadOnlyList<RandomProgram> GridHelpers()
    {
        var helpers = new List<RandomProgram>();
        foreach (var t in new[] { "double", "float" })
        {
            var (suffix, m, half) = t == "double" ? (string.Empty, "Math", "0.5") : ("F", "MathF", "0.5f");
            helpers.Add(Fixed("GridSum" + suffix, 23, $$"""

                // domain: g[3x2]=-1..1
                [Differentiable]
                public static {{t}} GridSum{{suffix}}({{t}}[,] g, {{t}} w)
                {
                    {{t}} r = g[0, 0] * {{half}};
                    for (int i = 0; i < g.GetLength(0); i++)
                    {
                        for (int j = 0; j < g.GetLength(1); j++)
                        {
                            r += {{m}}.Sin(g[i, j] * w + j) * {{half}};
                        }
                    }

                    return r;
                }
                """));
            helpers.Add(Fixed("Taps" + suffix, 29, $$"""

                public static {{t}}[] Taps{{suffix}}(int k)
                {
                    var taps = new {{t}}[1 + (k % 3 + 3) % 3];
                    for (int i = 0; i < taps.Length; i++)
                    {
                        taps[i] = {{half}} / (i + 1);
                    }

                    return taps;
                }
                """));
        }

        helpers.Add(Fixed("RowsSum", 31, """

            // domain: g[3x2]=-1..1
            [Differentiable]
            public static double RowsSum(double[][] g, double w)
            {
                double r = g[0][0] * 0.5;
                for (int i = 0; i < g.Length; i++)
                {
                    for (int j = 0; j < g[i].Length; j++)
                    {
                        r += Math.Tanh(g[i][j] + w * i) * g[i][j];
                    }
                }

                return r;
            }
            """));
        return helpers;

        static RandomProgram Fixed(string name, int seed, string source) =>
            new(name, seed, source.Replace("\r", "", StringComparison.Ordinal), IsHelper: true, NeedsReference: false, Array.Empty<Production>());
    }

    /// <summary>The local grid <c>g</c> passed whole to its helper; false when there is none (a float jagged one has no helper).</summary>
    private bool GridArgumentStatement()
    {
        if (!_localGrid || (_jagged && _single) || !Allowed(_jagged ? Production.JaggedArgument : Production.GridArgument))
        {
            return false;
        }

        Use(_jagged ? Production.JaggedArgument : Production.GridArgument);
        var helper = _jagged ? "Helpers.RowsSum" : _single ? "Helpers.GridSumF" : "Helpers.GridSum";
        WholeGridCall(helper, _rowsName);
        return true;
    }

    /// <summary><c>target = 0.5 * target + 0.5 * Tanh(helper(grid, w))</c>, the shadow passing the grid's shadow.</summary>
    private void WholeGridCall(string helper, string grid)
    {
        var w = Expression(1);
        var call = new Fragment($"{helper}({grid}, {w.Src})", $"{helper}({grid}, {w.Ref})", $"{helper}({grid}_0, {w.Shadow})");
        var target = Pick(_assignable);
        Assign(target, "=", Bounded(Fragment.Combine(Literal(0.5) + " * {0} + " + Literal(0.5) + " * " + M + ".Tanh({1})", Fragment.Variable(target), call)));
    }

    /// <summary>A spread of <c>Taps(k)</c> (one to three values) for an integer <c>k</c>: a loop counter, <c>n</c> or a constant.</summary>
    private Fragment CallSpreadItem()
    {
        Use(Production.CallSpread);
        var k = _ints.Count > 0 && Chance(0.7) ? Pick(_ints) : _random.Next(4).ToString(CultureInfo.InvariantCulture);
        var text = $".. Helpers.Taps{(_single ? "F" : string.Empty)}({k})";
        return new Fragment(text, text, text);
    }
}
