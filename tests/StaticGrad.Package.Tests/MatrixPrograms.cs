namespace StaticGrad.Package.Tests;

/// <summary>
/// The code the consumer matrix builds: [Differentiable] methods in the shapes users write (branches that return from
/// both sides, a switch, loops over arrays with a [NoGrad] parameter, float, a call into another method, a Tensor-bodied
/// method), documented, so that <c>GenerateDocumentationFile</c> has nothing to say about the user's own members.
/// </summary>
internal static class MatrixPrograms
{
    /// <summary>The library part; <c>{0}</c> is the attribute each method carries (e.g. <c>Differentiable(Forward = true)</c>).</summary>
    public const string Library = """
        using System;
        using StaticGrad;

        namespace Matrix
        {
            /// <summary>Functions whose gradients StaticGrad generates.</summary>
            public static partial class Functions
            {
                /// <summary>A branch that overwrites the result, and an early return.</summary>
                /// <param name="x">The input.</param>
                /// <param name="y">The other input.</param>
                /// <returns>A smooth-enough value.</returns>
                [ATTRIBUTE]
                public static double Piecewise(double x, double y)
                {
                    var r = x / (1 + y * y);
                    if (x > y)
                    {
                        r = x * y + Math.Sin(x);
                    }

                    if (y > 10)
                    {
                        return r * y;
                    }

                    return r;
                }

                /// <summary>A switch over an integer.</summary>
                /// <param name="x">The input.</param>
                /// <param name="mode">Which formula.</param>
                /// <returns>The chosen formula's value.</returns>
                [ATTRIBUTE]
                public static double Switch(double x, int mode)
                {
                    var r = x;
                    switch (mode)
                    {
                        case 0:
                            r = x * x;
                            break;
                        case 1:
                            r = Math.Exp(x);
                            break;
                        default:
                            r = Math.Tanh(x) * x;
                            break;
                    }

                    return r;
                }

                /// <summary>A weighted sum of squares over arrays, weights frozen.</summary>
                /// <param name="v">The values.</param>
                /// <param name="w">The weights (not differentiated).</param>
                /// <returns>The weighted sum.</returns>
                [ATTRIBUTE]
                public static double Weighted(double[] v, [NoGrad] double[] w)
                {
                    var sum = 0.0;
                    for (var i = 0; i < v.Length; i++)
                    {
                        sum += w[i] * v[i] * v[i];
                    }

                    return sum;
                }

                /// <summary>A loop that overwrites a carried scalar.</summary>
                /// <param name="x">The start.</param>
                /// <param name="y">The coupling.</param>
                /// <returns>The value after ten steps.</returns>
                [ATTRIBUTE]
                public static double Relax(double x, double y)
                {
                    var r = x;
                    for (var k = 0; k < 10; k++)
                    {
                        r = r * 0.5 + y * Math.Tanh(r);
                    }

                    return r;
                }

                /// <summary>Single precision, and a call into another [Differentiable] method.</summary>
                /// <param name="x">The input.</param>
                /// <param name="w">The weight.</param>
                /// <returns>The logistic of w·x plus a square.</returns>
                [ATTRIBUTE]
                public static float Logistic(float x, float w) => 1f / (1f + MathF.Exp(-w * x)) + Square(x);

                /// <summary>The square.</summary>
                /// <param name="x">The input.</param>
                /// <returns>x².</returns>
                [ATTRIBUTE]
                public static float Square(float x) => x * x;

                /// <summary>A method over tensors: the static backward, and with the Tensor opt-in the fused node.</summary>
                /// <param name="w">The weights.</param>
                /// <param name="x">The data.</param>
                /// <returns>The summed activation.</returns>
                [ATTRIBUTE]
                public static Tensor Activation(Tensor w, [NoGrad] Tensor x) => (w * x).Tanh().Sum();
            }
        }
        """;

    /// <summary>A console program over <see cref="Library"/>: calls what every configuration generates.</summary>
    public const string Program = """
        namespace Matrix
        {
            /// <summary>The entry point.</summary>
            public static class Program
            {
                /// <summary>Calls the generated backward of every method.</summary>
                public static void Main()
                {
                    double dx = 0, dy = 0;
                    var value = Functions.PiecewiseBackward(0.3, 0.7, ref dx, ref dy);
                    var dv = new double[2];
                    value += Functions.WeightedBackward(new[] { 1.0, 2.0 }, new[] { 0.5, 0.25 }, dv);
                    System.Console.WriteLine(value + dx + dy + dv[0]);
                }
            }
        }
        """;

