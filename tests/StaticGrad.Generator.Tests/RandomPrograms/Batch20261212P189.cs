namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Batch 20261212 P189 as the 100 000-program run of session 7 drew it (program seed −1041083385), with the
/// finite-difference reference the harness wrote then: <c>Max(u1_0, u1)</c> for H3's <c>Max(Detach(u1), u1)</c>.
/// <see cref="NestedTieTests"/> checks it with that reference and with <see cref="TieReference"/>'s.
/// </summary>
internal static class Batch20261212P189
{
    public const int ProgramSeed = -1041083385;

    public const string Source = """
        // domain: n=1..4
        [Differentiable]
        public static double P189(double x0, double x1, int n)
        {
            double v0 = (1.0 / (2.0 + Math.Cos(((double)n))));
            Span<double> s = stackalloc double[3];
            var w = new double[3];
            w[0] = 0.06;
            w[1] = -0.4;
            w[2] = -0.98;
            v0 /= 2.0 + Math.Sin((((x1 + s[2]) is < -1.31 or > 0.7 ? x1 : (1.0 / (2.0 + Math.Cos(x1)))) + Math.Pow(1.5 + Math.Sin((-(v0))), 3)));
            if (n % 2 == 0)
            {
                int k0 = 0;
                while (k0 < s.Length)
                {
                    k0++;
                    double rf1(double rv2, int rk3) => rk3 <= 0 ? rv2 : rf1(0.5 * rv2 + 0.5 * Math.Sin(x0), rk3 - 1);
                    v0 = Math.Tanh(v0 * 0.5 + rf1((w[(k0 * 2) % 3] + w[k0 % 3]), 2));
                    s[(k0 + 1) % 3] = Math.Sin(Math.Tan(0.5 * Math.Sin(-1.56)));
                    using (Autograd.NoGrad())
                    {
                        v0 = Math.Tanh(Math.FusedMultiplyAdd(x1, x1, -1.39));
                    }
                }
                for (int i7 = 0; i7 < 2; i7++)
                {
                    if (x0 < x0) return (n is 1 or > 2 ? ((Math.Ceiling(x1) + x0) is < -1.12 or > 0.54 ? x1 : v0) : (-(1.85)));
                    v0 += 0.25 * Math.Sin((n is 1 or > 2 ? (Helpers.H3(v0, x1) - (x1 * s[3 - 1 - i7 % 3])) : (Helpers.H5(((double)i7), x1) > Math.Pow(Math.Abs(x0) + 1.0, Math.Sin(v0)) ? x1 : Helpers.H5(x1, w[3 - 1 - i7 % 3]))));
                }
            }
            return (Helpers.H3(x0, v0) + 0.5 * v0);
        }

        public static double P189_FdReference(double x0, double x1, int n, double x0_0, double x1_0, int n_0)
        {
            double v0 = (1.0 / (2.0 + Math.Cos(((double)n))));
            double v0_0 = (1.0 / (2.0 + Math.Cos(((double)n))));
            Span<double> s = stackalloc double[3];
            Span<double> s_0 = stackalloc double[3];
            var w = new double[3];
            var w_0 = new double[3];
            w[0] = 0.06;
            w_0[0] = 0.06;
            w[1] = -0.4;
            w_0[1] = -0.4;
            w[2] = -0.98;
            w_0[2] = -0.98;
            var shadow_0 = 2.0 + Math.Sin((((x1 + s[2]) is < -1.31 or > 0.7 ? x1_0 : (1.0 / (2.0 + Math.Cos(x1_0)))) + Math.Pow(1.5 + Math.Sin((-(v0_0))), 3)));
            v0 /= 2.0 + Math.Sin((((x1 + s[2]) is < -1.31 or > 0.7 ? x1 : (1.0 / (2.0 + Math.Cos(x1)))) + Math.Pow(1.5 + Math.Sin((-(v0))), 3)));
            v0_0 /= shadow_0;
            if (n % 2 == 0)
            {
                int k0 = 0;
                while (k0 < s.Length)
                {
                    k0++;
                    (double, double) rf1(double rv2, double rv2_0, int rk3) => rk3 <= 0 ? (rv2, rv2_0) : rf1(0.5 * rv2 + 0.5 * Math.Sin(x0), 0.5 * rv2_0 + 0.5 * Math.Sin(x0_0), rk3 - 1);
                    var shadow_1 = Math.Tanh(v0_0 * 0.5 + rf1((w[(k0 * 2) % 3] + w[k0 % 3]), (w_0[(k0 * 2) % 3] + w_0[k0 % 3]), 2).Item2);
                    v0 = Math.Tanh(v0 * 0.5 + rf1((w[(k0 * 2) % 3] + w[k0 % 3]), (w_0[(k0 * 2) % 3] + w_0[k0 % 3]), 2).Item1);
                    v0_0 = shadow_1;
                    var shadow_2 = Math.Sin(Math.Tan(0.5 * Math.Sin(-1.56)));
                    s[(k0 + 1) % 3] = Math.Sin(Math.Tan(0.5 * Math.Sin(-1.56)));
                    s_0[(k0 + 1) % 3] = shadow_2;
                    var shadow_3 = Math.Tanh(Math.FusedMultiplyAdd(x1_0, x1_0, -1.39));
                    v0 = shadow_3;
                    v0_0 = shadow_3;
                }
                for (int i7 = 0; i7 < 2; i7++)
                {
                    if (x0 < x0) return (n is 1 or > 2 ? ((Math.Ceiling(x1) + x0) is < -1.12 or > 0.54 ? x1 : v0) : (-(1.85)));
                    var shadow_4 = 0.25 * Math.Sin((n is 1 or > 2 ? (Helpers.H3(v0_0, x1_0) - (x1_0 * s_0[3 - 1 - i7 % 3])) : (Helpers.H5(((double)i7), x1) > Math.Pow(Math.Abs(x0) + 1.0, Math.Sin(v0)) ? x1_0 : Helpers.H5(x1_0, w_0[3 - 1 - i7 % 3]))));
                    v0 += 0.25 * Math.Sin((n is 1 or > 2 ? (Helpers.H3_FdReference(v0, x1, v0_0, x1_0) - (x1 * s[3 - 1 - i7 % 3])) : (Helpers.H5(((double)i7), x1) > Math.Pow(Math.Abs(x0) + 1.0, Math.Sin(v0)) ? x1 : Helpers.H5(x1, w[3 - 1 - i7 % 3]))));
                    v0_0 += shadow_4;
                }
            }
            return (Helpers.H3_FdReference(x0, v0, x0_0, v0_0) + 0.5 * v0);
        }

        // helper

        [Differentiable]
        public static double H3(double u0, double u1)
        {
            double v0 = Math.Max(Autograd.Detach(u1), u1);
            if (v0 > (v0 * u0)) return (Math.Cbrt(1.0 + (u0) * (u0)) * Math.FusedMultiplyAdd(v0, u0, v0));
            return (((v0 * v0) + Math.Cosh(Math.Cos(u0))) + 0.5 * v0);
        }

        public static double H3_FdReference(double u0, double u1, double u0_0, double u1_0)
        {
            double v0 = Math.Max(u1_0, u1);
            double v0_0 = Math.Max(u1_0, u1_0);
            if (v0 > (v0 * u0)) return (Math.Cbrt(1.0 + (u0) * (u0)) * Math.FusedMultiplyAdd(v0, u0, v0));
            return (((v0 * v0) + Math.Cosh(Math.Cos(u0))) + 0.5 * v0);
        }

        // helper

        [Differentiable]
        public static double H5(double u0, double u1)
        {
            double v0 = Math.Sin((u0 * u0));
            double v1 = Math.Acos(0.5 * Math.Tanh(u0));
            int k0 = 0;
            while (k0 < 3)
            {
                k0++;
                int k1 = 0;
                while (k1 < 3)
                {
                    k1++;
                    if (((double)k1) < 0.51) break;
                }
            }
            return (((Math.Floor((u1 * v0)) + (v1 + u0)) + 0.5 * v0) + 0.5 * v1);
        }
        """;
}
