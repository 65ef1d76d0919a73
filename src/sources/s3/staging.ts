import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import pLimit from "p-limit";
import type { UpstreamCalls } from "../calls.js";
import { S3Error, toS3Error } from "./errors.js";
import { objectKey } from "./store.js";
import type { S3Location } from "./uri.js";

export interface UploadedPart {
  partNumber: number;
  /** As S3 answered the part's PUT, quoted or not. */
  etag: string;
}

export interface CopyOptions {
  /** Larger objects are copied in parts; capped at 5 GiB, the most one CopyObject copies. */
  multipartAboveBytes?: number;
  /** 5 MiB to 5 GiB, S3's bounds for a part; raised when 10,000 parts would not cover an object. */
  partBytes?: number;
}

const UPSTREAM = "s3";
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const MAX_COPY_OBJECT = 5 * GiB;
const MIN_PART = 5 * MiB;
const MAX_PART = 5 * GiB;
const MAX_PARTS = 10_000;
const DEFAULT_PART = 512 * MiB;
const DELETE_BATCH = 1000;
const COPY_CONCURRENCY = 8;

/** The keys under a location, with the trailing slash that keeps `a/b` from matching `a/bc`. */
const keyPrefix = (location: S3Location): string =>
  location.prefix === "" ? "" : `${location.prefix}/`;

const uri = (location: S3Location) => `s3://${location.bucket}/${location.prefix}`;

/** CopySource is a URL path: S3 decodes it, so a key with `+` or a space must be encoded. */
const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

const overlaps = (a: S3Location, b: S3Location): boolean =>
  a.bucket === b.bucket &&
  (keyPrefix(a).startsWith(keyPrefix(b)) || keyPrefix(b).startsWith(keyPrefix(a)));

const asS3Error = (error: unknown): S3Error =>
  error instanceof S3Error ? error : toS3Error(error);

/**
 * The SDK signs its default CRC32 into a presigned upload before any body exists: the checksum
 * of nothing, which real S3 then holds every uploaded body to (aws-sdk-js-v3#6994).
 */
function withoutChecksum<C extends PutObjectCommand | UploadPartCommand>(command: C): C {
  (command as PutObjectCommand).middlewareStack.add(
    (next) => (args) => {
      const { headers } = args.request as { headers: Record<string, string> };
      for (const name of Object.keys(headers)) {
        if (/^x-amz-(sdk-)?checksum-/.test(name)) delete headers[name];
      }
      return next(args);
    },
    { step: "build", priority: "low" },
  );
  return command;
}

interface Listed {
  key: string;
  /** Relative to the listed location; "" for its folder placeholder object. */
  path: string;
  size: number;
}

/**
 * The S3 writes behind uploads and promotions: clients send bytes to presigned URLs and S3
 * copies server-side, so no object's bytes pass through the gateway. Each request is counted.
 */
export class S3Staging {
  constructor(
    private readonly client: S3Client,
    private readonly calls: UpstreamCalls,
  ) {}

