"""An S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO, SeaweedFS), through boto3.

Credentials come from boto3's usual chain: AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws/credentials, SSO, an instance
role. The endpoint of a host other than AWS comes from ``--endpoint-url`` or,
as for the aws command, from AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3).

One PUT makes one object at once (a multipart upload too, on completion), so
a reader never sees half of a file: no temporary names are needed here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult

from qacast.errors import ConfigError, PublishError
from qacast.publish.hosts import EXTRA_HINT
from qacast.publish.plan import RemoteFile

_CONNECT_TIMEOUT_S = 15
_READ_TIMEOUT_S = 120
_ATTEMPTS = 5  # boto3's standard retries: throttling and dropped connections

# What a refused request means to a producer, by S3's error code.
_REFUSALS: dict[str, str] = {
    "NoSuchBucket": "there is no bucket '{bucket}'{where}",
    "InvalidAccessKeyId": "the host does not know the access key{where}",
    "SignatureDoesNotMatch": "the secret key does not match the access key{where}",
    "AccessDenied": "the credentials may not use bucket '{bucket}'{where}",
    "AllAccessDisabled": "the credentials may not use bucket '{bucket}'{where}",
    "InvalidBucketName": "'{bucket}' is not a valid bucket name",
    "PermanentRedirect": "bucket '{bucket}' is in another region: set AWS_REGION",
    "AuthorizationHeaderMalformed": "the request was signed for the wrong region: set AWS_REGION",
}


class S3Host:
    def __init__(self, address: str, bucket: str, prefix: str, endpoint_url: str | None) -> None:
        self.address, self.bucket, self.prefix = address, bucket, prefix
        self._client = _client(endpoint_url)
        endpoint = str(self._client.meta.endpoint_url)
        self._where = f" at {endpoint}"
        self.identity = f"s3://{bucket}/{prefix} at {endpoint}"

    def _fail(self, err: Exception, doing: str) -> PublishError:
        return PublishError(f"{self.address}: {doing}: {_explain(err, self.bucket, self._where)}")

    def listing(self) -> dict[str, RemoteFile]:
        files: dict[str, RemoteFile] = {}
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix) :]
                    files[key] = RemoteFile(int(item["Size"]), str(item["ETag"]))
        except Exception as err:
            raise self._fail(err, "cannot list the bucket") from None
        return files

    def read(self, path: str) -> bytes | None:
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=self.prefix + path)["Body"]
            return bytes(body.read())
        except Exception as err:
            if _code(err) in ("NoSuchKey", "404"):
                return None
            raise self._fail(err, f"cannot read {path}") from None

    def upload(
        self, source: Path | bytes, path: str, content_type: str, cache_control: str
    ) -> RemoteFile:
        key = self.prefix + path
        headers = {"ContentType": content_type, "CacheControl": cache_control}
        try:
            if isinstance(source, bytes):
                self._client.put_object(Bucket=self.bucket, Key=key, Body=source, **headers)
            else:
                # s3transfer: multipart for long episodes, parts retried on their own.
                self._client.upload_file(str(source), self.bucket, key, ExtraArgs=headers)
            head = self._client.head_object(Bucket=self.bucket, Key=key)
        except Exception as err:
            raise self._fail(err, f"cannot upload {path}") from None
        return RemoteFile(int(head["ContentLength"]), str(head["ETag"]))

    def delete(self, path: str) -> None:
        try:
            self._client.delete_object(Bucket=self.bucket, Key=self.prefix + path)
        except Exception as err:
            raise self._fail(err, f"cannot delete {path}") from None

    def close(self) -> None:
        self._client.close()


def open_s3(address: str, parts: SplitResult, endpoint_url: str | None) -> S3Host:
    bucket = parts.netloc
    if not bucket or parts.query or parts.fragment or "@" in bucket:
        raise ConfigError(f"--to {address}: write s3://BUCKET or s3://BUCKET/PREFIX")
    prefix = parts.path.strip("/")
    if endpoint_url is not None and not endpoint_url.startswith(("http://", "https://")):
        raise ConfigError(f"--endpoint-url {endpoint_url}: must start with https:// or http://")
    return S3Host(address, bucket, prefix + "/" if prefix else "", endpoint_url)


def _client(endpoint_url: str | None) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise ConfigError(f"publishing to s3:// needs boto3: {EXTRA_HINT}") from None
    session = boto3.session.Session()
    custom = (
        endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    )
    settings: dict[str, Any] = {
        "connect_timeout": _CONNECT_TIMEOUT_S,
        "read_timeout": _READ_TIMEOUT_S,
        "retries": {"mode": "standard", "max_attempts": _ATTEMPTS},
    }
    if custom:
        # Other hosts serve buckets by path (MinIO, SeaweedFS, R2 and B2 too),
        # and several reject the checksums boto3 adds to every upload since 1.36.
        settings["s3"] = {"addressing_style": "path"}
        settings["request_checksum_calculation"] = "when_required"
        settings["response_checksum_validation"] = "when_required"
    if session.get_credentials() is None:
        raise PublishError(
            "no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            "or AWS_PROFILE for a profile in ~/.aws/credentials"
        )
    return session.client("s3", endpoint_url=endpoint_url, config=Config(**settings))


def _code(err: Exception) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _explain(err: Exception, bucket: str, where: str) -> str:
    """One line for a failed request: what S3 said, or why it could not be asked."""
    from botocore import exceptions

    code = _code(err)
    if code in _REFUSALS:
        return _REFUSALS[code].format(bucket=bucket, where=where)
    if code:
        message = getattr(err, "response", {}).get("Error", {}).get("Message") or ""
        return f"{code} {message}".strip()
    if isinstance(err, exceptions.EndpointConnectionError | exceptions.ConnectTimeoutError):
        return f"cannot reach the host{where} ({err})"
    if isinstance(err, exceptions.NoCredentialsError | exceptions.PartialCredentialsError):
        return f"incomplete S3 credentials ({err})"
    if isinstance(err, exceptions.BotoCoreError | OSError):
        return str(err)
    if type(err).__module__.startswith("boto3"):  # S3UploadFailedError and kin
        return str(err)
    raise err
