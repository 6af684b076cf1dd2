namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>Single precision: float parameters and results, MathF, float arrays and spans, float/double casts.</summary>
internal static class FloatCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Floats
        {
            private const float Half = 0.5f;

            [Differentiable]
            public static float RosenbrockF(float x, float y) => (1 - x) * (1 - x) + 100f * (y - x * x) * (y - x * x);

            // domain: x=0.5..2 y=-1..1
            [Differentiable]
            public static float MathFFunctions(float x, float y) =>
                MathF.Sin(x) * MathF.Cos(y) + MathF.Exp(y) * MathF.Log(x) + MathF.Sqrt(x) + MathF.Tanh(x * y) + MathF.Pow(x, y) + MathF.Atan2(y, x);

            // domain: x=-1..1 y=-1..1 n=1..6
            [Differentiable]
            public static float LoopOverwritesF(float x, float y, int n)
            {
                float v = x;
                for (int i = 0; i < n; i++)
                {
                    v = MathF.Sin(v) * y + v * Half;
                    if (v > 2f)
                        break;
                }

                return v;
            }

            // domain: a[4]=-1..1 b[4]=-1..1
            [Differentiable]
            public static float DotF(float[] a, ReadOnlySpan<float> b)
            {
                float s = 0;
                for (int i = 0; i < a.Length; i++)
                    s += a[i] * b[i];
                return s;
            }

            [Differentiable]
            public static float CastsThroughDouble(float x, float y) => (float)Math.Sin(x) * y + (float)(x * (double)y);

            [Differentiable]
            public static float ConditionalF(float x, float y) => x > y ? x * y : x - y * y;

            // domain: a[4]=-1..1
            [Differentiable]
            public static float LocalArrayAndStackallocF(float[] a, float s)
            {
                var t = new float[a.Length];
                Span<float> u = stackalloc float[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    t[i] = a[i] * s;
                    u[i] = MathF.Exp(t[i]);
                }

                float r = 0;
                for (int i = 0; i < a.Length; i++)
                    r += u[i] * t[i];
                return r;
            }

            [Differentiable]
            public static float DetachF(float x, float y) => x * Autograd.Detach(y) + y;

            public static float DetachF_FdReference(float x, float y, float x0, float y0) => x * y0 + y;

            [Differentiable]
            public static float CallsFloatHelper(float x) => SquareF(x) * x;

            [Differentiable]
            public static float SquareF(float x) => x * x;
        }
        """;
}
