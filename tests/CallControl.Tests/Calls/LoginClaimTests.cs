using CallControl.Calls.Router;
using CallControl.Data;

namespace CallControl.Tests.Calls;

/// <summary>A call's own check of the logins this instance issued for it (CallSession.ClaimLogin): the rules of
/// VertoLoginStore.ConsumeForCallAsync, decided without PostgreSQL.</summary>
public sealed class LoginClaimTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_login_issued_for_the_call_is_claimed_by_the_first_leg_and_by_that_leg_again()
    {
        using var session = Session();
        session.Issued(Login("va", "alice"));

        Assert.Equal(LoginClaim.Claimed, session.ClaimLogin("va", "leg-1", Now, out var user));
        Assert.Equal("alice", user);
        // The same leg again (its park handled twice: a reconnect's reconcile) finds its own claim.
        Assert.Equal(LoginClaim.Claimed, session.ClaimLogin("va", "leg-1", Now, out user));
        Assert.Equal("alice", user);
    }

    [Fact]
    public void A_second_leg_with_a_claimed_login_is_refused_and_the_claim_stays_the_first_legs()
    {
        using var session = Session();
        session.Issued(Login("vb", "bob"));
        Assert.Equal(LoginClaim.Claimed, session.ClaimLogin("vb", "leg-1", Now, out _));

        Assert.Equal(LoginClaim.Refused, session.ClaimLogin("vb", "leg-2", Now, out var user));
        Assert.Null(user);
        Assert.Equal(LoginClaim.Claimed, session.ClaimLogin("vb", "leg-1", Now, out user));
        Assert.Equal("bob", user);
    }

    [Fact]
    public void An_expired_login_is_refused()
    {
        using var session = Session();
        session.Issued(Login("va", "alice") with { ExpiresAt = Now });

        Assert.Equal(LoginClaim.Refused, session.ClaimLogin("va", "leg-1", Now, out var user));
        Assert.Null(user);
    }

    [Fact]
    public void A_login_issued_to_someone_who_is_not_a_party_is_refused()
    {
        using var session = Session();
        session.Issued(Login("vm", "mallory"));

        Assert.Equal(LoginClaim.Refused, session.ClaimLogin("vm", "leg-1", Now, out var user));
        Assert.Null(user);
    }

    [Fact]
    public void A_login_not_issued_here_is_unknown_and_left_to_postgresql()
    {
        using var session = Session();
        session.Issued(Login("va", "alice"));

        Assert.Equal(LoginClaim.Unknown, session.ClaimLogin("vx", "leg-1", Now, out var user));
        Assert.Null(user);
        // Nothing was claimed by asking: the issued login is still free.
        Assert.Equal(LoginClaim.Claimed, session.ClaimLogin("va", "leg-2", Now, out _));
    }

    [Fact]
    public void A_login_of_another_room_is_not_noted()
    {
        using var session = Session();
        session.Issued(Login("vo", "alice") with { RoomId = "r2" });

        Assert.Equal(LoginClaim.Unknown, session.ClaimLogin("vo", "leg-1", Now, out _));
    }

    [Fact]
    public void Two_legs_racing_for_one_login_get_one_claim()
    {
        using var session = Session();
        session.Issued(Login("va", "alice"));

        var claims = new LoginClaim[16];
        Parallel.For(0, claims.Length, i => claims[i] = session.ClaimLogin("va", $"leg-{i}", Now, out _));

        Assert.Single(claims, c => c == LoginClaim.Claimed);
        Assert.Equal(claims.Length - 1, claims.Count(c => c == LoginClaim.Refused));
    }

    private static CallSession Session() => new(Guid.NewGuid(), "r1", "fs1", "alice", "bob", number: null);

    private static VertoLogin Login(string login, string user) => new()
    {
        Login = login,
        Password = "p",
        RoomId = "r1",
        UserId = user,
        ExpiresAt = Now.AddMinutes(5),
    };
}
