namespace CallControl.Calls.Dtmf;

/// <summary>The <c>Dtmf</c> configuration section.</summary>
public sealed class DtmfOptions
{
    public const string Section = "Dtmf";

    /// <summary>The character stored instead of a digit when <see cref="MaskDigits"/> is on.</summary>
    public const string Mask = "•";

    /// <summary>
    /// Store every DTMF digit as <see cref="Mask"/> (default true): pressed digits are often PINs or card numbers,
    /// so the history keeps when, on which leg and how long, but not which key. Turn off only where that is allowed.
    /// </summary>
    public bool MaskDigits { get; set; } = true;
}
