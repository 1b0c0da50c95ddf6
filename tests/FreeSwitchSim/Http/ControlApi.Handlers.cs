using System.Text.RegularExpressions;
using FreeSwitchSim.Core;
using FreeSwitchSim.Esl;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace FreeSwitchSim.Http;

/// <summary>The control API's handlers: validate, call the switch or the faults, map failures to 400/404.</summary>
public static partial class ControlApi
{
    [GeneratedRegex("^[0-9*#A-Da-d]{1,64}$")]
    private static partial Regex DtmfDigits();

    [GeneratedRegex("^[A-Za-z0-9_.@+-]{1,64}$")]
    private static partial Regex Name();

    private static async Task<IResult> LoginAsync(string user, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] LoginRequest? body,
        ISwitchControl sw, CancellationToken cancellationToken)
    {
        if (!Name().IsMatch(user))
        {
            return Bad("user must be 1-64 letters, digits or _.@+-");
        }
        // The built-in directory's users 1000..1019 share the password 1234, as the stock FreeSWITCH config.
        var ok = await sw.LoginAsync(user, body?.Password ?? "1234", body?.UserVariables, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new LoginResult(user, ok));
    }

    private static IResult Logout(string user, ISwitchControl sw)
    {
        if (!Name().IsMatch(user))
        {
            return Bad("user must be 1-64 letters, digits or _.@+-");
        }
        sw.Logout(user);
        return TypedResults.NoContent();
    }

    private static IResult PlaceCall(string user, CallRequest? body, ISwitchControl sw)
    {
        if (string.IsNullOrWhiteSpace(body?.Destination))
        {
            return Bad("destination is required");
        }
        if (body.AutoAnswerMs < 0 || body.AutoHangupMs < 0)
        {
            return Bad("autoAnswerMs and autoHangupMs must not be negative");
        }
        return Try(() =>
        {
            var uuid = sw.PlaceCall(user, body.Destination, new CallOptions(body.AutoAnswerMs, body.AutoHangupMs));
            return TypedResults.Created($"/channels/{uuid}", new CallCreated(uuid));
        });
    }

    private static IResult GetChannel(string uuid, ISwitchControl sw) =>
        sw.Channel(uuid) is { } channel ? TypedResults.Ok(channel) : NoChannel(uuid);

    private static IResult Answer(string uuid, ISwitchControl sw) =>
        sw.Channel(uuid) is null ? NoChannel(uuid) : Try(() => { sw.Answer(uuid); return TypedResults.NoContent(); });

    private static IResult Hangup(string uuid, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] HangupRequest? body, ISwitchControl sw)
    {
        if (body?.Cause is { } cause && !Regex.IsMatch(cause, "^[A-Z_]{3,40}$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return Bad("cause must be a hangup cause name such as NORMAL_CLEARING or USER_BUSY");
        }
        return sw.Channel(uuid) is null ? NoChannel(uuid) : Try(() => { sw.Hangup(uuid, body?.Cause); return TypedResults.NoContent(); });
    }

    private static IResult Dtmf(string uuid, DtmfRequest? body, ISwitchControl sw)
    {
        if (body?.Digits is not { } digits || !DtmfDigits().IsMatch(digits))
        {
            return Bad("digits must be 1-64 of 0-9 * # A-D");
        }
        return sw.Channel(uuid) is null ? NoChannel(uuid) : Try(() => { sw.PressDigits(uuid, digits); return TypedResults.NoContent(); });
    }

    private static IResult SetRules(string gateway, List<RuleRequest>? rules, ISwitchControl sw)
    {
        if (rules is null)
        {
            return Bad("body must be a JSON array of {prefix, behaviour, delayMs}");
        }
        var parsed = new List<GatewayRule>();
        foreach (var r in rules)
        {
            if (r.Behaviour is null || !Behaviours.Contains(r.Behaviour))
            {
                return Bad($"behaviour must be one of: {string.Join(", ", Behaviours.Order(StringComparer.Ordinal))}");
            }
            if (r.DelayMs < 0)
            {
                return Bad("delayMs must not be negative");
            }
            parsed.Add(new GatewayRule(r.Prefix ?? "", r.Behaviour, r.DelayMs ?? 0));
        }
        return Try(() => { sw.SetGatewayRules(gateway, parsed); return TypedResults.NoContent(); });
    }

    private static IResult Fault(string kind, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] FaultRequest? body,
        SimulatorFaults faults, RestartSettings restart)
    {
        if (body?.Seconds is < 0 or > 3600)
        {
            return Bad("seconds must be between 0 and 3600");
        }
        var seconds = body?.Seconds;
        switch (kind)
        {
            case "drop":
                faults.Drop();
                break;
            case "refuse":
                faults.Refuse(TimeSpan.FromSeconds(seconds ?? 5), body?.Acl ?? false);
                break;
            case "restart":
                faults.Restart(seconds is { } s ? TimeSpan.FromSeconds(s) : restart.DownTime);
                break;
            case "stall":
                faults.Stall(TimeSpan.FromSeconds(seconds ?? 5));
                break;
            case "garbage":
                faults.Garbage();
                break;
            default:
                return Bad("fault must be one of: drop, refuse, restart, stall, garbage");
        }
        return TypedResults.NoContent();
    }

    // The switch rejects impossible requests (unknown user, unknown gateway, wrong state) with these exceptions.
    private static IResult Try(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return Bad(ex.Message);
        }
    }
}
