"""The production object store: any S3 service (SeaweedFS, MinIO, AWS) through boto3.

The bucket is created with versioning and Object Lock. Every put carries a SHA-256 checksum that
the server verifies, records our own full-file SHA-256 as object metadata (multipart checksums
are per part), and is conditional on the key being absent (If-None-Match: *), so a stored object
is never overwritten. Credentials come from the usual AWS variables.
"""
import base64
import datetime as dt
import hashlib
from typing import Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from sohoa.archive.store import STALE_AFTER_SECONDS, StoredObject
from sohoa.core.errors import DisposalRefused, ObjectMissing, WriteOnceError, unavailable_on

S3_ERRORS = (BotoCoreError, ClientError)

MULTIPART_THRESHOLD = 16 * 1024 * 1024
PART_SIZE = 8 * 1024 * 1024


class S3ObjectStore:
    role = "object storage"

    def __init__(self, endpoint: str, bucket: str, region: str = "us-east-1"):
        self.endpoint, self.bucket = endpoint, bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint, region_name=region,
            config=Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=60,
                          retries={"mode": "standard", "max_attempts": 5}))
        self._ensure_bucket()

    def describe(self) -> str:
        return f"S3 {self.endpoint} bucket {self.bucket}"

    @unavailable_on(*S3_ERRORS)
    def status(self) -> dict:
        head = self.client.head_bucket(Bucket=self.bucket)
        server = head["ResponseMetadata"]["HTTPHeaders"].get("server", "S3")
        versioning = self.client.get_bucket_versioning(Bucket=self.bucket).get("Status", "off")
        return {"backend": "S3", "location": f"{self.endpoint}/{self.bucket}", "version": server,
                "health": f"ok (versioning {versioning.lower()}, object lock {'on' if self.locking else 'OFF'})",
                "objects": sum(1 for _ in self.list())}

    @unavailable_on(*S3_ERRORS)
    def _ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if _status(exc) != 404:
                raise
            self.client.create_bucket(Bucket=self.bucket, ObjectLockEnabledForBucket=True)
        self.client.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})
        try:
            lock = self.client.get_object_lock_configuration(Bucket=self.bucket)["ObjectLockConfiguration"]
            self.locking = lock.get("ObjectLockEnabled") == "Enabled"
        except ClientError:  # a bucket made without Object Lock: objects are write-once, but not locked
            self.locking = False

    def _lock(self, retain_until: dt.datetime | None) -> dict:
        """Object Lock in compliance mode: until then nobody, root included, can delete this version."""
        if retain_until is None or not self.locking:
            return {}
        return {"ObjectLockMode": "COMPLIANCE", "ObjectLockRetainUntilDate": retain_until}

    @unavailable_on(*S3_ERRORS)
    def put(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None) -> StoredObject:
        digest = hashlib.sha256(data).hexdigest()
        try:
            if len(data) > MULTIPART_THRESHOLD:
                # Not every S3 server honours If-None-Match when it completes a multipart upload (SeaweedFS
                # did not, now and then): an object already there is found first.
                existing = self.head(key)
                if existing is not None:
                    return self._same_or_refused(key, existing, digest)
                self._put_multipart(key, data, content_type, digest, self._lock(retain_until))
            else:
                self.client.put_object(
                    Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, IfNoneMatch="*",
                    ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode(), Metadata={"sha256": digest},
                    **self._lock(retain_until))
        except ClientError as exc:
            if _status(exc) not in (409, 412):
                raise
            return self._same_or_refused(key, self.head(key), digest, exc)
        return StoredObject(key, digest, len(data), content_type)

    @staticmethod
    def _same_or_refused(key: str, existing: StoredObject | None, digest: str, cause: Exception | None = None
                         ) -> StoredObject:
        """Storing what is already stored is a no-op; anything else under the same key is refused."""
        if existing is None or existing.sha256 != digest:
            raise WriteOnceError(f"object {key} already exists with different content; not overwritten") from cause
        return existing

    @unavailable_on(*S3_ERRORS)
    def restore(self, key: str, data: bytes, content_type: str, retain_until: dt.datetime | None = None
                ) -> StoredObject:
        """Repair only: a new current version of an object found damaged or deleted. Earlier versions stay
        (a locked one cannot be removed), so the damage remains visible in the bucket's history."""
        digest = hashlib.sha256(data).hexdigest()
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type,
                               ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode(),
                               Metadata={"sha256": digest}, **self._lock(retain_until))
        return StoredObject(key, digest, len(data), content_type)

    @unavailable_on(*S3_ERRORS)
    def delete(self, key: str) -> None:
        """Disposal only: every version of the object, for good. A version still under Object Lock is
        refused by the server (AccessDenied), and what was deleted before that stays deleted."""
        pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=key)
        for page in pages:
            for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if version["Key"] == key:
                    self._delete_version(key, version["VersionId"])

    def _delete_version(self, key: str, version: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version)
        except ClientError as exc:
            if _status(exc) != 403:
                raise
            raise DisposalRefused(f"{self.describe()} refused to delete {key}: it is under Object Lock") from exc

    def _put_multipart(self, key: str, data: bytes, content_type: str, digest: str, lock: dict) -> None:
        upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key, ContentType=content_type,
                                                     ChecksumAlgorithm="SHA256", Metadata={"sha256": digest}, **lock)
        parts = []
        try:
            for number, start in enumerate(range(0, len(data), PART_SIZE), 1):
                chunk = data[start:start + PART_SIZE]
                checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
                part = self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"],
                                               PartNumber=number, Body=chunk, ChecksumAlgorithm="SHA256",
                                               ChecksumSHA256=checksum)
                parts.append({"PartNumber": number, "ChecksumSHA256": checksum, "ETag": part["ETag"]})
            self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"],
                                                  MultipartUpload={"Parts": parts}, IfNoneMatch="*")
        except Exception:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload["UploadId"])
            raise

    @unavailable_on(*S3_ERRORS)
    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if _status(exc) == 404:
                raise ObjectMissing(key) from exc
            raise

    @unavailable_on(*S3_ERRORS)
    def head(self, key: str) -> StoredObject | None:
        try:
            meta = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if _status(exc) == 404:
                return None
            raise
        digest = meta.get("Metadata", {}).get("sha256")
        if digest is None:  # written by another tool: compute it once
            digest = hashlib.sha256(self.get(key)).hexdigest()
        return StoredObject(key, digest, meta["ContentLength"], meta.get("ContentType", "application/octet-stream"))

    @unavailable_on(*S3_ERRORS)
    def clean_temporary(self) -> list[str]:
        """Abort the multipart uploads a killed process left unfinished (their parts are stored and billed)."""
        stale_before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=STALE_AFTER_SECONDS)
        aborted = []
        for page in self.client.get_paginator("list_multipart_uploads").paginate(Bucket=self.bucket):
            for upload in page.get("Uploads", []):
                if upload["Initiated"] < stale_before:
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                       UploadId=upload["UploadId"])
                    aborted.append(f"multipart upload of {upload['Key']} begun {upload['Initiated']:%Y-%m-%d %H:%M}")
        return aborted

    @unavailable_on(*S3_ERRORS)
    def list(self, prefix: str = "", start_after: str = "") -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix,
                                                                       StartAfter=start_after)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"]


def _status(exc: ClientError) -> int:
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
