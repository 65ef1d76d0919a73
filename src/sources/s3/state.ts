import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { UpstreamCalls } from "../calls.js";
import { S3Transport } from "./transport.js";
import { objectKey, type S3Location } from "./uri.js";

/**
 * A conditional write that lost: 409 is another conditional write to the key in flight
 * (AWS); a record deleted since it was read fails If-Match with NoSuchKey.
 */
const LOST = {
  PreconditionFailed: false,
  ConditionalRequestConflict: false,
  NoSuchKey: false,
  412: false,
  409: false,
} as const;

/**
 * Small JSON records under the configured state prefix: what every replica must see
 * (idempotency records, upload sessions), so no request depends on the gateway's memory.
 */
export class S3StateStore {
  private readonly s3: S3Transport;

  constructor(
    client: S3Client,
    calls: UpstreamCalls,
    private readonly root: S3Location,
  ) {
    this.s3 = new S3Transport(client, calls);
  }

  async get<T>(path: string): Promise<T | null> {
    return (await this.read<T>(path))?.value ?? null;
  }

  /** The record and its ETag, for a later `put` with `ifMatch`; null when there is none. */
  read<T>(path: string): Promise<{ value: T; etag: string } | null> {
    return this.s3.read(
      new GetObjectCommand({ Bucket: this.root.bucket, Key: objectKey(this.root, path) }),
      {
        answers: { NoSuchKey: null, NotFound: null },
        async use(response) {
          const value = JSON.parse(await response.Body!.transformToString()) as T;
          return { value, etag: response.ETag ?? "" };
        },
      },
    );
  }

  /**
   * Writes a record; with `onlyIfAbsent`, only when none exists yet (S3's conditional
   * `If-None-Match: *`), with `ifMatch`, only over the version read (`If-Match`), and says
   * whether it wrote, so two replicas cannot both claim or take over a record.
   */
  put(
    path: string,
    value: unknown,
    options: { onlyIfAbsent?: boolean; ifMatch?: string } = {},
  ): Promise<boolean> {
    const conditional = options.onlyIfAbsent === true || options.ifMatch !== undefined;
    return this.s3.write(
      new PutObjectCommand({
        Bucket: this.root.bucket,
        Key: objectKey(this.root, path),
        Body: JSON.stringify(value),
        ContentType: "application/json",
        ...(options.onlyIfAbsent ? { IfNoneMatch: "*" } : {}),
        ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch } : {}),
      }),
      { answers: conditional ? LOST : {}, use: () => true },
    );
  }

  async delete(path: string): Promise<void> {
    await this.s3.write(
      new DeleteObjectCommand({ Bucket: this.root.bucket, Key: objectKey(this.root, path) }),
    );
  }
}
