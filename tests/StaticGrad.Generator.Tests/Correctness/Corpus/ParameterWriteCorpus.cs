namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Writes to parameters, [NoGrad] or not, in straight code, loops and branches: the rest of the body reads the value
/// written (issue 13; an active value written into a [NoGrad] parameter made the generator throw). The caller's
/// [NoGrad] argument still gets no adjoint, so finite differences of the plain function are the reference.
/// </summary>
internal static class ParameterWriteCorpus
{
    public const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class ParameterWrites
        {
            [Differentiable]
            public static double NoGradScalarWrite(double x, [NoGrad] double c)
            {
                c = c * x;
                return c * x + Math.Sin(c);
            }

            // domain: n=0..4
            [Differentiable]
            public static double NoGradWriteInLoop(double x, [NoGrad] double c, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    c = 0.5 * c + Math.Sin(x * c);
                }

                return c * x;
            }

            [Differentiable]
            public static double NoGradWriteInBranch(double x, double y, [NoGrad] double c)
            {
                if (x > y)
                {
                    c *= y;
                }
                else
                {
                    c += x;
                }

                return c * c + x;
            }

            // The write is inactive: c stays a constant, only the later reads see its new value.
            [Differentiable]
            public static double NoGradInactiveWrite(double x, [NoGrad] double c)
            {
                c = c * 2 + 1;
                c++;
                return x * c;
            }

            // domain: n=0..4
            [Differentiable]
            public static double DifferentiableWriteInLoop(double x, double y, int n)
            {
                int k = 0;
                while (k < n)
                {
                    x = Math.Tanh(x) * 1.5 + y;
                    k++;
                }

                y -= x;
                return x * y;
            }

            [Differentiable]
            public static float NoGradFloatIncrement(float x, [NoGrad] float c)
            {
                c--;
                c *= x;
                return c + x * c;
            }

            // domain: n=1..4
            [Differentiable]
            public static double NoGradWrittenThenStored(double x, [NoGrad] double c, int n)
            {
                var t = new double[3];
                for (int i = 0; i < n; i++)
                {
                    c = c * 0.5 + x;
                    t[i % 3] = c * c;
                }

                return t[0] + t[1] * x + c;
            }

            // A parameter written only in an early-returning branch, and read after it.
            [Differentiable]
            public static double NoGradWriteBeforeEarlyReturn(double x, [NoGrad] double c)
            {
                if (c > 0)
                {
                    c = Math.Exp(x) * c;
                    if (x > 0.5)
                    {
                        return c;
                    }
                }

                return c * x;
            }

            // Elements of a parameter array written in a loop: the later reads see the new values; the adjoint of
            // a[j] is the derivative with respect to the value passed (the generated code works on a copy).
            // domain: a[4]=-1..1 n=0..5
            [Differentiable]
            public static double ArrayElementWriteInLoop(double x, double[] a, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    a[i % a.Length] = a[(i + 1) % a.Length] * Math.Sin(x) + a[i % a.Length];
                }

                double s = 0;
                foreach (var v in a)
                {
                    s += v * v;
                }

                return s + a[0] * x;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static double SpanElementWriteInBranch(double x, Span<double> a)
            {
                if (a[0] > x)
                {
                    a[1] *= x;
                }
                else
                {
                    a[2] += Math.Exp(a[0]);
                }

                return a[1] * a[2] + a[0];
            }

            // An active value written into a [NoGrad] array: the copy becomes active, the caller's array gets no adjoint.
            // domain: a[3]=-1..1
            [Differentiable]
            public static double NoGradArrayElementWrite(double x, [NoGrad] double[] a)
            {
                a[0] = a[1] * x;
                a[2]--;
                return a[0] * a[0] + a[2] * x;
            }

            // domain: a[3]=-1..1
            [Differentiable]
            public static float FloatArrayElementWrite(float x, float[] a)
            {
                a[1] = MathF.Tanh(a[0] * x);
                return a[1] * a[2] + x;
            }
        }
        """;
}