    /// <summary>
    /// Names that collide with what the generator emits: a parameter <c>dx</c> next to <c>x</c>, <c>seed</c>,
    /// <c>dt</c> next to <c>t</c>, locals <c>dx</c>/<c>dy</c>, a keyword parameter <c>@base</c>, a local <c>o</c>
    /// (whose adjoint would be the keyword <c>do</c>), a local <c>_result</c>, and returns from both branches of an
    /// <c>if</c>/<c>else</c> (the generated code once left an unused <c>_returned</c> there, CS0219). The per-method name scope must
    /// give every generated name a form that compiles, warning-free, next to these.
    /// </summary>
    public const string CollidingNames = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Matrix
        {
            /// <summary>User names that the generator's names must not collide with.</summary>
            public static partial class Hostile
            {
                /// <summary>dx next to x.</summary>
                /// <param name="x">The input.</param>
                /// <param name="dx">A step, not an adjoint.</param>
                /// <returns>x·dx + x².</returns>
                [Differentiable]
                public static double Step(double x, double dx) => x * dx + x * x;

                /// <summary>seed, and dt next to t.</summary>
                /// <param name="t">Time.</param>
                /// <param name="dt">Time step.</param>
                /// <param name="seed">A scale.</param>
                /// <returns>A smooth value.</returns>
                [Differentiable]
                public static double Advance(double t, double dt, double seed) => Math.Sin(t + dt) * seed;

                /// <summary>Locals dx and dy in a distance.</summary>
                /// <param name="x1">First x.</param>
                /// <param name="y1">First y.</param>
                /// <param name="x2">Second x.</param>
                /// <param name="y2">Second y.</param>
                /// <returns>The distance.</returns>
                [Differentiable]
                public static double Distance(double x1, double y1, double x2, double y2)
                {
                    var dx = x2 - x1;
                    var dy = y2 - y1;
                    return Math.Sqrt(dx * dx + dy * dy);
                }

                /// <summary>Returns from both branches of an if/else.</summary>
                /// <param name="x">The input.</param>
                /// <param name="y">The other input.</param>
                /// <returns>A piecewise value.</returns>
                [Differentiable]
                public static double BothBranches(double x, double y)
                {
                    if (x > y)
                    {
                        return x * y;
                    }
                    else
                    {
                        return x / (1 + y * y);
                    }
                }

                /// <summary>A keyword as a parameter name and locals o, _tape, _result, _o and _n0, written in a counted loop (whose backward works on block-local copies named from the same scope).</summary>
                /// <param name="base">The base.</param>
                /// <param name="e">The exponent's scale.</param>
                /// <returns>A smooth value.</returns>
                [Differentiable]
                public static double Keywords(double @base, double e)
                {
                    var o = @base * e;
                    var _tape = o * e;
                    var _result = o * o + @base + _tape;
                    var _o = 0.0;
                    for (var _n0 = 0; _n0 < 3; _n0++)
                    {
                        _o = _o * e + o * _tape;
                        o = o + _tape * 0.5;
                    }

                    return _result + _o;
                }

                /// <summary>Session 19's paths under user names the generator also uses: a product of one value with a constant, a linear row loop (reversed upwards over spans), saves in slots under two counted loops.</summary>
                /// <param name="w">Weights, two rows of n.</param>
                /// <param name="dw">Inputs, not an adjoint.</param>
                /// <param name="seed">A start value, not the backward's seed.</param>
                /// <param name="n">The row length.</param>
                /// <returns>A smooth value.</returns>
                [Differentiable]
                public static double Rows(double[] w, double[] dw, double seed, int n)
                {
                    var _saves = 0.0;
                    for (var r = 0; r < 2; r++)
                    {
                        var dx = 0.0;
                        for (var i = 0; i < n; i++)
                        {
                            dx = dx + w[r * n + i] * dw[i];
                        }

                        _saves = _saves + 100.0 * dx * dx;
                    }

                    var h = seed;
                    for (var t = 0; t < 2; t++)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            h = 0.5 * Math.Tanh(h + w[i]);
                        }
                    }

                    return _saves + h;
                }

