namespace CallControl.Calls.Dtmf;

/// <summary>The body of <c>POST /api/calls/{id}/dtmf</c>: digits to play to one party of the call.</summary>
public sealed record DtmfRequest(string? Digits, int? DurationMs, string? Leg);

/// <summary>Which party hears the digits.</summary>
public enum DtmfTarget
{
    Caller,
    Callee,
}

/// <summary>A request that passed <see cref="DtmfValidation"/>: safe to put in an ESL argument as it is.</summary>
public sealed record DtmfSend(string Digits, int DurationMs, DtmfTarget Target);
