using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CallControl.Recording.Archive;

/// <summary>
/// Archive in an S3-compatible bucket: key <c>a/b/c.ogg</c> is the object <c>Prefix + a/b/c.ogg</c>, its location
/// <c>s3://bucket/Prefix a/b/c.ogg</c>. A put is one PutObject: S3 makes an object visible only once the whole
/// upload has arrived, so a failed upload leaves the previous object (or none), never a partial one.
/// </summary>
public sealed class S3ArchiveStore : IArchiveStore, IDisposable
{
    private readonly AmazonS3Client _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3ArchiveStore(S3ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ServiceUrl, "Recording:Archive:S3:ServiceUrl");
        ArgumentException.ThrowIfNullOrEmpty(options.BucketName, "Recording:Archive:S3:BucketName");
        _bucket = options.BucketName;
        _prefix = options.Prefix.TrimStart('/');
        if (_prefix.Length > 0 && !_prefix.EndsWith('/'))
        {
            _prefix += "/";
        }
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Plain signed requests: S3-compatible servers do not all accept the SDK's default trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Kind => ArchiveOptions.S3Store;

    public string LocationOf(string key)
    {
        ArchiveKeys.Validate(key);
        return $"s3://{_bucket}/{_prefix}{key}";
    }

    public async Task<string> PutAsync(string key, string sourceFile, string contentType, CancellationToken cancellationToken)
    {
        var location = LocationOf(key);
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = _prefix + key,
            FilePath = sourceFile,
            ContentType = contentType,
            UseChunkEncoding = false,
        };
        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return location;
    }

    public async Task<StoredObjectDigest?> ReadBackAsync(string location, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKeyOf(location);
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            await using var body = response.ResponseStream;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long size = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                size += n;
            }
            return new StoredObjectDigest(size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<ArchiveObject?> OpenReadAsync(string location, long? firstByte, long? lastByte, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKeyOf(location);
        long total;
        string contentType;
        try
        {
            var head = await _s3.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
            total = head.ContentLength;
            contentType = string.IsNullOrEmpty(head.Headers.ContentType) ? FileSystemArchiveStore.OggOpusContentType : head.Headers.ContentType;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (RangeResolver.Resolve(total, firstByte, lastByte) is not var (offset, length))
        {
            return ArchiveObject.Unsatisfiable(total, contentType);
        }
        var request = new GetObjectRequest { BucketName = _bucket, Key = objectKey };
        var isRange = firstByte is not null || lastByte is not null;
        if (isRange)
        {
            request.ByteRange = new ByteRange(offset, offset + length - 1);
        }
        var response = await _s3.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var content = new ResponseOwningStream(response);
        return new ArchiveObject(content, total, offset, length, contentType, isRange);
    }

    public async Task<bool> DeleteAsync(string location, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKeyOf(location);
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await _s3.DeleteObjectAsync(_bucket, objectKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>The object key a location names, refusing locations in another bucket or outside the prefix.</summary>
    private string ObjectKeyOf(string location)
    {
        var head = $"s3://{_bucket}/{_prefix}";
        if (location is null || !location.StartsWith(head, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{location}' is not a location in bucket '{_bucket}' under '{_prefix}'.", nameof(location));
        }
        var key = location[head.Length..];
        ArchiveKeys.Validate(key);
        return _prefix + key;
    }

    /// <summary>The body of a GetObject response that disposes the response with it.</summary>
    private sealed class ResponseOwningStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.ContentLength;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
