namespace CallControl.Esl.Connection;

/// <summary>The CHANNEL_EXECUTE_COMPLETE that answers a <c>sendmsg execute</c> (matched by its
/// <c>Application-UUID</c>, which is the <c>event-uuid</c> we sent).</summary>
/// <param name="UniqueId">The channel's Unique-ID.</param>
/// <param name="Application">The application that ran, e.g. <c>playback</c>.</param>
/// <param name="ApplicationData">Its argument as FreeSWITCH saw it.</param>
/// <param name="Response">Application-Response, e.g. <c>FILE PLAYED</c> or <c>_none_</c>.</param>
public sealed record EslExecuteResult(string UniqueId, string Application, string? ApplicationData, string? Response);

/// <summary>A <c>sendmsg execute</c> waiting for its CHANNEL_EXECUTE_COMPLETE.</summary>
internal sealed record PendingExecution(string? UniqueId, string Command, TaskCompletionSource<EslExecuteResult> Completion);
