namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The two float failures of session 7's 100 000 programs, as the generator drew them (with the helpers they call):
/// batch 20261173 P38 and batch 20261479 P152, both finite-difference artefacts of float rounding
/// (<see cref="DoubleTwinTests"/>).
/// </summary>
internal static class FloatArtefactPrograms
{
    public const string P38 = """
        // domain: a[5]=-1..1 m[4x3]=-1..1 n=1..4
        [Differentiable]
        public static float P38(float dShadow_1, [NoGrad] float c, int n, Span<float> a, float[,] m)
        {
            float v0 = dShadow_1;
            float _value = v0;
            int _array = 0;
            do
            {
                _array++;
                int dSeed = 0;
                do
                {
                    dSeed++;
                    if ((-(m[dSeed % m.GetLength(0), 1])) < 0.19f) break;
                    if ((1.12f * v0) >= MathF.Exp(MathF.Sin(m[dSeed % m.GetLength(0), (dSeed + 1) % m.GetLength(1)]))) break;
                }
                while (dSeed < a.Length);
                for (int @do = 0; @do < 3; @do++)
                {
                    v0 += 0.25f * MathF.Sin((MathF.Round((dShadow_1 * v0)) + MathF.Acos(0.5f * MathF.Tanh(c))));
                    float lf3(float u4)
                    {
                        float dShadow_2 = u4 * 0.5f;
                        if (dShadow_2 > 0.2f) dShadow_2 = MathF.Sin(dShadow_2);
                        return 0.25f * MathF.Tanh(dShadow_2 * u4);
                    }
                    v0 += lf3((v0 * m[0, 0]));
                    switch (n)
                    {
                        case 1:
                            float rf5(float rv6, int dV0) => dV0 <= 0 ? rv6 : rf5(0.5f * rv6 + 0.5f * MathF.Sin((dShadow_1 - dShadow_1)), dV0 - 1);
                            _value = MathF.Tanh(_value * 0.5f + rf5((a[5 - 1 - _array % 5] - 0.42f), n));
                            break;
                        case 2:
                            _value += 0.25f * MathF.Sin(Autograd.Detach(-1.84f));
                            _value /= 2.0f + MathF.Sin(((1.0f / (2.0f + MathF.Cos(0.67f))) * MathF.Pow(dShadow_1, 2)));
                            break;
                        default:
                            break;
                    }
                }
            }
            while (_array < 4);
            return (_value + 0.5f * _value);
        }

        public static float P38_FdReference(float dShadow_1, float c, int n, Span<float> a, float[,] m, float dShadow_1_0, float c_0, int n_0, Span<float> a_0, float[,] m_0)
        {
            float v0 = dShadow_1;
            float v0_0 = dShadow_1_0;
            float _value = v0;
            float _value_0 = v0_0;
            int _array = 0;
            do
            {
                _array++;
                int dSeed = 0;
                do
                {
                    dSeed++;
                    if ((-(m[dSeed % m.GetLength(0), 1])) < 0.19f) break;
                    if ((1.12f * v0) >= MathF.Exp(MathF.Sin(m[dSeed % m.GetLength(0), (dSeed + 1) % m.GetLength(1)]))) break;
                }
                while (dSeed < a.Length);
                for (int @do = 0; @do < 3; @do++)
                {
                    var shadow_0 = 0.25f * MathF.Sin((MathF.Round((dShadow_1_0 * v0_0)) + MathF.Acos(0.5f * MathF.Tanh(c_0))));
                    v0 += 0.25f * MathF.Sin((MathF.Round((dShadow_1 * v0)) + MathF.Acos(0.5f * MathF.Tanh(c))));
                    v0_0 += shadow_0;
                    float lf3(float u4)
                    {
                        float dShadow_2 = u4 * 0.5f;
                        if (dShadow_2 > 0.2f) dShadow_2 = MathF.Sin(dShadow_2);
                        return 0.25f * MathF.Tanh(dShadow_2 * u4);
                    }
                    var shadow_1 = lf3((v0_0 * m_0[0, 0]));
                    v0 += lf3((v0 * m[0, 0]));
                    v0_0 += shadow_1;
                    switch (n)
                    {
                        case 1:
                            (float, float) rf5(float rv6, float rv6_0, int dV0) => dV0 <= 0 ? (rv6, rv6_0) : rf5(0.5f * rv6 + 0.5f * MathF.Sin((dShadow_1 - dShadow_1)), 0.5f * rv6_0 + 0.5f * MathF.Sin((dShadow_1_0 - dShadow_1_0)), dV0 - 1);
                            var dDShadow_2 = MathF.Tanh(_value_0 * 0.5f + rf5((a[5 - 1 - _array % 5] - 0.42f), (a_0[5 - 1 - _array % 5] - 0.42f), n).Item2);
                            _value = MathF.Tanh(_value * 0.5f + rf5((a[5 - 1 - _array % 5] - 0.42f), (a_0[5 - 1 - _array % 5] - 0.42f), n).Item1);
                            _value_0 = dDShadow_2;
                            break;
                        case 2:
                            var _y0 = 0.25f * MathF.Sin(-1.84f);
                            _value += 0.25f * MathF.Sin(-1.84f);
                            _value_0 += _y0;
                            var _v1 = 2.0f + MathF.Sin(((1.0f / (2.0f + MathF.Cos(0.67f))) * MathF.Pow(dShadow_1_0, 2)));
                            _value /= 2.0f + MathF.Sin(((1.0f / (2.0f + MathF.Cos(0.67f))) * MathF.Pow(dShadow_1, 2)));
                            _value_0 /= _v1;
                            break;
                        default:
                            break;
                    }
                }
            }
            while (_array < 4);
            return (_value + 0.5f * _value);
        }
        """;

