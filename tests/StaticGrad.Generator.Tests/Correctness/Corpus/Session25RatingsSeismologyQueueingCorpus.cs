namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// Session 25's domain corpus, sports ratings, seismology and queueing: Elo's expected score and sequential updates
/// with <c>Math.Pow(10, …)</c> over a <c>(int Winner, int Loser)[]</c> match list, Bradley–Terry's log-likelihood,
/// Glicko's rating deviation factor, the Pythagorean expectation, a margin-of-victory multiplier by a <c>switch</c>
/// with <c>or</c>; vertical and ray-parameter travel times through layered media (a turning ray <c>break</c>s), a
/// head wave with <c>Math.Min</c>, a hypocentre misfit over a station table, Gutenberg–Richter's likelihood; Erlang C
/// with a loop factorial and a stability guard that throws, Erlang B's recursion, M/M/1 and Kingman's G/G/1, a
/// tandem line by Little's law over <c>params</c>. Test points as in <see cref="Session23DomainCorpus.RoboticsSource"/>.
/// </summary>
internal static partial class Session25DomainCorpus
{
    public const string RatingsSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Ratings
        {
            private static readonly (int Winner, int Loser)[] Results = { (0, 1), (2, 0), (1, 3), (0, 3), (2, 1), (3, 2), (0, 2) };

            // domain: ratingA=1200..2000 ratingB=1200..2000
            // near: ratingA=1500 ratingB=1500
            // edge: ratingA=3000 ratingB=100
            [Differentiable]
            public static double EloExpectedScore(double ratingA, double ratingB) => 1 / (1 + Math.Pow(10, (ratingB - ratingA) / 400));

            // domain: ratings[4]=1300..1700 kFactor=16..32
            // near: ratings=1500
            // edge: ratings=0 ratings[3]=3000 kFactor=1e3
            [Differentiable]
            public static double EloAfterSeason(double[] ratings, double kFactor = 24)
            {
                var current = (double[])ratings.Clone();
                foreach (var (winner, loser) in Results)
                {
                    var expected = EloExpectedScore(current[winner], current[loser]);
                    var change = kFactor * (1 - expected);
                    current[winner] += change;
                    current[loser] -= change;
                }
                return current[0] - current[3];
            }

            // domain: ratings[4]=1300..1700 kFactor=16..32
            // near: ratings=1500
            // edge: ratings=0 ratings[3]=3000 kFactor=1e3
            [Differentiable]
            public static double EloAfterSeasonCopied(double[] ratings, double kFactor = 24)
            {
                // EloAfterSeason's rewrite: a new array filled from the ratings instead of Clone().
                var current = new double[ratings.Length];
                for (var i = 0; i < ratings.Length; i++) current[i] = ratings[i];
                foreach (var (winner, loser) in Results)
                {
                    var expected = EloExpectedScore(current[winner], current[loser]);
                    var change = kFactor * (1 - expected);
                    current[winner] += change;
                    current[loser] -= change;
                }
                return current[0] - current[3];
            }

            // domain: strengths[4]=-1..1 prior=0.01..0.1
            // near: strengths=0
            // edge: strengths=0 strengths[1]=30 prior=0
            [Differentiable]
            public static double BradleyTerryLogLikelihood(double[] strengths, double prior)
            {
                var logLikelihood = 0.0;
                foreach (var (winner, loser) in Results)
                {
                    var margin = strengths[winner] - strengths[loser];
                    // log σ(m) without overflow for large |m|.
                    logLikelihood += margin >= 0 ? -Math.Log(1 + Math.Exp(-margin)) : margin - Math.Log(1 + Math.Exp(margin));
                }
                foreach (var s in strengths) logLikelihood -= prior * s * s;
                return logLikelihood;
            }

            // domain: rating=1400..1600 rd=30..300 opponentRatings[3]=1300..1700 opponentRds[3]=30..300 scores[3]=0..1
            // near: rd=30 opponentRds=30
            // edge: rating=1500 rd=1e-3 opponentRatings=1500 opponentRds=350 scores=1
            // throws: rd=0
            [Differentiable]
            public static double GlickoUpdatedRating(double rating, double rd, double[] opponentRatings, double[] opponentRds, [NoGrad] double[] scores)
            {
                if (rd <= 0) throw new ArgumentOutOfRangeException(nameof(rd), "A rating deviation must be positive.");
                var q = Math.Log(10) / 400;
                double G(double deviation) => 1 / Math.Sqrt(1 + 3 * q * q * deviation * deviation / (Math.PI * Math.PI));
                double dInverse = 0, sum = 0;
                for (var j = 0; j < opponentRatings.Length; j++)
                {
                    var g = G(opponentRds[j]);
                    var expected = 1 / (1 + Math.Pow(10, -g * (rating - opponentRatings[j]) / 400));
                    dInverse += q * q * g * g * expected * (1 - expected);
                    sum += g * (scores[j] - expected);
                }
                return rating + q / (1 / (rd * rd) + dInverse) * sum;
            }

            // domain: runsScored=500..900 runsAllowed=500..900 exponent=1.8..2.2
            // near: runsScored=700 runsAllowed=700
            // edge: runsScored=1 runsAllowed=1e4 exponent=10
            [Differentiable]
            public static double PythagoreanExpectation(double runsScored, double runsAllowed, double exponent = 1.83)
            {
                var scored = Math.Pow(runsScored, exponent);
                return scored / (scored + Math.Pow(runsAllowed, exponent));
            }

            // domain: ratingDifference=-400..400 goalDifference=0..5
            // near: ratingDifference=0
            // edge: ratingDifference=2000 goalDifference=20
            [Differentiable]
            public static double MarginOfVictoryUpdate(double ratingDifference, int goalDifference)
            {
                var multiplier = goalDifference switch
                {
                    0 or 1 => 1.0,
                    2 => 1.5,
                    3 or 4 => 1.75,
                    _ => 1.75 + (goalDifference - 3) / 8.0,
                };
                var expected = 1 / (1 + Math.Pow(10, -ratingDifference / 400));
                return 20 * multiplier * (1 - expected);
            }
        }
        """;

    public const string SeismologySource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Seismology
        {
            private static readonly (double X, double Y, double Arrival)[] Stations =
            {
                (0.0, 0.0, 2.10), (10.0, 0.0, 1.90), (0.0, 12.0, 2.55), (8.0, 9.0, 1.95),
            };

            // domain: thicknesses[4]=0.5..3 velocities[4]=2..7
            // near: velocities=3
            // edge: thicknesses=1e-6 velocities=1e3
            // throws: velocities=0
            [Differentiable]
            public static double VerticalTravelTime(double[] thicknesses, double[] velocities)
            {
                var time = 0.0;
                for (var layer = 0; layer < thicknesses.Length; layer++)
                {
                    if (velocities[layer] <= 0)
                        throw new ArgumentOutOfRangeException(nameof(velocities), $"Layer {layer} has no positive velocity.");
                    time += thicknesses[layer] / velocities[layer];
                }
                return time;
            }

            // domain: p=0.02..0.1 thicknesses[4]=1..3 velocities[4]=3..8
            // near: p=0.12 velocities=8
            // edge: p=0 thicknesses=1 velocities=5
            [Differentiable]
            public static double RayTravelTime(double p, double[] thicknesses, double[] velocities)
            {
                double time = 0, distance = 0;
                for (var i = 0; i < thicknesses.Length; i++)
                {
                    var pv = p * velocities[i];
                    // The ray turns in this layer and goes no deeper.
                    if (pv >= 1) break;
                    var cosine = Math.Sqrt(1 - pv * pv);
                    time += thicknesses[i] / (velocities[i] * cosine);
                    distance += thicknesses[i] * pv / cosine;
                }
                return 2 * time + 0.01 * distance;
            }

            // domain: distance=5..60 v1=3..4 v2=5..7 depth=2..5
            // near: distance=15 v1=3.5 v2=6 depth=3.5
            // edge: distance=1e-3 v1=3 v2=3.0001 depth=1e-3
            [Differentiable]
            public static double FirstArrival(double distance, double v1, double v2, double depth)
            {
                var direct = distance / v1;
                if (v2 <= v1) return direct;
                var critical = Math.Asin(v1 / v2);
                var headWave = distance / v2 + 2 * depth * Math.Cos(critical) / v1;
                return Math.Min(direct, headWave);
            }

            // domain: x=2..8 y=2..8 depth=3..10 velocity=5.5..6.5
            // near: depth=0.001
            // edge: x=1e3 y=-1e3 depth=50 velocity=1
            // throws: velocity=-6
            [Differentiable]
            public static double HypocenterMisfit(double x, double y, double depth, double velocity)
            {
                if (velocity is <= 0) throw new ArgumentOutOfRangeException(nameof(velocity));
                var misfit = 0.0;
                foreach (var station in Stations)
                {
                    var dx = station.X - x;
                    var dy = station.Y - y;
                    var predicted = Math.Sqrt(dx * dx + dy * dy + depth * depth) / velocity;
                    var residual = station.Arrival - predicted;
                    misfit += residual * residual;
                }
                return misfit;
            }

            // domain: b=0.8..1.2 magnitudes[6]=2..5
            // near: b=1
            // edge: b=5 magnitudes=2
            [Differentiable]
            public static double GutenbergRichterLogLikelihood(double b, [NoGrad] double[] magnitudes)
            {
                const double completeness = 2.0;
                var beta = b * Math.Log(10);
                var logLikelihood = 0.0;
                foreach (var m in magnitudes)
                {
                    if (m < completeness) continue;
                    logLikelihood += Math.Log(beta) - beta * (m - completeness);
                }
                return logLikelihood;
            }
        }
        """;

