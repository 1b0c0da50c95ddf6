using CallControl.Esl.Events;

namespace CallControl.Bench.EslParse;

/// <summary>What a consumer of events does with each one: route it by name and channel, read one variable.</summary>
internal static class Consumer
{
    public static int Consume(EslEvent ev)
    {
        var name = ev.EventName;
        var uuid = ev.UniqueId;
        var callUuid = ev.GetVariable("call_uuid");
        return (name?.Length ?? 0) + (uuid is null ? 0 : 1) + (callUuid is null ? 0 : 1);
    }
}
