import type { S3Client } from "@aws-sdk/client-s3";
import type { UpstreamCalls } from "../calls.js";
import * as multipart from "./multipart.js";
import * as objects from "./objects.js";
import { copyObjects, type CopyOptions, copySizes } from "./prefix-copy.js";
import { S3Transport } from "./transport.js";
import { presignPart, presignPut } from "./upload-urls.js";
import { objectKey, overlaps, type S3Location, uriOf } from "./uri.js";

export type { CopyOptions } from "./prefix-copy.js";
export type { UploadedPart } from "./multipart.js";

/**
 * The S3 writes behind uploads and promotions, as one request sees them: clients send bytes to
 * presigned URLs and S3 copies server-side, so no object's bytes pass through the gateway.
 * Each request it sends is counted; presigning is local and is not.
 */
export class S3Staging {
  private readonly s3: S3Transport;

  constructor(client: S3Client, calls: UpstreamCalls) {
    this.s3 = new S3Transport(client, calls);
  }

  /** A URL a client PUTs exactly `size` bytes to (up to 5 GiB). */
  presignPut(location: S3Location, path: string, size: number, expiresIn: number) {
    return presignPut(this.s3.client, location, path, size, expiresIn);
  }

  /** A URL for part `number` (1 to 10,000) of exactly `size` bytes; all but the last ≥ 5 MiB. */
  presignPart(
    location: S3Location,
    path: string,
    uploadId: string,
    part: { number: number; size: number },
    expiresIn: number,
  ) {
    return presignPart(this.s3.client, { location, path, uploadId }, part, expiresIn);
  }

  createMultipart(location: S3Location, path: string) {
    return multipart.createMultipart(this.s3, location, path);
  }

  completeMultipart(
    location: S3Location,
    path: string,
    uploadId: string,
    parts: multipart.UploadedPart[],
  ) {
    return multipart.completeMultipart(this.s3, location, path, uploadId, parts);
  }

  abortMultipart(location: S3Location, path: string, uploadId: string) {
    return multipart.abortMultipart(this.s3, location, path, uploadId);
  }

  listMultipartUploads(location: S3Location) {
    return multipart.listMultipartUploads(this.s3, location);
  }

  head(location: S3Location, path: string) {
    return objects.head(this.s3, location, path);
  }

  sha256(location: S3Location, path: string) {
    return objects.sha256(this.s3, location, path);
  }

  /** Every object under the location with its size (folder placeholders have path ""). */
  list(location: S3Location) {
    return objects.listObjects(this.s3, location);
  }

  deletePrefix(location: S3Location) {
    return objects.deletePrefix(this.s3, location);
  }

  /**
   * Copies every object under `from` to the same relative path under `to`, server-side, and
   * returns the keys written. All or nothing: after a failure, whatever it had written is
   * deleted before the error is thrown, so `to` should be a fresh prefix.
   */
  async copyPrefix(from: S3Location, to: S3Location, options: CopyOptions = {}): Promise<string[]> {
    separate(from, to);
    copySizes(options);
    const listed = (await objects.listObjects(this.s3, from)).filter((o) => o.path !== "");
    return this.copy(from, to, listed, options);
  }

  /**
   * Copies exactly the given files (their paths relative to `from`, sizes as expected) to the
   * same paths under `to`, all or nothing, without listing `from`: only these files move.
   */
  async copyFiles(
    from: S3Location,
    to: S3Location,
    files: { path: string; size: number }[],
    options: CopyOptions = {},
  ): Promise<string[]> {
    separate(from, to);
    copySizes(options);
    const listed = files.map((f) => ({ ...f, key: objectKey(from, f.path) }));
    return this.copy(from, to, listed, options);
  }

  private async copy(
    from: S3Location,
    to: S3Location,
    files: objects.Listed[],
    options: CopyOptions,
  ): Promise<string[]> {
    await copyObjects(
      this.s3,
      files.map((file) => ({
        source: { bucket: from.bucket, key: file.key },
        target: { bucket: to.bucket, key: objectKey(to, file.path) },
        size: file.size,
      })),
      options,
    );
    return files.map((file) => objectKey(to, file.path)).sort();
  }
}

function separate(from: S3Location, to: S3Location): void {
  if (overlaps(from, to)) {
    throw new Error(`copying needs two separate prefixes; ${uriOf(from)} and ${uriOf(to)} overlap`);
  }
}
