using System.Text;

namespace CallControl.Auth;

/// <summary>Configuration section <c>Auth</c>: the bearer tokens' signing key and lifetime defaults.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Issuer and audience of every token: this service mints and accepts its own.</summary>
    public const string IssuerAndAudience = "callcontrol";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The HMAC-SHA256 key as text (UTF-8 bytes); at least 32 bytes. Environment: <c>Auth__SigningKey</c>.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Tolerance for clocks that disagree, when checking expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    // Configuration binding can set null (a key present without a value) despite the non-null declaration.
    internal byte[] KeyBytes => Encoding.UTF8.GetBytes(SigningKey ?? "");

    internal bool HasValidKey => Encoding.UTF8.GetByteCount(SigningKey ?? "") >= MinimumKeyBytes;
}

/// <summary>Authorization policy and role names.</summary>
public static class AuthPolicies
{
    /// <summary>Any caller with a valid token.</summary>
    public const string User = "user";

    /// <summary>A token with the <c>admin</c> role.</summary>
    public const string Admin = "admin";

    /// <summary>The role claim's value for administrators.</summary>
    public const string AdminRole = "admin";

    /// <summary>The claim types in our tokens: <c>sub</c> is the user id, <c>role</c> the roles.</summary>
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";
}
