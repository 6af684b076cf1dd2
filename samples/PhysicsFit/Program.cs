using PhysicsFit;
using static System.FormattableString;

// Fit the stiffness k and damping c of a damped oscillator to 60 noisy observations. The [Differentiable] Runge–Kutta
// integrator (Oscillator.Position) is lifted by the generator to tensors: one call integrates every observation time
// and records ONE PositionBackward node in the runtime graph, so the loss, Backward() and Adam are plain runtime code.
var options = new FitOptions();
Console.WriteLine(Invariant($"data: x'' = -k x - c x', x(0) = 1, true k = {options.TrueStiffness}, c = {options.TrueDamping}, {options.Observations} points on [0, {options.Duration}], noise sd {options.Noise}"));
Console.WriteLine(Invariant($"start: k = {options.InitialStiffness}, c = {options.InitialDamping}; Adam, lr {options.LearningRate}, {options.Iterations} steps"));
var result = OscillatorFit.Run(options, Console.WriteLine);
Console.WriteLine(Invariant($"recovered k = {result.Stiffness:F4} (true {options.TrueStiffness}), c = {result.Damping:F4} (true {options.TrueDamping}), final loss {result.FinalLoss:E3} (noise variance {options.Noise * options.Noise:E3})"));

var path = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(AppContext.BaseDirectory, "physicsfit.png");
File.WriteAllBytes(path, FitPlot.Png(result, options));
Console.WriteLine("plot (the fit and the loss curve): " + path);
