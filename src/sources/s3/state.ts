import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { UpstreamCalls } from "../calls.js";
import { S3Transport, UPSTREAM } from "./transport.js";
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

/** S3 returns at most this many keys per listing call. */
const LIST_PAGE = 1000;

/**
 * Small JSON records under the configured state prefix: what every replica must see
 * (idempotency records, upload sessions, the audit log), so no request depends on the
 * gateway's memory. Calls are counted as `upstream` ("s3", or "s3:audit" for the audit log's).
 */
export class S3StateStore {
  private readonly s3: S3Transport;

  constructor(
    client: S3Client,
    calls: UpstreamCalls,
    private readonly root: S3Location,
    upstream = UPSTREAM,
  ) {
    this.s3 = new S3Transport(client, calls, upstream);
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

  /**
   * The names (relative to `prefix`, which ends with "/") of at most `max` records under it,
   * in key order, after `startAfter` when given; and whether more follow. Stops listing as
   * soon as it has one more than `max`.
   */
  async list(
    prefix: string,
    options: { max: number; startAfter?: string },
  ): Promise<{ names: string[]; more: boolean }> {
    const base = objectKey(this.root, prefix);
    const names: string[] = [];
    let truncated = false;
    const pages = this.s3.pages(
      (input: ListObjectsV2CommandInput) =>
        new ListObjectsV2Command({
          ...input,
          MaxKeys: Math.min(LIST_PAGE, options.max + 1 - names.length),
        }),
      {
        Bucket: this.root.bucket,
        Prefix: base,
        StartAfter: options.startAfter === undefined ? undefined : base + options.startAfter,
      },
      (page) => (page.IsTruncated ? { ContinuationToken: page.NextContinuationToken } : undefined),
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) names.push(object.Key!.slice(base.length));
      truncated = page.IsTruncated === true;
      if (names.length > options.max) break;
    }
    return { names: names.slice(0, options.max), more: names.length > options.max || truncated };
  }
}