    public const string P152 = """
        // domain: a[4]=-1..1 n=1..4
        [Differentiable]
        public static float P152(float dP9, float _g, float x2, int n, float[] a)
        {
            var g = new float[3, 2];
            for (int _z6 = 0; _z6 < g.GetLength(0); _z6++)
            {
                for (int _n0 = 0; _n0 < g.GetLength(1); _n0++)
                {
                    g[_z6, _n0] = MathF.Sin((a[_z6 % 4] + _g) + 0.5f * ((float)_z6 - (float)_n0));
                }
            }
            float dDP9 = a[0];
            float _break = g[1, 1];
            for (int _t0 = 0; _t0 < 4; _t0++)
            {
                for (int r3 = 0; r3 < g.GetLength(0); r3++)
                {
                    for (int dX2 = 0; dX2 < g.GetLength(1); dX2++)
                    {
                        x2 += 0.25f * MathF.Sin(g[r3, dX2] * g[1, 1]);
                    }
                }
                foreach (var e5 in a)
                {
                    dDP9 = 0.5f * dDP9 + 0.5f * MathF.Sin(dP9);
                    --x2;
                }
            }
            if ((n is 1 or > 2 ? _break : a[2]) < MathF.Sinh(MathF.Sin(-1.74f))) return Math.Clamp((n > 1 ? dDP9 : 0.53f), -1.0f, 1.0f);
            float r7 = MathF.Log(1.0f + (_break) * (_break));
            for (int _dv4 = 0; _dv4 < 4; _dv4++)
            {
                float _bound = (-((g[_dv4 % g.GetLength(0), (_dv4 + 1) % g.GetLength(1)] switch { > 0.33f => g[2, 1], < -0.96f and > -1.96f => dDP9, var z10 when z10 > 0.0f => a[(_dv4 * 2) % 4], _ => dP9 })));
                _bound = _bound * MathF.Cos(MathF.Pow(1.5f + MathF.Sin(x2), 3));
                r7 += _bound * ((float)n);
            }
            return ((((MathF.Round(((1.0f / (2.0f + MathF.Cos(g[0, 1]))) is > -1.02f and < 0.97f ? g[2, 1] : x2)) + _break) + r7 * 0.75f) + 0.5f * x2) + 0.5f * dDP9);
        }
        """;
}
