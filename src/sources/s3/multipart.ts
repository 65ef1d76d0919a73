import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
} from "@aws-sdk/client-s3";
import { type CountedS3, errorName, keyPrefix, UPSTREAM } from "./counted.js";
import { toS3Error } from "./errors.js";
import { objectKey } from "./store.js";
import type { S3Location } from "./uri.js";

export interface UploadedPart {
  partNumber: number;
  /** As S3 answered the part's PUT, quoted or not. */
  etag: string;
}

export async function createMultipart(
  { client, calls }: CountedS3,
  location: S3Location,
  path: string,
): Promise<string> {
  calls.record(UPSTREAM);
  try {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
    );
    return UploadId!;
  } catch (error) {
    throw toS3Error(error);
  }
}

export async function completeMultipart(
  { client, calls }: CountedS3,
  location: S3Location,
  path: string,
  uploadId: string,
  parts: UploadedPart[],
): Promise<void> {
  // S3 wants the parts in ascending order and each ETag quoted, as its PUT answer had it.
  const sorted = [...parts]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.etag.replace(/"/g, "")}"` }));
  calls.record(UPSTREAM);
  try {
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: location.bucket,
        Key: objectKey(location, path),
        UploadId: uploadId,
        MultipartUpload: { Parts: sorted },
      }),
    );
  } catch (error) {
    throw toS3Error(error);
  }
}

/** Frees the upload's parts. An upload already aborted or completed counts as done. */
export async function abortMultipart(
  { client, calls }: CountedS3,
  location: S3Location,
  path: string,
  uploadId: string,
): Promise<void> {
  calls.record(UPSTREAM);
  try {
    await client.send(
      new AbortMultipartUploadCommand({
        Bucket: location.bucket,
        Key: objectKey(location, path),
        UploadId: uploadId,
      }),
    );
  } catch (error) {
    if (errorName(error) === "NoSuchUpload") return;
    throw toS3Error(error);
  }
}

/** Uploads begun under the location and neither completed nor aborted. */
export async function listMultipartUploads(
  { client, calls }: CountedS3,
  location: S3Location,
): Promise<{ key: string; uploadId: string }[]> {
  const uploads: { key: string; uploadId: string }[] = [];
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  try {
    // The SDK has no paginator for ListMultipartUploads: it pages by two markers.
    for (;;) {
      calls.record(UPSTREAM);
      const page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: location.bucket,
          Prefix: keyPrefix(location),
          ...markers,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        uploads.push({ key: upload.Key!, uploadId: upload.UploadId! });
      }
      if (!page.IsTruncated) return uploads;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
  } catch (error) {
    throw toS3Error(error);
  }
}
