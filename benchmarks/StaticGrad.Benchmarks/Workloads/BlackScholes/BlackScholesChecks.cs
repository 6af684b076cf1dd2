using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.BlackScholes;

public static class BlackScholesChecks
{
    /// <summary>Central differences across the payoff's kink move a few paths in or out of the money: a looser tolerance.</summary>
    public const double MonteCarloFiniteDifferenceTolerance = 1e-4;

    public const int CheckedPaths = 10_000;

    public static void Run(Verifier verifier)
    {
        verifier.Section("Black–Scholes");

        // Values of Φ to 16 digits (from erfc): Hart's approximation must match them to 1e-14 absolute.
        (double X, double Phi)[] table = [(0.0, 0.5), (1.0, 0.8413447460685429), (-1.96, 0.024997895148220435), (-2.0, 0.022750131948179195), (3.0, 0.9986501019683699), (-8.0, 6.22096057427178e-16)];
        foreach (var (x, phi) in table)
        {
            verifier.Absolute(FormattableString.Invariant($"Φ({x})"), phi, BlackScholes.NormalCdf(x), 1e-14);
        }

        var option = BlackScholesGradients.DefaultOption();
        var strike = BlackScholesGradients.DefaultStrike;
        var hand = new double[4];
        var price = BlackScholesGradients.HandWritten(option, strike, hand);
        verifier.Value("hand-written Greeks' price vs CallPrice", BlackScholes.CallPrice(option[0], option[1], option[2], option[3], strike), price, 1e-15);
        var fd = new double[4];
        BlackScholesGradients.FiniteDifferences(option, strike, fd);
        verifier.Gradient("closed-form Greeks vs central differences", hand, fd, Verifier.FiniteDifferenceTolerance(price));
#if GENERATED_BLACKSCHOLES
        var generated = new double[4];
        verifier.Value("generated backward's price vs CallPrice", price, BlackScholesGradients.Generated(option, strike, generated), 1e-15);
        verifier.Gradient("generated Greeks vs closed form", hand, generated, GradientComparison.ExactTolerance);

        // The book timed by BlackScholesBookBenchmarks: d1 and d2 of both signs, every option against the closed form.
        var book = BlackScholesBook.Create();
        var bookPrices = book.Sweep<HandWrittenGreeks>();
        var bookHand = book.Greeks();
        verifier.Value($"book of {BlackScholesBook.Size}: generated prices' sum vs hand-written", bookPrices, book.Sweep<GeneratedGreeks>(), 1e-14);
        verifier.Gradient($"book of {BlackScholesBook.Size}: generated Greeks vs closed form", bookHand, book.Greeks(), GradientComparison.ExactTolerance);
#else
        verifier.Skip("generated Greeks", "BLACKSCHOLES is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif

        var tape = new double[4];
        verifier.Value("tape's price vs CallPrice", price, BlackScholesTape.Gradient(option, strike, tape), 1e-14);
        verifier.Gradient("tape Greeks vs closed form", hand, tape, GradientComparison.ExactTolerance);

        var normals = BlackScholesGradients.Normals(CheckedPaths);
        var mcHand = new double[4];
        var mcPrice = BlackScholesGradients.MonteCarloHandWritten(option, strike, normals, mcHand);
        verifier.Value("Monte-Carlo hand-written price vs MonteCarloCallPrice", BlackScholes.MonteCarloCallPrice(option[0], option[1], option[2], option[3], strike, normals), mcPrice, 1e-13);
        verifier.Value($"Monte-Carlo price over {CheckedPaths} paths within 3 % of the closed form", price, mcPrice, 0.03);
        var mcFd = new double[4];
        BlackScholesGradients.MonteCarloFiniteDifferences(option, strike, normals, mcFd);
        verifier.Gradient("Monte-Carlo pathwise Greeks vs central differences", mcHand, mcFd, MonteCarloFiniteDifferenceTolerance);
        var mcTape = new double[4];
        verifier.Value("Monte-Carlo tape's price", mcPrice, BlackScholesTape.MonteCarloGradient(option, strike, normals, mcTape), 1e-13);
        verifier.Gradient("Monte-Carlo tape vs hand-written pathwise Greeks", mcHand, mcTape, GradientComparison.ExactTolerance);
#if GENERATED_BLACKSCHOLES
        var mcGenerated = new double[4];
        verifier.Value("Monte-Carlo generated backward's price", mcPrice, BlackScholesGradients.MonteCarloGenerated(option, strike, normals, mcGenerated), 1e-13);
        verifier.Gradient("Monte-Carlo generated vs hand-written pathwise Greeks", mcHand, mcGenerated, GradientComparison.ExactTolerance);
#else
        verifier.Skip("Monte-Carlo generated Greeks", "BLACKSCHOLES is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif
    }
}