  /** A URL a client PUTs one object's bytes to (up to 5 GiB). Computed locally, not counted. */
  presignPut(location: S3Location, path: string, expiresIn: number): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: location.bucket,
      Key: objectKey(location, path),
    });
    return getSignedUrl(this.client, withoutChecksum(command), { expiresIn });
  }

  async createMultipart(location: S3Location, path: string): Promise<string> {
    this.calls.record(UPSTREAM);
    try {
      const { UploadId } = await this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: location.bucket,
          Key: objectKey(location, path),
        }),
      );
      return UploadId!;
    } catch (error) {
      throw toS3Error(error);
    }
  }

  /** A URL for one part (1 to 10,000); every part but the last must be at least 5 MiB. */
  presignPart(
    location: S3Location,
    path: string,
    uploadId: string,
    partNumber: number,
    expiresIn: number,
  ): Promise<string> {
    const command = new UploadPartCommand({
      Bucket: location.bucket,
      Key: objectKey(location, path),
      UploadId: uploadId,
      PartNumber: partNumber,
    });
    return getSignedUrl(this.client, withoutChecksum(command), { expiresIn });
  }

  async completeMultipart(
    location: S3Location,
    path: string,
    uploadId: string,
    parts: UploadedPart[],
  ): Promise<void> {
    // S3 wants the parts in ascending order and each ETag quoted, as its PUT answer had it.
    const sorted = [...parts]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((part) => ({ PartNumber: part.partNumber, ETag: `"${part.etag.replace(/"/g, "")}"` }));
    this.calls.record(UPSTREAM);
    try {
      await this.client.send(
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
  async abortMultipart(location: S3Location, path: string, uploadId: string): Promise<void> {
    this.calls.record(UPSTREAM);
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: location.bucket,
          Key: objectKey(location, path),
          UploadId: uploadId,
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchUpload") return;
      throw toS3Error(error);
    }
  }

  /** Uploads begun under the location and neither completed nor aborted. */
  async listMultipartUploads(location: S3Location): Promise<{ key: string; uploadId: string }[]> {
    const uploads: { key: string; uploadId: string }[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    try {
      // The SDK has no paginator for ListMultipartUploads: it pages by two markers.
      for (;;) {
        this.calls.record(UPSTREAM);
        const page = await this.client.send(
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

  /** Size and ETag (unquoted), or null when there is no such object. */
  async head(
    location: S3Location,
    path: string,
  ): Promise<{ size: number; etag: string | null } | null> {
    this.calls.record(UPSTREAM);
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
      );
      return { size: response.ContentLength ?? 0, etag: response.ETag?.replace(/"/g, "") ?? null };
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "NotFound" || name === "NoSuchKey") return null;
      throw toS3Error(error);
    }
  }

  /** Hex SHA-256 of an object's bytes, hashed as they stream in: objects may be gigabytes. */
  async sha256(location: S3Location, path: string): Promise<string> {
    this.calls.record(UPSTREAM);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
      );
      const hash = createHash("sha256");
      // Leaving the loop early, on error too, destroys the stream.
      for await (const chunk of response.Body as Readable) hash.update(chunk as Buffer);
      return hash.digest("hex");
    } catch (error) {
      throw toS3Error(error);
    }
  }

  /**
   * Copies every object under `from` to the same relative path under `to`, server-side, and
   * returns the keys written. All or nothing: after a failure, whatever it had written is
   * deleted before the error is thrown, so `to` should be a fresh prefix.
   */
  async copyPrefix(from: S3Location, to: S3Location, options: CopyOptions = {}): Promise<string[]> {
    if (overlaps(from, to)) {
      throw new Error(
        `copyPrefix needs two separate prefixes; ${uri(from)} and ${uri(to)} overlap`,
      );
    }
    const partBytes = options.partBytes ?? DEFAULT_PART;
    if (partBytes < MIN_PART || partBytes > MAX_PART) {
      throw new RangeError(`partBytes must be from 5 MiB to 5 GiB; got ${partBytes}`);
    }
    const threshold = Math.min(options.multipartAboveBytes ?? MAX_COPY_OBJECT, MAX_COPY_OBJECT);
    let objects: Listed[];
    try {
      objects = (await this.listObjects(from)).filter((object) => object.path !== "");
    } catch (error) {
      throw toS3Error(error);
    }
    const copy = new PrefixCopy(this.client, this.calls, threshold, partBytes);
    try {
      await copy.run(
        objects.map((object) => ({
          source: { bucket: from.bucket, key: object.key },
          target: { bucket: to.bucket, key: objectKey(to, object.path) },
          size: object.size,
        })),
      );
    } catch (error) {
      return this.undoCopy(to.bucket, copy.written, error);
    }
    return objects.map((object) => objectKey(to, object.path)).sort();
  }

  /** Deletes every object under the location, the bucket root excepted; returns how many. */
  async deletePrefix(location: S3Location): Promise<number> {
    if (location.prefix === "") {
      throw new Error(`deletePrefix refuses a bucket's root; got ${uri(location)}`);
    }
    try {
      const keys = (await this.listObjects(location)).map((object) => object.key);
      await this.deleteKeys(location.bucket, keys);
      return keys.length;
    } catch (error) {
      throw asS3Error(error);
    }
  }

  private async undoCopy(bucket: string, keys: string[], cause: unknown): Promise<never> {
    const failure = asS3Error(cause);
    try {
      await this.deleteKeys(bucket, keys);
    } catch (error) {
      const name = (error as { name?: string }).name ?? "Error";
      // No bucket, so no copy was ever written to it.
      if (name === "NoSuchBucket") throw failure;
      throw new S3Error(
        failure.kind,
        `${failure.message}, and removing the ${keys.length} objects it had copied failed too (${name})`,
      );
    }
    throw failure;
  }

  private async deleteKeys(bucket: string, keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      this.calls.record(UPSTREAM);
      const { Errors } = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // DeleteObjects answers 200 even when some keys were not deleted.
      if (Errors?.length) {
        throw Object.assign(new Error(`${Errors.length} keys not deleted`), {
          name: Errors[0]!.Code ?? "DeleteFailed",
        });
      }
    }
  }

  /** Every object under the location, folder placeholder included, one counted call a page. */
  private async listObjects(location: S3Location): Promise<Listed[]> {
    const prefix = keyPrefix(location);
    const objects: Listed[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: location.bucket, Prefix: prefix },
    );
    this.calls.record(UPSTREAM);
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        objects.push({
          key: object.Key!,
          path: object.Key!.slice(prefix.length),
          size: object.Size ?? 0,
        });
      }
      if (page.IsTruncated) this.calls.record(UPSTREAM);
    }
    return objects;
  }
}

