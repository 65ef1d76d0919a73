import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { S3Error } from "./errors.js";
import { deleteKeys } from "./objects.js";
import type { S3Command, S3Transport } from "./transport.js";

export interface CopyOptions {
  /** Larger objects are copied in parts; capped at 5 GiB, the most one CopyObject copies. */
  multipartAboveBytes?: number;
  /** 5 MiB to 5 GiB, S3's bounds for a part; raised when 10,000 parts would not cover an object. */
  partBytes?: number;
}

export interface ObjectCopy {
  source: { bucket: string; key: string };
  target: { bucket: string; key: string };
  size: number;
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const MAX_COPY_OBJECT = 5 * GiB;
const MIN_PART = 5 * MiB;
const MAX_PART = 5 * GiB;
const MAX_PARTS = 10_000;
const DEFAULT_PART = 512 * MiB;
const COPY_CONCURRENCY = 8;

/** CopySource is a URL path: S3 decodes it, so a key with `+` or a space must be encoded. */
const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

/** The options, checked (a RangeError before any S3 call), with their defaults. */
export function copySizes(options: CopyOptions): { threshold: number; partBytes: number } {
  const partBytes = options.partBytes ?? DEFAULT_PART;
  if (partBytes < MIN_PART || partBytes > MAX_PART) {
    throw new RangeError(`partBytes must be from 5 MiB to 5 GiB; got ${partBytes}`);
  }
  return {
    threshold: Math.min(options.multipartAboveBytes ?? MAX_COPY_OBJECT, MAX_COPY_OBJECT),
    partBytes,
  };
}

/**
 * Copies every object server-side, all or nothing: after a failure, whatever it had written is
 * deleted before the error is thrown, so the targets should be fresh keys.
 */
export async function copyObjects(
  s3: S3Transport,
  copies: ObjectCopy[],
  options: CopyOptions = {},
): Promise<void> {
  const { threshold, partBytes } = copySizes(options);
  const copy = new PrefixCopy(s3, threshold, partBytes);
  try {
    await copy.run(copies);
  } catch (error) {
    await undoCopy(s3, copies[0]?.target.bucket ?? "", copy.written, error);
  }
}

async function undoCopy(s3: S3Transport, bucket: string, keys: string[], failure: unknown) {
  try {
    await deleteKeys(s3, bucket, keys);
  } catch (error) {
    const name = error instanceof S3Error ? error.code : (error as Error).name;
    // No bucket, so no copy was ever written to it; a request's limit is thrown as it is.
    if (name === "NoSuchBucket" || !(failure instanceof S3Error)) throw failure;
    throw new S3Error(
      failure.kind,
      `${failure.message}, and removing the ${keys.length} objects it had copied failed too (${name})`,
      failure.code,
    );
  }
  throw failure;
}

/**
 * One copy run: at most COPY_CONCURRENCY requests in flight, and after the first failure no
 * further request is sent, so there is less to undo.
 */
class PrefixCopy {
  /** Keys a request may have created, including one whose answer never arrived. */
  readonly written: string[] = [];
  private readonly limit = pLimit(COPY_CONCURRENCY);
  private failure: unknown = null;

  constructor(
    private readonly s3: S3Transport,
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

  /** Every request of a copy is a write: a copy is never cut off midway. */
  private request<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: S3Command<I, O>,
    writes?: string,
  ): Promise<O> {
    return this.limit(() => {
      if (this.failure !== null) throw this.failure;
      if (writes !== undefined) this.written.push(writes);
      return this.s3.write(command);
    });
  }

  private async copyWhole({ source, target }: ObjectCopy): Promise<void> {
    await this.request(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: copySource(source.bucket, source.key),
      }),
      target.key,
    );
  }

  private async copyInParts({ source, target }: ObjectCopy): Promise<void> {
    const head = await this.request(
      new HeadObjectCommand({ Bucket: source.bucket, Key: source.key }),
    );
    const size = head.ContentLength ?? 0;
    const { UploadId } = await this.request(
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
        this.request(
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
    );
    try {
      const done = parts.map((part, index) => {
        if (part.status === "rejected") throw part.reason;
        return { PartNumber: index + 1, ETag: part.value.CopyPartResult!.ETag };
      });
      await this.request(
        new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: done } }),
        target.key,
      );
    } catch (error) {
      // Not through `request`, which sends nothing after a failure. Best effort: an upload
      // left behind shows in listMultipartUploads for a later sweep.
      await this.s3.write(new AbortMultipartUploadCommand(upload)).catch(() => undefined);
      throw error;
    }
  }
}
