import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandInput,
} from "@aws-sdk/client-s3";
import type { S3Transport } from "./transport.js";
import { keyPrefix, objectKey, type S3Location } from "./uri.js";

export interface UploadedPart {
  partNumber: number;
  /** As S3 answered the part's PUT, quoted or not. */
  etag: string;
}

export async function createMultipart(
  s3: S3Transport,
  location: S3Location,
  path: string,
): Promise<string> {
  const { UploadId } = await s3.write(
    new CreateMultipartUploadCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
  );
  return UploadId!;
}

export async function completeMultipart(
  s3: S3Transport,
  location: S3Location,
  path: string,
  uploadId: string,
  parts: UploadedPart[],
): Promise<void> {
  // S3 wants the parts in ascending order and each ETag quoted, as its PUT answer had it.
  const sorted = [...parts]
    .sort((a, b) => a.partNumber - b.partNumber)
    .map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.etag.replace(/"/g, "")}"` }));
  await s3.write(
    new CompleteMultipartUploadCommand({
      Bucket: location.bucket,
      Key: objectKey(location, path),
      UploadId: uploadId,
      MultipartUpload: { Parts: sorted },
    }),
  );
}

/** Frees the upload's parts. An upload already aborted or completed counts as done. */
export async function abortMultipart(
  s3: S3Transport,
  location: S3Location,
  path: string,
  uploadId: string,
): Promise<void> {
  await s3.write(
    new AbortMultipartUploadCommand({
      Bucket: location.bucket,
      Key: objectKey(location, path),
      UploadId: uploadId,
    }),
    { answers: { NoSuchUpload: undefined } },
  );
}

/** Uploads begun under the location and neither completed nor aborted. */
export async function listMultipartUploads(
  s3: S3Transport,
  location: S3Location,
): Promise<{ key: string; uploadId: string }[]> {
  const uploads: { key: string; uploadId: string }[] = [];
  // ListMultipartUploads pages by two markers.
  const pages = s3.pages(
    (input: ListMultipartUploadsCommandInput) => new ListMultipartUploadsCommand(input),
    { Bucket: location.bucket, Prefix: keyPrefix(location) },
    (page) =>
      page.IsTruncated
        ? { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker }
        : undefined,
  );
  for await (const page of pages) {
    for (const upload of page.Uploads ?? []) {
      uploads.push({ key: upload.Key!, uploadId: upload.UploadId! });
    }
  }
  return uploads;
}
