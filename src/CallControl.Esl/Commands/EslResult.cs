namespace CallControl.Esl.Commands;

/// <summary>
/// What FreeSWITCH answered to a command: the <c>Reply-Text</c> of a <c>command/reply</c>, the body of an
/// <c>api/response</c>, or the body of a BACKGROUND_JOB. FreeSWITCH reports refusal in-band ("-ERR invalid uuid",
/// "-USAGE: ..."): that is a result with <see cref="Ok"/> false, not a transport failure. Transport failures are
/// <see cref="Connection.EslConnectionException"/>; <see cref="EnsureOk"/> turns a refusal into an
/// <see cref="EslCommandException"/> for callers who prefer exceptions.
/// </summary>
public sealed record EslResult
{
    /// <summary>Creates a result from FreeSWITCH's text.</summary>
    public EslResult(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        Ok = !IsRefusal(text);
    }

    /// <summary>False when FreeSWITCH's text starts with <c>-ERR</c> or <c>-USAGE</c>.</summary>
    public bool Ok { get; }

    /// <summary>FreeSWITCH's text, as sent (an api body keeps its trailing newline).</summary>
    public string Text { get; }

    /// <summary>The text without the leading <c>+OK </c> / <c>-ERR </c> and the trailing newline, e.g. the UUID of
    /// <c>+OK 1670bdc0-…</c>.</summary>
    public string Value
    {
        get
        {
            var t = Text.TrimEnd('\n', '\r');
            foreach (var prefix in (ReadOnlySpan<string>)["+OK", "-ERR", "-USAGE:"])
            {
                if (t.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return t[prefix.Length..].TrimStart();
                }
            }

            return t;
        }
    }

    /// <summary>Returns this result when <see cref="Ok"/>, else throws <see cref="EslCommandException"/> with
    /// FreeSWITCH's text.</summary>
    public EslResult EnsureOk(string? command = null) => Ok ? this : throw new EslCommandException(command, Text);

    internal static bool IsRefusal(string text) =>
        text.StartsWith("-ERR", StringComparison.Ordinal) || text.StartsWith("-USAGE", StringComparison.Ordinal);
}