                /// <summary>Session 20's everyday forms under user names the generator also uses: a local array of tuples read by a deconstructing foreach, an int counter read as an enum and switched on, a foreach over a static readonly table, a forward row loop over spans.</summary>
                /// <param name="w">Weights, at least n and at least two.</param>
                /// <param name="seed">A scale, not the backward's seed.</param>
                /// <param name="n">The row length.</param>
                /// <returns>A smooth value.</returns>
                [Differentiable]
                public static double Forms(double[] w, double seed, int n)
                {
                    var pairs = new (double dx, double _tape)[2];
                    pairs[0] = (w[0] * seed, 1.5);
                    pairs[1] = (w[1], seed);
                    var _result = 0.0;
                    foreach (var (dx, _tape) in pairs)
                    {
                        _result += dx * _tape;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        var mode = (FormMode)(i % 3);
                        _result += mode switch
                        {
                            FormMode.Plain => w[i],
                            FormMode.Square => w[i] * w[i],
                            _ => Math.Sin(w[i]),
                        };
                    }

                    foreach (var t in FormTable)
                    {
                        _result += t * seed * seed;
                    }

                    return _result;
                }

                /// <summary>Session 21's forms: LINQ reductions, a one-input callee run in forward mode, the log of a quotient, a value read only by a return that may not run, and a triangle of twelve rows.</summary>
                /// <param name="w">Weights, at least 78 of them.</param>
                /// <param name="seed">A scale, not a seed.</param>
                /// <param name="dx">An offset, not an adjoint.</param>
                /// <returns>The loss.</returns>
                [Differentiable]
                public static double Session21(double[] w, double seed, double dx)
                {
                    var _result = w.Select(o => (o - dx) * 0.5).Sum() + w.Zip(w, (o, _tape) => o * _tape).Max();
                    _result += Curve(seed) + Math.Log((1.0 + seed * seed) / (2.0 + Math.Cos(dx)));
                    var t = Math.Sqrt(Math.Abs(dx) + 1.0);
                    if (_result > 1e300)
                    {
                        return t;
                    }

                    for (var j = 0; j < 12; j++)
                    {
                        var row = w[j];
                        var lower = 12 + j - 1;
                        for (var col = 0; col < j; col++)
                        {
                            row += w[lower] * (w[col] - seed);
                            lower += 12 - col - 2;
                        }

                        _result += row * row;
                    }

                    return _result;
                }

                /// <summary>Session 22's forms: an old-order triangle of eight rows (its reverse in a local function of its own), a value read only by one branch of a '?:' in a method without jumps, a fused sum followed by a statement that may throw.</summary>
                /// <param name="w">Weights, at least 36 of them.</param>
                /// <param name="seed">A scale, not a seed.</param>
                /// <param name="dx">An offset, not an adjoint.</param>
                /// <returns>The loss.</returns>
                [Differentiable]
                public static double Session22(double[] w, double seed, double dx)
                {
                    var _result = 0.0;
                    for (var _Rows = 0; _Rows < 8; _Rows++)
                    {
                        var _tape = w[_Rows];
                        var lower = 8 + _Rows - 1;
                        for (var col = 0; col < _Rows; col++)
                        {
                            _tape += w[lower] * (w[col] - seed);
                            lower += 8 - col - 2;
                        }

                        _result += _tape * _tape;
                    }

                    var o = Math.Sqrt(Math.Abs(dx));
                    _result += seed > 0.0 ? o * seed : dx;
                    var s = 0.0;
                    for (var i = 0; i < w.Length; i++)
                    {
                        s += w[i] * w[i];
                    }

                    return _result + s / w[(int)(Math.Abs(seed) * 3.0) % w.Length];
                }

                /// <summary>Session 23's forms: a log-sum-exp in a loop over points whose saves go to slots (an iteration stack), named arguments out of parameter order, an unsigned range guard, a foreach over a static tuple table; a one-input callee whose backward has the seeded second pass.</summary>
                /// <param name="w">Weights, at least 12 of them.</param>
                /// <param name="seed">A scale, not a seed.</param>
                /// <param name="dx">An offset, not an adjoint.</param>
                /// <returns>The loss.</returns>
                [Differentiable]
                public static double Session23(double[] w, double seed, double dx)
                {
                    var _result = 0.0;
                    for (var o = 0; o < 3; o++)
                    {
                        var _tape = double.NegativeInfinity;
                        for (var k = 0; k < 4; k++)
                        {
                            _tape = Math.Max(_tape, w[(4 * o) + k] * seed);
                        }

                        var sum = 0.0;
                        for (var k = 0; k < 4; k++)
                        {
                            sum += Math.Exp((w[(4 * o) + k] * seed) - _tape);
                        }

                        _result += Math.Log(sum) + _tape;
                    }

                    var i = (int)Math.Abs(dx);
                    if ((uint)i >= (uint)w.Length)
                    {
                        throw new ArgumentOutOfRangeException(nameof(dx));
                    }

                    foreach (var (scale, shift) in PairTable)
                    {
                        _result += Blend(b: w[i] * scale, a: dx + shift);
                    }

                    return _result + Curve(seed);
                }