    public const string QueueingSource = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class S25Queueing
        {
            // domain: arrivalRate=1..2 serviceRate=1.5..2 servers=2..4
            // near: arrivalRate=1.99 serviceRate=1 servers=2
            // edge: arrivalRate=1e-6 serviceRate=1e3 servers=1
            // throws: arrivalRate=10 serviceRate=1 servers=2
            [Differentiable]
            public static double ErlangCWaitingProbability(double arrivalRate, double serviceRate, int servers)
            {
                var load = arrivalRate / serviceRate;
                var utilisation = load / servers;
                if (utilisation >= 1) throw new ArgumentException($"Unstable queue: utilisation {utilisation:F2} ≥ 1.");
                double term = 1, sum = 1;
                for (var k = 1; k < servers; k++)
                {
                    term *= load / k;
                    sum += term;
                }
                var factorial = 1.0;
                for (var k = 2; k <= servers; k++) factorial *= k;
                var top = Math.Pow(load, servers) / factorial / (1 - utilisation);
                return top / (sum + top);
            }

            // domain: offeredLoad=1..5 servers=1..6
            // near: offeredLoad=0.0001
            // edge: offeredLoad=1e3 servers=0
            [Differentiable]
            public static double ErlangBBlocking(double offeredLoad, int servers)
            {
                var blocking = 1.0;
                for (var k = 1; k <= servers; k++)
                {
                    blocking = offeredLoad * blocking / (k + offeredLoad * blocking);
                }
                return blocking;
            }

            // domain: arrivalRate=0.1..0.9 serviceRate=1..2
            // near: arrivalRate=0.99 serviceRate=1
            // edge: arrivalRate=1e-9 serviceRate=1e6
            // throws: arrivalRate=2 serviceRate=1
            [Differentiable]
            public static double MM1MeanTimeInSystem(double arrivalRate, double serviceRate)
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(arrivalRate, serviceRate);
                return 1 / (serviceRate - arrivalRate);
            }

            // domain: arrivalRate=0.2..0.8 meanService=0.5..1 ca2=0.5..2 cs2=0.5..2
            // near: ca2=1 cs2=1
            // edge: arrivalRate=1e-6 meanService=1 ca2=0 cs2=0
            [Differentiable]
            public static double KingmanWait(double arrivalRate, double meanService, double ca2, double cs2)
            {
                var rho = Math.Min(arrivalRate * meanService, 0.999);
                return rho / (1 - rho) * (ca2 + cs2) / 2 * meanService;
            }

            // domain: arrivalRate=0.5..1 rates[4]=1.5..3
            // near: arrivalRate=1 rates=1.01
            // edge: arrivalRate=1e-9 rates=1e3
            [Differentiable]
            public static double TandemLineCycleTime(double arrivalRate, params double[] rates)
            {
                // Jackson network in series: each station an M/M/1; Little's law sums their mean numbers in system.
                var inSystem = 0.0;
                foreach (var mu in rates)
                {
                    var rho = arrivalRate / mu;
                    inSystem += rho / (1 - rho);
                }
                return inSystem / arrivalRate;
            }
        }
        """;
}
