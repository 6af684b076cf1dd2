using System.Text.RegularExpressions;

namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 23's generic-math corpus: functions written over <c>T</c> as users write them (statistics, physics, finance,
/// ML losses), with <c>T.Exp</c>, <c>T.Log</c>, <c>T.Sqrt</c>, <c>T.Pow</c>, <c>T.Atan2</c>, <c>T.Hypot</c>,
/// <c>T.FusedMultiplyAdd</c>, <c>T.Clamp</c>, <c>T.Max/Min</c>, <c>T.Abs</c>, <c>T.Sign</c>, <c>T.CopySign</c>,
/// <c>T.CreateChecked</c> of constants and of an int length, <c>T.Pi</c>, <c>T.E</c>, <c>T.Zero/One</c>, loops over
/// <c>T[]</c>, <c>Span&lt;T&gt;</c>, <c>ReadOnlySpan&lt;T&gt;</c> and <c>T[,]</c>, generic helpers calling generic helpers,
/// <c>INumber&lt;T&gt;</c>-only constraints next to <c>IFloatingPointIeee754&lt;T&gt;</c>. Each public method's double
/// twin (<see cref="DoubleTwins"/>: the same text over double) is compiled beside it. The methods whose name starts with
/// <c>Refused</c> are outside the contract and must each get ONE located diagnostic that says what to write instead.
/// </summary>
/// <remarks>
/// Domain comments: <c>// domain: lo..hi</c> for every floating input; arrays have 5 elements, <c>T[,]</c> 3×3.
/// </remarks>
internal static class Session23GenericMathCorpus
{
    public const string Namespace = "Session23GenericMath";

    public const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session23GenericMath;

        public interface IDiscount<T> where T : IFloatingPointIeee754<T>
        {
            static abstract T Rate(T years);
        }

        public readonly struct FlatDiscount : IDiscount<double>
        {
            public static double Rate(double years) => 0.03 + 0.0 * years;
        }

        public static partial class G
        {
            // ---- statistics ----

            // domain: -1..1
            [Differentiable]
            public static T Mean<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                T sum = T.Zero;
                for (int i = 0; i < a.Length; i++)
                {
                    sum += a[i];
                }

                return sum / T.CreateChecked(a.Length);
            }

            // domain: -1..1
            [Differentiable]
            public static T Variance<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                T m = Mean(a);
                T s = T.Zero;
                foreach (T v in a)
                {
                    s += (v - m) * (v - m);
                }