interface ObjectCopy {
  source: { bucket: string; key: string };
  target: { bucket: string; key: string };
  size: number;
}

/**
 * One copyPrefix run: at most COPY_CONCURRENCY requests in flight, and after the first
 * failure no further request is sent, so there is less to undo.
 */
class PrefixCopy {
  /** Keys a request may have created, including one whose answer never arrived. */
  readonly written: string[] = [];
  private readonly limit = pLimit(COPY_CONCURRENCY);
  private failure: unknown = null;

  constructor(
    private readonly client: S3Client,
    private readonly calls: UpstreamCalls,
    private readonly threshold: number,
    private readonly partBytes: number,
  ) {}

  async run(copies: ObjectCopy[]): Promise<void> {
    await Promise.all(
      copies.map(async (copy) => {
        try {
          if (copy.size > this.threshold) await this.copyInParts(copy);
          else await this.copyWhole(copy);
        } catch (error) {
          this.failure ??= error;
        }
      }),
    );
    if (this.failure !== null) throw this.failure;
  }

  private request<T>(send: () => Promise<T>, writes?: string): Promise<T> {
    return this.limit(() => {
      if (this.failure !== null) throw this.failure;
      this.calls.record(UPSTREAM);
      if (writes !== undefined) this.written.push(writes);
      return send();
    });
  }

  private async copyWhole({ source, target }: ObjectCopy): Promise<void> {
    await this.request(
      () =>
        this.client.send(
          new CopyObjectCommand({
            Bucket: target.bucket,
            Key: target.key,
            CopySource: copySource(source.bucket, source.key),
          }),
        ),
      target.key,
    );
  }

  private async copyInParts({ source, target }: ObjectCopy): Promise<void> {
    const from = { Bucket: source.bucket, Key: source.key };
    const head = await this.request(() => this.client.send(new HeadObjectCommand(from)));
    const size = head.ContentLength ?? 0;
    const { UploadId } = await this.request(() =>
      this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: target.bucket,
          Key: target.key,
          // A multipart copy starts a new object: what CopyObject would keep must be passed on.
          ContentType: head.ContentType,
          ContentEncoding: head.ContentEncoding,
          ContentDisposition: head.ContentDisposition,
          ContentLanguage: head.ContentLanguage,
          CacheControl: head.CacheControl,
          Metadata: head.Metadata,
        }),
      ),
    );
    const upload = { Bucket: target.bucket, Key: target.key, UploadId };
    const partSize = Math.max(this.partBytes, Math.ceil(size / MAX_PARTS));
    const ranges: string[] = [];
    for (let start = 0; start < size; start += partSize) {
      ranges.push(`bytes=${start}-${Math.min(start + partSize, size) - 1}`);
    }
    // Settled, not raced: an abort while a part is still being copied may leave that part.
    const parts = await Promise.allSettled(
      ranges.map((range, index) =>
        this.request(() =>
          this.client.send(
            new UploadPartCopyCommand({
              ...upload,
              PartNumber: index + 1,
              CopySource: copySource(source.bucket, source.key),
              CopySourceRange: range,
              // Every part from the same version of the source, even if it is overwritten meanwhile.
              CopySourceIfMatch: head.ETag,
            }),
          ),
        ),
      ),
    );
    try {
      const done = parts.map((part, index) => {
        if (part.status === "rejected") throw part.reason;
        return { PartNumber: index + 1, ETag: part.value.CopyPartResult!.ETag };
      });
      await this.request(
        () =>
          this.client.send(
            new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: done } }),
          ),
        target.key,
      );
    } catch (error) {
      this.calls.record(UPSTREAM);
      // Best effort: an upload left behind shows in listMultipartUploads for a later sweep.
      await this.client.send(new AbortMultipartUploadCommand(upload)).catch(() => undefined);
      throw error;
    }
  }
}
