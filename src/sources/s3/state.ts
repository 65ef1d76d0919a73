import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { UpstreamCalls } from "../calls.js";
import { toS3Error } from "./errors.js";
import { objectKey } from "./store.js";
import type { S3Location } from "./uri.js";

/**
 * Small JSON records under the configured state prefix: what every replica must see
 * (idempotency records, upload sessions), so no request depends on the gateway's memory.
 */
export class S3StateStore {
  constructor(
    private readonly client: S3Client,
    private readonly calls: UpstreamCalls,
    private readonly root: S3Location,
  ) {}

  async get<T>(path: string): Promise<T | null> {
    return (await this.read<T>(path))?.value ?? null;
  }

  /** The record and its ETag, for a later `put` with `ifMatch`; null when there is none. */
  async read<T>(path: string): Promise<{ value: T; etag: string } | null> {
    this.calls.record("s3");
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.root.bucket, Key: objectKey(this.root, path) }),
      );
      const value = JSON.parse(await response.Body!.transformToString()) as T;
      return { value, etag: response.ETag ?? "" };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") return null;
      throw toS3Error(error);
    }
  }

  /**
   * Writes a record; with `onlyIfAbsent`, only when none exists yet (S3's conditional
   * `If-None-Match: *`), with `ifMatch`, only over the version read (`If-Match`), and says
   * whether it wrote, so two replicas cannot both claim or take over a record.
   */
  async put(
    path: string,
    value: unknown,
    options: { onlyIfAbsent?: boolean; ifMatch?: string } = {},
  ): Promise<boolean> {
    const conditional = options.onlyIfAbsent === true || options.ifMatch !== undefined;
    this.calls.record("s3");
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.root.bucket,
          Key: objectKey(this.root, path),
          Body: JSON.stringify(value),
          ContentType: "application/json",
          ...(options.onlyIfAbsent ? { IfNoneMatch: "*" } : {}),
          ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch } : {}),
        }),
      );
      return true;
    } catch (error) {
      const name = (error as { name?: string }).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      // 409: another conditional write to the key was in flight (AWS); a record deleted since
      // it was read fails If-Match with NoSuchKey.
      const lost =
        name === "PreconditionFailed" ||
        name === "ConditionalRequestConflict" ||
        name === "NoSuchKey" ||
        status === 412 ||
        status === 409;
      if (conditional && lost) return false;
      throw toS3Error(error);
    }
  }

  async delete(path: string): Promise<void> {
    this.calls.record("s3");
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.root.bucket, Key: objectKey(this.root, path) }),
      );
    } catch (error) {
      throw toS3Error(error);
    }
  }
}
