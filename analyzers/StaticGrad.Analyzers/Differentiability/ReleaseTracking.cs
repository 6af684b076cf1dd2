// The SG1xxx descriptors are created in the compiler core (StaticGrad.Compiler/Diagnostics/DiagnosticDescriptors.cs,
// shared with the generator); release tracking sees only descriptors created in this project, so it cannot match
// their rows in AnalyzerReleases.Unshipped.md to the DifferentiabilityAnalyzer that reports them.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage(
    "MicrosoftCodeAnalysisReleaseTracking",
    "RS2002:Rule is part of the next unshipped analyzer release, but is not a supported diagnostic for any analyzer",
    Justification = "SG1xxx descriptors are created in StaticGrad.Compiler and reported by DifferentiabilityAnalyzer.")]
