using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CallControl.Auth;

/// <summary>Mints the service's bearer tokens: HS256 JWTs, subject = user id, optional role, issuer/audience <c>callcontrol</c>.</summary>
public sealed class TokenService(IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>A signed token for <paramref name="userId"/>, valid from now for <paramref name="ttl"/>.</summary>
    public string Mint(string userId, string? role, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var auth = options.Value;
        if (!auth.HasValidKey)
        {
            throw new InvalidOperationException($"Auth:SigningKey must be at least {AuthOptions.MinimumKeyBytes} bytes");
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(AuthPolicies.SubjectClaim, userId) };
        if (!string.IsNullOrEmpty(role))
        {
            claims.Add(new Claim(AuthPolicies.RoleClaim, role));
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.IssuerAndAudience,
            Audience = AuthOptions.IssuerAndAudience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + ttl,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.KeyBytes), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The validation rules the service applies (also used by the signaling WebSocket if it checks tokens itself).</summary>
    public static TokenValidationParameters ValidationParameters(AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return new TokenValidationParameters
        {
            ValidIssuer = AuthOptions.IssuerAndAudience,
            ValidAudience = AuthOptions.IssuerAndAudience,
            IssuerSigningKey = new SymmetricSecurityKey(auth.KeyBytes),
            // Only HS256: an "alg": "none" or any other algorithm is refused, whatever the token says.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = auth.ClockSkew,
            NameClaimType = AuthPolicies.SubjectClaim,
            RoleClaimType = AuthPolicies.RoleClaim,
        };
    }
}
