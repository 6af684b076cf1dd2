namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, continuum mechanics and economics: Neo-Hookean and St. Venant–Kirchhoff strain
/// energies of a 2×2 and a 3×3 deformation gradient in <c>double[,]</c> with determinant and trace helpers as local
/// functions (static and capturing), a <c>readonly record struct</c> 2×2 tensor with operators, von Mises stress, a
/// Mooney–Rivlin energy that throws on an inverted element; CES and Cobb–Douglas utilities with guards, an
/// Almost-Ideal demand share, a Stone–Geary utility with <c>is not</c>, a quasi-hyperbolic discounted sum, and an
/// amortisation loop in <c>decimal</c> (decimal is not differentiable: refused, with the <c>double</c> rewrite next to
/// it). Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string ContinuumSource = """
        // requires C# 10
        using System;
        using StaticGrad;

        namespace Corpus;

        public readonly record struct S25Tensor2(double A, double B, double C, double D)
        {
            public double Determinant => A * D - B * C;
            public double Trace => A + D;
            public S25Tensor2 Transpose() => new(A, C, B, D);
            public static S25Tensor2 operator *(S25Tensor2 l, S25Tensor2 r) =>
                new(l.A * r.A + l.B * r.C, l.A * r.B + l.B * r.D, l.C * r.A + l.D * r.C, l.C * r.B + l.D * r.D);
            public static S25Tensor2 operator -(S25Tensor2 l, S25Tensor2 r) => new(l.A - r.A, l.B - r.B, l.C - r.C, l.D - r.D);
            public static S25Tensor2 Identity => new(1, 0, 0, 1);
            public double FrobeniusSquared() => A * A + B * B + C * C + D * D;
        }

        public static partial class S25Continuum
        {
            // domain: f[2x2]=-0.2..0.2 mu=0.5..2 lambda=1..5
            // near: f=0 lambda=1
            // edge: f=0 f[0]=-0.95 f[3]=3 mu=1e3 lambda=1e-3
            // throws: f=0 f[0]=-1 f[3]=-1
            [Differentiable]
            public static double NeoHookean2D(double[,] f, double mu, double lambda)
            {
                // The deformation gradient is identity plus the displacement gradient f.
                var f00 = 1 + f[0, 0];
                var f11 = 1 + f[1, 1];
                var det = f00 * f11 - f[0, 1] * f[1, 0];
                if (det <= 0) throw new InvalidOperationException("The element is inverted.");
                var i1 = f00 * f00 + f[0, 1] * f[0, 1] + f[1, 0] * f[1, 0] + f11 * f11;
                var logJ = Math.Log(det);
                return 0.5 * mu * (i1 - 2) - mu * logJ + 0.5 * lambda * logJ * logJ;
            }

            // domain: grad[3x3]=-0.1..0.1 youngs=1..10 poisson=0.1..0.45
            // near: grad=0 poisson=0.4999
            // edge: grad=0.3 youngs=1e6 poisson=0.001
            // throws: poisson=0.5
            [Differentiable]
            public static double StVenantKirchhoff3D(double[,] grad, double youngs, double poisson)
            {
                if (poisson is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(poisson), "Poisson's ratio must lie in [0, 0.5).");
                var mu = youngs / (2 * (1 + poisson));
                var lambda = youngs * poisson / ((1 + poisson) * (1 - 2 * poisson));
                var strain = new double[3, 3];
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        // E = (FᵀF − I)/2 with F = I + grad.
                        var sum = 0.0;
                        for (var k = 0; k < 3; k++)
                        {
                            var fki = (k == i ? 1.0 : 0.0) + grad[k, i];
                            var fkj = (k == j ? 1.0 : 0.0) + grad[k, j];
                            sum += fki * fkj;
                        }
                        strain[i, j] = 0.5 * (sum - (i == j ? 1.0 : 0.0));
                    }
                }
                static double Trace(double[,] m) => m[0, 0] + m[1, 1] + m[2, 2];
                var tr = Trace(strain);
                var contraction = 0.0;
                foreach (var e in strain) contraction += e * e;
                return mu * contraction + 0.5 * lambda * tr * tr;
            }

            // domain: a=0.9..1.1 b=-0.1..0.1 c=-0.1..0.1 d=0.9..1.1 mu=1..2
            // near: a=1 b=0 c=0 d=1.0001
            // edge: a=10 b=0 c=0 d=0.1 mu=1e-3
            [Differentiable]
            public static double GreenStrainEnergy(double a, double b, double c, double d, double mu)
            {
                var deformation = new S25Tensor2(a, b, c, d);
                var cauchyGreen = deformation.Transpose() * deformation;
                var green = cauchyGreen - S25Tensor2.Identity;
                return 0.25 * mu * green.FrobeniusSquared() + 0.1 * cauchyGreen.Trace;
            }

            // domain: sxx=-100..100 syy=-100..100 szz=-100..100 sxy=-50..50 syz=-50..50 szx=-50..50
            // near: sxx=1 syy=1 szz=1 sxy=0.001 syz=0 szx=0
            // edge: sxx=1e6 syy=-1e6 szz=0 sxy=0 syz=0 szx=0
            [Differentiable]
            public static double VonMisesStress(double sxx, double syy, double szz, double sxy, double syz, double szx)
            {
                var deviatoric = 0.5 * ((sxx - syy) * (sxx - syy) + (syy - szz) * (syy - szz) + (szz - sxx) * (szz - sxx));
                var shear = 3 * (sxy * sxy + syz * syz + szx * szx);
                return Math.Sqrt(deviatoric + shear + 1e-12);
            }

            // domain: f[2x2]=-0.2..0.2 c10=0.5..1 c01=0.1..0.5 bulk=10..100
            // near: f=0.0001
            // edge: f=0 f[0]=2 c10=1e-3 c01=1e3 bulk=1
            // throws: f=0 f[0]=-2
            [Differentiable]
            public static double MooneyRivlinPlaneStrain(double[,] f, double c10, double c01, double bulk)
            {
                double Determinant() => (1 + f[0, 0]) * (1 + f[1, 1]) - f[0, 1] * f[1, 0];
                var j = Determinant();
                if (j <= 0) throw new ArgumentException("Inverted element: det F <= 0.", nameof(f));
                var c11 = (1 + f[0, 0]) * (1 + f[0, 0]) + f[1, 0] * f[1, 0];
                var c22 = f[0, 1] * f[0, 1] + (1 + f[1, 1]) * (1 + f[1, 1]);
                var c12 = (1 + f[0, 0]) * f[0, 1] + f[1, 0] * (1 + f[1, 1]);
                // Plane strain: C33 = 1.
                var i1 = c11 + c22 + 1;
                var i2 = c11 * c22 - c12 * c12 + c11 + c22;
                var jm23 = Math.Pow(j, -2.0 / 3.0);
                var i1Bar = jm23 * i1;
                var i2Bar = jm23 * jm23 * i2;
                return c10 * (i1Bar - 3) + c01 * (i2Bar - 3) + 0.5 * bulk * (j - 1) * (j - 1);
            }

            // domain: stretch=0.5..2 mu=0.5..2 alpha=1..8
            // near: stretch=1
            // edge: stretch=10 mu=1 alpha=-2
            // throws: stretch=-1
            [Differentiable]
            public static double OgdenUniaxial(double stretch, double mu, double alpha)
            {
                if (!(stretch > 0)) throw new ArgumentOutOfRangeException(nameof(stretch), stretch, "A stretch must be positive.");
                // Incompressible uniaxial: λ1 = λ, λ2 = λ3 = λ^(-1/2).
                var lateral = 1 / Math.Sqrt(stretch);
                return 2 * mu / (alpha * alpha) * (Math.Pow(stretch, alpha) + 2 * Math.Pow(lateral, alpha) - 3);
            }

            // domain: strains[6]=-0.01..0.01 youngs=100..200 yield=0.5..1
            // near: strains=0.005 yield=0.75
            // edge: strains=0 youngs=1e5 yield=1e-6
            [Differentiable]
            public static double ElastoPlasticWork(double[] strains, double youngs, double yield)
            {
                ref readonly var first = ref strains[0];
                var work = 0.5 * youngs * first * first;
                for (var i = 1; i < strains.Length; i++)
                {
                    var trial = youngs * strains[i];
                    var stress = trial switch
                    {
                        var s when s > yield => yield + 0.05 * (s - yield),
                        var s when s < -yield => -yield + 0.05 * (s + yield),
                        var s => s,
                    };
                    work += stress * (strains[i] - strains[i - 1]);
                }
                return work;
            }
        }
        """;

    public const string EconomicsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Economics
        {
            private static readonly double[] Prices = { 1.2, 0.8, 2.5 };
            private static readonly double[] Alphas = { 0.2, 0.3, 0.5 };
            private static readonly double[,] Gammas = { { 0.05, -0.02, -0.03 }, { -0.02, 0.04, -0.02 }, { -0.03, -0.02, 0.05 } };

            // domain: x=0.5..5 y=0.5..5 share=0.2..0.8 rho=-2..0.8
            // near: rho=0.001
            // edge: x=0.01 y=1e6 share=0.5 rho=0.5
            // throws: x=-1
            [Differentiable]
            public static double CesUtility(double x, double y, double share, double rho)
            {
                if (x < 0 || y < 0) throw new ArgumentOutOfRangeException(nameof(x), "Quantities cannot be negative.");
                // ρ → 0 is Cobb–Douglas; the CES formula is 0/0 there.
                if (Math.Abs(rho) < 1e-8) return Math.Pow(x, share) * Math.Pow(y, 1 - share);
                return Math.Pow(share * Math.Pow(x, rho) + (1 - share) * Math.Pow(y, rho), 1 / rho);
            }

            // domain: quantities[3]=0.5..5
            // near: quantities=1
            // edge: quantities=1e-3
            [Differentiable]
            public static double CobbDouglasLog(params double[] quantities)
            {
                var utility = 0.0;
                for (var i = 0; i < quantities.Length; i++)
                {
                    utility += Alphas[i % Alphas.Length] * Math.Log(Math.Max(quantities[i], 1e-12));
                }
                return utility;
            }

            // domain: logExpenditure=2..5 logPrice0=-0.5..0.5 beta=-0.1..0.1
            // near: beta=0
            // edge: logExpenditure=20 logPrice0=-10 beta=1
            [Differentiable]
            public static double AidsFoodShare(double logExpenditure, double logPrice0, double beta)
            {
                // Almost-Ideal demand: w_i = α_i + Σ_j γ_ij ln p_j + β_i ln(x / P), with a Stone price index.
                Span<double> logPrices = stackalloc double[3];
                logPrices[0] = logPrice0;
                logPrices[1] = Math.Log(Prices[1]);
                logPrices[2] = Math.Log(Prices[2]);
                var stoneIndex = 0.0;
                for (var j = 0; j < 3; j++) stoneIndex += Alphas[j] * logPrices[j];
                var share = Alphas[0];
                for (var j = 0; j < 3; j++) share += Gammas[0, j] * logPrices[j];
                share += beta * (logExpenditure - stoneIndex);
                return Math.Clamp(share, 0.0, 1.0);
            }

            // domain: x=2..5 y=2..5 gammaX=0.5..1.5 gammaY=0.5..1.5 a=0.2..0.8
            // near: x=1.51 gammaX=1.5
            // edge: x=1e6 y=1e6 gammaX=0 gammaY=0 a=0.5
            // throws: x=0.5 gammaX=1
            [Differentiable]
            public static double StoneGearyUtility(double x, double y, double gammaX, double gammaY, double a)
            {
                var surplusX = x - gammaX;
                var surplusY = y - gammaY;
                if (surplusX is not > 0 || surplusY is not > 0)
                    throw new ArgumentException("Consumption must exceed subsistence.");
                return a * Math.Log(surplusX) + (1 - a) * Math.Log(surplusY);
            }

            // domain: consumption[6]=0.5..2 beta=0.6..1 delta=0.9..0.99
            // near: beta=1
            // edge: consumption=1e-6 beta=0.01 delta=0.01
            [Differentiable]
            public static double QuasiHyperbolicValue(double[] consumption, double beta, double delta)
            {
                var value = Math.Log(consumption[0]);
                var discount = beta;
                for (var t = 1; t < consumption.Length; t++)
                {
                    discount *= delta;
                    value += discount * Math.Log(consumption[t]);
                }
                return value;
            }

            // domain: principal=1000..10000 annualRate=0.01..0.1 years=1..10
            // near: annualRate=0.0001
            // edge: principal=1 annualRate=0.5 years=30
            [Differentiable]
            public static double TotalInterestDecimal(double principal, double annualRate, int years)
            {
                // Banking code keeps money in decimal.
                var balance = (decimal)principal;
                var monthly = (decimal)annualRate / 12m;
                var payments = years * 12;
                var payment = balance * monthly / (1m - 1m / (decimal)Math.Pow(1 + (double)monthly, payments));
                var interest = 0m;
                for (var k = 0; k < payments; k++)
                {
                    var due = balance * monthly;
                    interest += due;
                    balance -= payment - due;
                }
                return (double)interest;
            }

            // domain: principal=1000..10000 annualRate=0.01..0.1 years=1..10
            // near: annualRate=0.0001
            // edge: principal=1 annualRate=0.25 years=30
            // throws: annualRate=0
            [Differentiable]
            public static double TotalInterest(double principal, double annualRate, int years)
            {
                // TotalInterestDecimal's rewrite: the loop in double (round to cents when the result is shown).
                if (annualRate <= 0) throw new ArgumentOutOfRangeException(nameof(annualRate), "Use a straight-line schedule for a zero rate.");
                var balance = principal;
                var monthly = annualRate / 12;
                var payments = years * 12;
                var payment = balance * monthly / (1 - Math.Pow(1 + monthly, -payments));
                var interest = 0.0;
                for (var k = 0; k < payments; k++)
                {
                    var due = balance * monthly;
                    interest += due;
                    balance -= payment - due;
                }
                return interest;
            }

            // domain: price=1..3 cost=0.2..0.8 elasticity=1.5..4
            // near: price=0.81 cost=0.8
            // edge: price=100 cost=0 elasticity=1.0001
            [Differentiable]
            public static double MonopolyProfit(double price, double cost, double elasticity)
            {
                var demand = 100 * Math.Pow(price, -elasticity);
                var margin = price - cost;
                return margin > 0 ? margin * demand : 0.0;
            }
        }
        """;
}
