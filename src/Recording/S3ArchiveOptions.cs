namespace CallControl.Recording;

/// <summary>Configuration section <c>Recording:Archive:S3</c>: an S3-compatible bucket.</summary>
public sealed class S3ArchiveOptions
{
    /// <summary>The endpoint, e.g. <c>https://s3.example.net</c> or a MinIO URL.</summary>
    public string ServiceUrl { get; set; } = "";

    public string BucketName { get; set; } = "";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Key prefix inside the bucket (e.g. <c>recordings/</c>); empty for none.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Signing region; S3-compatible servers mostly accept any.</summary>
    public string Region { get; set; } = "us-east-1";
}