                return s / T.CreateChecked(a.Length - 1);
            }

            // domain: -2..2
            [Differentiable]
            public static T LogSumExp<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                T max = a[0];
                for (int i = 1; i < a.Length; i++)
                {
                    max = T.Max(max, a[i]);
                }

                T s = T.Zero;
                for (int i = 0; i < a.Length; i++)
                {
                    s += T.Exp(a[i] - max);
                }

                return max + T.Log(s);
            }

            // domain: -1..1
            [Differentiable]
            public static T GaussianLogLikelihood<T>(T[] x, T mu, T logSigma) where T : IFloatingPointIeee754<T>
            {
                T sigma = T.Exp(logSigma);
                T half = T.CreateChecked(0.5);
                T total = T.Zero;
                for (int i = 0; i < x.Length; i++)
                {
                    T z = (x[i] - mu) / sigma;
                    total -= half * z * z + logSigma + half * T.Log(T.CreateChecked(2) * T.Pi);
                }

                return total;
            }

            // domain: -1..1
            [Differentiable]
            public static T Huber<T>(T[] r, T delta) where T : IFloatingPointIeee754<T>
            {
                T d = T.Abs(delta) + T.CreateChecked(0.25);
                T loss = T.Zero;
                foreach (T v in r)
                {
                    T a = T.Abs(v);
                    loss += a <= d ? T.CreateChecked(0.5) * v * v : d * (a - T.CreateChecked(0.5) * d);
                }

                return loss;
            }

            // domain: 0.5..2
            [Differentiable]
            public static T Skewness<T>(T[] a) where T : IFloatingPointIeee754<T> => StandardisedThirdMoment(a, Mean(a));

            [Differentiable]
            private static T StandardisedThirdMoment<T>(ReadOnlySpan<T> s, T m) where T : IFloatingPointIeee754<T>
            {
                T m2 = T.Zero;
                T m3 = T.Zero;
                for (int i = 0; i < s.Length; i++)
                {
                    T d = s[i] - m;
                    m2 += d * d;
                    m3 += d * d * d;
                }

                T n = T.CreateChecked(s.Length);
                return (m3 / n) / T.Pow(m2 / n, T.CreateChecked(1.5));
            }

            // domain: -1..1
            [Differentiable]
            public static T Correlation<T>(T[] x, T[] y) where T : IFloatingPointIeee754<T>
            {
                T mx = Mean(x);
                T my = Mean(y);
                T sxy = T.Zero, sxx = T.Zero, syy = T.Zero;
                for (int i = 0; i < x.Length; i++)
                {
                    sxy += (x[i] - mx) * (y[i] - my);
                    sxx += (x[i] - mx) * (x[i] - mx);
                    syy += (y[i] - my) * (y[i] - my);
                }

                return sxy / T.Sqrt(sxx * syy);
            }

            // domain: 0.5..2
            [Differentiable]
            public static T WeightedGridMean<T>(T[,] v, T[,] w) where T : IFloatingPointIeee754<T>
            {
                T num = T.Zero, den = T.Zero;
                for (int i = 0; i < v.GetLength(0); i++)
                {
                    for (int j = 0; j < v.GetLength(1); j++)
                    {
                        num += w[i, j] * v[i, j];
                        den += w[i, j];
                    }
                }

                return num / den;
            }

            // domain: 0.5..2
            [Differentiable]
            public static T GeometricMean<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                T logs = T.Zero;
                foreach (T v in a)
                {
                    logs += T.Log(v);
                }

                return T.Exp(logs / T.CreateChecked(a.Length));
            }

            // ---- physics ----

            // domain: 0.5..1.5
            [Differentiable]
            public static T ProjectileRange<T>(T speed, T angle, T gravity) where T : IFloatingPointIeee754<T> =>
                T.Pow(speed, T.CreateChecked(2)) * T.Sin(T.CreateChecked(2) * angle) / (gravity * T.CreateChecked(9.81f));

            // domain: -1..1
            [Differentiable]
            public static T SpringChainEnergy<T>(T[] x, T k) where T : IFloatingPointIeee754<T>
            {
                T e = T.Zero;
                for (int i = 1; i < x.Length; i++)
                {
                    T stretch = x[i] - x[i - 1] - T.CreateChecked(0.1);
                    e += T.CreateChecked(0.5) * k * stretch * stretch;
                }

                return e;
            }

            // domain: -0.5..0.5
            [Differentiable]
            public static T Pendulum<T>(T theta, T omega, T damping) where T : IFloatingPointIeee754<T>
            {
                T dt = T.CreateChecked(0.05);
                for (int step = 0; step < 20; step++)
                {
                    omega -= dt * (T.CreateChecked(9.81) * T.Sin(theta) + damping * omega);
                    theta += dt * omega;
                }

                return theta * theta + omega * omega;
            }

            // domain: -2..2
            [Differentiable]
            public static T PairPotential<T>(T[] px, T[] py) where T : IFloatingPointIeee754<T>
            {
                T u = T.Zero;
                for (int i = 0; i < px.Length; i++)
                {
                    for (int j = i + 1; j < px.Length; j++)
                    {
                        u -= T.One / (T.Hypot(px[i] - px[j], py[i] - py[j]) + T.CreateChecked(0.5));
                    }
                }

                return u;
            }

            // domain: -1..1
            [Differentiable]
            public static T QuadraticDrag<T>(T v, T cd) where T : IFloatingPointIeee754<T> =>
                -T.CopySign(cd * v * v, v) + T.CreateChecked(1e-3) * v;

            // domain: 0.5..2
            [Differentiable]
            public static T OrbitalPeriod<T>(T a, T mu) where T : IFloatingPointIeee754<T> =>
                T.CreateChecked(2) * T.Pi * T.Sqrt(T.Pow(a, T.CreateChecked(3)) / mu);

            // domain: 0.2..1.5
            [Differentiable]
            public static T DampedOscillator<T>(T t, T zeta, T w) where T : IFloatingPointIeee754<T> =>
                T.Exp(-zeta * w * t) * T.Cos(w * T.Sqrt(T.One - T.Min(zeta * zeta, T.CreateChecked(0.9))) * t);

            // domain: 0.5..1.5
            [Differentiable]
            public static T AngleBetween<T>(T x1, T y1, T x2, T y2) where T : IFloatingPointIeee754<T> =>
                T.Atan2(x1 * y2 - y1 * x2, x1 * x2 + y1 * y2);

            // domain: -1..1
            [Differentiable]
            public static T KineticEnergy<T>(T[] v, T mass) where T : IFloatingPointIeee754<T>
            {
                Span<T> squared = new T[v.Length];
                for (int i = 0; i < v.Length; i++)
                {
                    squared[i] = v[i] * v[i];
                }

                T e = T.Zero;
                foreach (T s in squared)
                {
                    e += s;
                }

                return T.CreateChecked(0.5) * T.Abs(mass) * e;
            }

            // ---- finance ----

            // domain: 0.01..0.2
            [Differentiable]
            public static T CompoundGrowth<T>(T rate, T years) where T : IFloatingPointIeee754<T> =>
                T.Pow(T.One + rate, years * T.CreateChecked(30)) - T.One;

            // domain: 0.01..0.3
            [Differentiable]
            public static T PresentValue<T>(T[] cash, T rate) where T : IFloatingPointIeee754<T>
            {
                T pv = T.Zero;
                T discount = T.One;
                for (int i = 0; i < cash.Length; i++)
                {
                    discount /= T.One + rate;
                    pv += cash[i] * discount;
                }

                return pv;
            }

            // domain: 0.5..1.5
            [Differentiable]
            public static T NormalCdf<T>(T x) where T : IFloatingPointIeee754<T>
            {
                // Abramowitz–Stegun 26.2.17.
                T t = T.One / (T.One + T.CreateChecked(0.2316419) * T.Abs(x));
                T poly = t * (T.CreateChecked(0.319381530) + t * (T.CreateChecked(-0.356563782) + t * (T.CreateChecked(1.781477937)
                    + t * (T.CreateChecked(-1.821255978) + t * T.CreateChecked(1.330274429)))));
                T tail = T.Exp(-x * x / T.CreateChecked(2)) / T.Sqrt(T.CreateChecked(2) * T.Pi) * poly;
                return x >= T.Zero ? T.One - tail : tail;
            }

            // domain: 0.5..1.5
            [Differentiable]
            public static T BlackScholesCall<T>(T spot, T strike, T rate, T sigma, T time) where T : IFloatingPointIeee754<T>
            {
                T sqrtT = T.Sqrt(time);
                T d1 = (T.Log(spot / strike) + (rate * T.CreateChecked(0.1) + sigma * sigma / T.CreateChecked(2)) * time) / (sigma * sqrtT);
                T d2 = d1 - sigma * sqrtT;
                return spot * NormalCdf(d1) - strike * T.Exp(-rate * T.CreateChecked(0.1) * time) * NormalCdf(d2);
            }

            // domain: 0.02..0.2
            [Differentiable]
            public static T AnnuityPayment<T>(T principal, T rate) where T : IFloatingPointIeee754<T>
            {
                T n = T.CreateChecked(12);
                return principal * rate / (T.One - T.Pow(T.One + rate, -n));
            }

            // domain: 0.5..1.5
            [Differentiable]
            public static T PortfolioVariance<T>(T[] w, T[,] cov) where T : IFloatingPointIeee754<T>
            {
                T v = T.Zero;
                for (int i = 0; i < cov.GetLength(0); i++)
                {
                    for (int j = 0; j < cov.GetLength(1); j++)
                    {
                        v += w[i] * cov[i, j] * w[j];
                    }
                }

                return v;
            }

            // domain: -1..1
            [Differentiable]
            public static T SharpeRatio<T>(T[] returns, T riskFree) where T : IFloatingPointIeee754<T> =>
                (Mean(returns) - riskFree) / T.Sqrt(Variance(returns) + T.CreateChecked(1e-2));

            // domain: -1..1
            [Differentiable]
            public static T HornerFma<T>(T[] c, T x) where T : IFloatingPointIeee754<T>
            {
                T p = c[c.Length - 1];
                for (int i = c.Length - 2; i >= 0; i--)
                {
                    p = T.FusedMultiplyAdd(p, x, c[i]);
                }

                return p;
            }

            // domain: 0.5..2
            [Differentiable]
            public static T ContinuousDiscount<T>(T[] cash, T rate) where T : IFloatingPointIeee754<T>
            {
                T pv = T.Zero;
                for (int i = 0; i < cash.Length; i++)
                {
                    pv += cash[i] * T.Pow(T.E, -rate * T.CreateChecked(i + 1) * T.CreateChecked(0.1));
                }

                return pv;
            }

            // ---- ML losses ----

            // domain: -3..3
            [Differentiable]
            public static T Logistic<T>(T z) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

            // domain: -2..2
            [Differentiable]
            public static T BinaryCrossEntropy<T>(T[] logits, T[] labels) where T : IFloatingPointIeee754<T>
            {
                T eps = T.CreateChecked(1e-6);
                T loss = T.Zero;
                for (int i = 0; i < logits.Length; i++)
                {
                    T p = T.Clamp(Logistic(logits[i]), eps, T.One - eps);
                    T y = (labels[i] + T.One) * T.CreateChecked(0.5);
                    loss -= y * T.Log(p) + (T.One - y) * T.Log(T.One - p);
                }

                return loss / T.CreateChecked(logits.Length);
            }

            // domain: -2..2
            [Differentiable]
            public static T SoftmaxCrossEntropy<T>(T[] logits, T[] target) where T : IFloatingPointIeee754<T>
            {
                T lse = LogSumExp(logits);
                T loss = T.Zero;
                for (int i = 0; i < logits.Length; i++)
                {
                    loss += T.Abs(target[i]) * (lse - logits[i]);
                }

                return loss;
            }

            // domain: -1..1
            [Differentiable]
            public static T MeanSquaredError<T>(T[] prediction, T[] target) where T : INumber<T>
            {
                T s = T.Zero;
                for (int i = 0; i < prediction.Length; i++)
                {
                    T d = prediction[i] - target[i];
                    s += d * d;
                }

                return s / T.CreateChecked(prediction.Length);
            }

            // domain: -1..1
            [Differentiable]
            public static T Hinge<T>(T[] score, T[] label) where T : INumber<T>
            {
                T s = T.Zero;
                for (int i = 0; i < score.Length; i++)
                {
                    s += T.Max(T.Zero, T.One - label[i] * score[i]);
                }

                return s;
            }

            // domain: -1..1
            [Differentiable]
            public static T RidgeLoss<T>(T[] w, T[] x, T lambda) where T : IFloatingPointIeee754<T>
            {
                T fit = T.Zero, norm = T.Zero;
                for (int i = 0; i < w.Length; i++)
                {
                    fit += w[i] * x[i];
                    norm += w[i] * w[i];
                }

                return (fit - T.One) * (fit - T.One) + lambda * lambda * norm;
            }

            // domain: -1..1
            [Differentiable]
            public static T SmoothL1BySign<T>(T[] r) where T : IFloatingPointIeee754<T>
            {
                T s = T.Zero;
                for (int i = 0; i < r.Length; i++)
                {
                    s += T.CreateChecked(T.Sign(r[i])) * r[i] * T.CreateChecked(0.9) + T.CreateChecked(0.05) * r[i] * r[i];
                }

                return s;
            }

            // domain: -2..2
            [Differentiable]
            public static T GeluSum<T>(T[] x) where T : IFloatingPointIeee754<T>
            {
                T c = T.Sqrt(T.CreateChecked(2) / T.Pi);
                T s = T.Zero;
                foreach (T v in x)
                {
                    s += T.CreateChecked(0.5) * v * (T.One + T.Tanh(c * (v + T.CreateChecked(0.044715) * v * v * v)));
                }

                return s;
            }

            // domain: 0.2..1
            [Differentiable]
            public static T KlDivergence<T>(T[] p, T[] q) where T : IFloatingPointIeee754<T>
            {
                T kl = T.Zero;
                for (int i = 0; i < p.Length; i++)
                {
                    kl += p[i] * (T.Log(p[i]) - T.Log(q[i]));
                }

                return kl;
            }

            // (The tolerance argument lets C# infer T here; a span-only helper called with arrays is covered by
            // Session23GenericCalleeTests since session 23b printed generic callees' type arguments.)
            // domain: 0.2..1
            [Differentiable]
            public static T CosineSimilarity<T>(T[] a, T[] b) where T : IFloatingPointIeee754<T> => Cosine(a, b, T.CreateChecked(1e-12));

            [Differentiable]
            private static T Cosine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T tolerance) where T : IFloatingPointIeee754<T>
            {
                T dot = T.Zero, xx = T.Zero, yy = T.Zero;
                for (int i = 0; i < x.Length; i++)
                {
                    dot += x[i] * y[i];
                    xx += x[i] * x[i];
                    yy += y[i] * y[i];
                }

                return dot / (T.Sqrt(xx) * T.Sqrt(yy) + tolerance);
            }

            // domain: -2..2
            [Differentiable]
            public static T MinMaxSpread<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                T lo = a[0], hi = a[0];
                for (int i = 1; i < a.Length; i++)
                {
                    lo = T.Min(lo, a[i]);
                    hi = T.Max(hi, a[i]);
                }

                return (hi - lo) * T.E;
            }

            // domain: -1..1
            [Differentiable]
            public static T LinearLayerLoss<T>(T[,] weights, T[] x) where T : IFloatingPointIeee754<T>
            {
                T loss = T.Zero;
                for (int i = 0; i < weights.GetLength(0); i++)
                {
                    T y = T.Zero;
                    for (int j = 0; j < weights.GetLength(1); j++)
                    {
                        y += weights[i, j] * x[j];
                    }

                    loss += T.Log(T.One + T.Exp(y));
                }

                return loss;
            }

            // User names like the generated ones; a float constant squared with the value (P16's power product).
            // domain: -1..1
            [Differentiable]
            public static T HostileNames<T>(T[] _col, T dx, T seed) where T : IFloatingPointIeee754<T>
            {
                T _result = T.Zero;
                T _tape = T.CreateChecked(1.68f);
                T _t0 = seed * dx;
                for (int i = 0; i < _col.Length; i++)
                {
                    _result += _tape * _col[i] * _col[i] * _t0;
                }

                return _result + T.Cbrt(T.One + _tape * dx * (_tape * dx));
            }

            // ---- outside the contract: one located diagnostic each ----

            // Two type parameters: the rate comes from a static abstract member of the user's interface.
            [Differentiable]
            public static T RefusedStaticAbstractRate<T, TDiscount>(T cash, T years) where T : IFloatingPointIeee754<T> where TDiscount : IDiscount<T> =>
                cash * T.Exp(-TDiscount.Rate(years) * years);

            // A span over a parameter array: local arrays and spans must be made by the method (aliasing).
            [Differentiable]
            public static T RefusedSpanAlias<T>(T[] a) where T : IFloatingPointIeee754<T>
            {
                ReadOnlySpan<T> s = a;
                return s[0] * s[1];
            }

            // A recursive local function in a generic method.
            [Differentiable]
            public static T RefusedRecursiveLocal<T>(T x) where T : IFloatingPointIeee754<T>
            {
                T Power(T b, int n) => n == 0 ? T.One : b * Power(b, n - 1);
                return Power(x, 3);
            }
        }
        """;

    /// <summary>
    /// The source with every generic method also written over double, as its user would: <c>Name&lt;T&gt;</c> →
    /// <c>NameD</c>, <c>T</c> → <c>double</c>, <c>T.CreateChecked(c)</c> → <c>(double)(c)</c>, <c>T.Zero/One/Pi/E</c> →
    /// <c>0.0/1.0/Math.PI/Math.E</c>, other <c>T.X</c> → <c>double.X</c>. The refused methods get no twin. Each
    /// checked method and twin also gets <c>NameBackwardOverArrays</c>, which passes array adjoints to the generated
    /// Backward's span parameters (reflection cannot pass a span).
    /// </summary>
    public static string WithTwins(string source)
    {
        var wrappers = new System.Text.StringBuilder();
        foreach (Match method in Regex.Matches(source, @"public static T (\w+)<T>\(([^)]*)\) (where T : [^\r\n=]+?)\s*(?:=>|\r?\n)"))
        {
            var name = method.Groups[1].Value;
            if (name.StartsWith("Refused", System.StringComparison.Ordinal))
            {
                continue;
            }

            var parameters = method.Groups[2].Value.Split(", ").Select(p => p.Split(' ')).Select(p => (Type: p[0], Name: p[1])).ToList();
            var adjoints = parameters.Select(p => (p.Type == "T" ? "ref T" : p.Type) + " d_" + p.Name);
            var passed = parameters.Select(p => p.Name).Concat(parameters.Select(p => (p.Type == "T" ? "ref " : string.Empty) + "d_" + p.Name));
            var signature = "(" + string.Join(", ", parameters.Select(p => p.Type + " " + p.Name).Concat(adjoints)) + ", T wrapperSeed)";
            var call = "(" + string.Join(", ", passed) + ", wrapperSeed);";
            wrappers.Append("    public static T " + name + "BackwardOverArrays<T>" + signature + " " + method.Groups[3].Value.Trim() + " => " + name + "Backward" + call + "\n");
            wrappers.Append("    public static double " + name + "DBackwardOverArrays" + signature.Replace("T", "double", System.StringComparison.Ordinal) + " => " + name + "DBackward" + call + "\n");
        }

        var twins = DoubleTwins(source);
        var close = twins.LastIndexOf('}');
        return twins[..close] + wrappers + twins[close..];
    }

    private static string DoubleTwins(string source)
    {
        var names = Regex.Matches(source, @"static T (\w+)<T>\(").Select(m => m.Groups[1].Value).Where(n => !n.StartsWith("Refused", System.StringComparison.Ordinal)).ToList();
        var start = source.LastIndexOf('\n', source.IndexOf("// ---- statistics ----", System.StringComparison.Ordinal)) + 1;
        var end = source.LastIndexOf('\n', source.IndexOf("// ---- outside the contract", System.StringComparison.Ordinal)) + 1;
        var twin = source[start..end];
        twin = Regex.Replace(twin, @" where T : [^\r\n{=]*?(?=\s*(=>|\r?\n))", string.Empty);
        foreach (var name in names)
        {
            twin = Regex.Replace(twin, @"\b" + name + @"(<T>)?\(", name + "D(");
        }

        twin = twin.Replace("T.CreateChecked(", "(double)(", System.StringComparison.Ordinal)
            .Replace("T.Zero", "0.0", System.StringComparison.Ordinal)
            .Replace("T.One", "1.0", System.StringComparison.Ordinal)
            .Replace("T.Pi", "Math.PI", System.StringComparison.Ordinal)
            .Replace("T.E,", "Math.E,", System.StringComparison.Ordinal)
            .Replace("T.E;", "Math.E;", System.StringComparison.Ordinal);
        twin = Regex.Replace(twin, @"\bT\.", "double.");
        twin = Regex.Replace(twin, @"\bT\b", "double");
        var close = source.LastIndexOf('}');
        return source[..close] + "\n    // ---- the double twins ----\n" + twin + source[close..];
    }

    /// <summary>The names of the generic methods checked against their twins (every public one not refused, helpers included).</summary>
    public static string[] Methods() =>
        Regex.Matches(Source, @"public static T (\w+)<T>\(").Select(m => m.Groups[1].Value).Where(n => !n.StartsWith("Refused", System.StringComparison.Ordinal)).ToArray();

    /// <summary>The domain comment above a method: every floating input drawn from [lo, hi].</summary>
    public static (double Low, double High) Domain(string name)
    {
        var match = Regex.Match(Source, @"// domain: ([-0-9.]+)\.\.([-0-9.]+)\s*\r?\n\s*\[Differentiable\]\s*\r?\n\s*public static T " + name + "<T>");
        return (double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
