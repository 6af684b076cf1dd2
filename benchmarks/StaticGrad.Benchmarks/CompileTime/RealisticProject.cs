using System.Globalization;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// The methods of the build-cost project the issue measured (300 methods in about 1 900 lines, 6.3 lines a method):
/// formatted as users write them (attribute on its own line, block bodies), in ten shapes taken from the test corpora:
/// closed-form expressions, locals with Math calls, a branch, loops over [NoGrad] data, a loop-carried scalar, a
/// least-squares residual, calls of other methods of the file (one passing a derivative-carrying argument to a
/// [NoGrad] parameter, so the project needs some <c>…BackwardIncludingNoGrad</c> variants).
/// </summary>
internal static class RealisticProject
{
    public static string Method(int index)
    {
        var c = 3 + (index % 7);
        var f = index - (index % 10);
        // The blank line after each method, as a formatter leaves it.
        return (index % 10) switch
        {
            0 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y) => (1 - x) * (1 - x) + {{c}}0 * (y - x * x) * (y - x * x);

                """),
            1 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y) => Math.Log(1 + Math.Exp({{c}} * x - y)) / (1 + x * x);

                """),
            2 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y, [NoGrad] double scale) =>
                        scale * Math.Sqrt(x * x + y * y + 1e-{{c}}) + Math.Cos(y - x);

                """),
            3 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y)
                    {
                        var s = Math.Sin(x * {{c}});
                        return s * Math.Exp(-y) + Math.Log(1 + x * x);
                    }

                """),
            4 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y)
                    {
                        if (x > y)
                            return x * y * {{c}};
                        return Math.Abs(x) / (1 + y * y);
                    }

                """),
            5 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double[] v, [NoGrad] double[] w)
                    {
                        var sum = 0.0;
                        for (var i = 0; i < v.Length; i++)
                            sum += w[i] * v[i] * v[i] / {{c}};
                        return Math.Sqrt(1 + sum);
                    }

                """),
            6 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y)
                    {
                        var r = x;
                        for (var k = 0; k < {{c}}; k++)
                            r = r * 0.5 + y * Math.Tanh(r);
                        return r;
                    }

                """),
            7 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y) => F{{f}}(x, y) + 0.{{c}} * F{{f + 3}}(y, x) - F{{f + 2}}(x, 1, y);

                """),
            8 => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double a, double b, [NoGrad] double[] xs, [NoGrad] double[] ys)
                    {
                        var loss = 0.0;
                        for (var i = 0; i < xs.Length; i++)
                        {
                            var e = a * xs[i] + b - ys[i];
                            loss += e * e;
                        }
                        return loss / xs.Length;
                    }

                """),
            _ => Invariant($$"""
                    [Differentiable]
                    public static double F{{index}}(double x, double y) => Math.Max(x, 0) + 0.{{c}} * Math.Pow(y, 2) - F{{f + 2}}(x, y, {{c}}.0);

                """),
        } + "\n";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