                /// <summary>Session 24's forms: a triangle nest whose forward runs rows four, two and one at a time (the jam), loop conditions with side effects (a prefix increment, an increment under &amp;&amp;, a halving), an array literal written by name before a scalar, a callee whose saved partials have the seeded fallback.</summary>
                /// <param name="w">Weights, at least 36 of them.</param>
                /// <param name="seed">A shift, not a seed.</param>
                /// <param name="dx">An offset, not an adjoint.</param>
                /// <returns>The loss.</returns>
                [Differentiable]
                public static double Session24(double[] w, double seed, double dx)
                {
                    var _result = 0.0;
                    var _p = 8;
                    for (var _r0 = 0; _r0 < _p; _r0++)
                    {
                        var _v = w[_r0];
                        for (var _c = 0; _c < _r0; _c++)
                        {
                            _v += w[8 + (_r0 * (_r0 - 1) / 2) + _c] * (w[_c] - seed);
                        }

                        _result += _v * _v;
                    }

                    var _n = 0;
                    var _tape = 0.0;
                    while (++_n < 4)
                    {
                        _tape += w[_n] * dx;
                    }

                    var o = 0;
                    var _cond = 1.0 + (dx * dx);
                    while (_cond > 0.25 && o++ < 12)
                    {
                        _cond *= 0.5;
                        _result += _cond * w[o];
                    }

                    _result += ScaledPair(xs: new[] { w[1], dx }, scale: w[2] * 0.5);
                    return _result + _tape + Blend(seed, dx);
                }

                public static double Session25(double dx, double seed, double _tape)
                {
                    var x2 = dx;
                    var value2 = seed;
                    var _c3 = _tape;
                    var _first = Bend(x2 * value2) - (0.5 * Bend(x2 - _c3));
                    var _lanes = (Curve(x2) * Curve(value2 * 0.5)) + BendF((float)x2) - BendF((float)_c3);
                    var o = _first + _lanes;
                    var _result = o * value2;
                    return _result;
                }

                /// <summary>A one-input curve with a branch (its backward runs in forward mode; two calls in one statement run as one pair).</summary>
                /// <param name="v">The input.</param>
                /// <returns>Its value.</returns>
                [Differentiable]
                public static double Bend(double v)
                {
                    var z = Math.Abs(v);
                    var p = (0.25 * z) + 0.5;
                    p = (p * z) + 1.5;
                    if (z < 2.0)
                    {
                        p = (p * z) - 0.25;
                    }
                    else
                    {
                        p = Math.Exp(-z) * p;
                    }

                    return v > 0.0 ? p : -p;
                }

                /// <summary>The curve in float.</summary>
                /// <param name="v">The input.</param>
                /// <returns>Its value.</returns>
                [Differentiable]
                public static float BendF(float v)
                {
                    var z = MathF.Abs(v);
                    var p = (0.25f * z) + 0.5f;
                    p = (p * z) + 1.5f;
                    return v > 0f ? p : -p;
                }

                /// <summary>A weighted sum of two.</summary>
                /// <param name="scale">The weight of the first.</param>
                /// <param name="xs">The two values.</param>
                /// <returns>scale·xs[0] + xs[1].</returns>
                [Differentiable]
                public static double ScaledPair(double scale, double[] xs) => (scale * xs[0]) + xs[1];

                /// <summary>Two inputs, weighted.</summary>
                /// <param name="a">The first.</param>
                /// <param name="b">The second.</param>
                /// <returns>Their blend.</returns>
                [Differentiable]
                public static double Blend(double a, double b) => (0.75 * a) + (0.25 * b * b);

                private static readonly (double Scale, double Shift)[] PairTable = { (0.5, 1.0), (1.5, -0.5) };

                /// <summary>A one-input polynomial.</summary>
                /// <param name="v">The input.</param>
                /// <returns>Its value.</returns>
                [Differentiable]
                public static double Curve(double v)
                {
                    var p = 0.5;
                    p = p * v + 1.5;
                    p = p * v - 0.25;
                    return p;
                }

                private static readonly double[] FormTable = { 0.5, 1.5 };

                private enum FormMode
                {
                    Plain,
                    Square,
                    Wave,
                }
            }
        }
        """;

    /// <summary>The library with every method carrying <paramref name="attribute"/>.</summary>
    public static string LibraryWith(string attribute) => Library.Replace("ATTRIBUTE", attribute, StringComparison.Ordinal);
}
