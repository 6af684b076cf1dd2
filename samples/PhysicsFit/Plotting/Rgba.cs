namespace PhysicsFit.Plotting;

/// <summary>An opaque-or-not 8-bit colour.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A = 255);
