namespace CallControl.Esl.Connection;

/// <summary>A FreeSWITCH log line (<c>log/data</c>) received after <c>log &lt;level&gt;</c>.</summary>
/// <param name="Level">Log-Level, 0 (console) to 7 (debug); -1 when absent.</param>
/// <param name="Text">The formatted line.</param>
/// <param name="File">Log-File, e.g. switch_time.c.</param>
/// <param name="TextChannel">Text-Channel.</param>
/// <param name="UserData">User-Data (often the channel's UUID).</param>
public sealed record EslLogLine(int Level, string Text, string? File, string? TextChannel, string? UserData);
