import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UpstreamCalls } from "../calls.js";
import type { Answer, SharedReads } from "../shared-reads.js";
import { objectPages } from "./objects.js";
import { S3Transport } from "./transport.js";
import { objectKey, type S3Location } from "./uri.js";

export interface S3Entry {
  /** Relative to the listed prefix; directories end without a slash. */
  path: string;
  isDir: boolean;
  size: number | null;
  lastModified: Date | null;
  etag: string | null;
}

export interface RangedObject {
  body: Buffer;
  /** The whole object's size, from Content-Range; the body may be shorter. */
  size: number;
}

/** What a kept listing is counted as, per entry, against the cache's byte bound. */
const ENTRY_BYTES = 200;

/**
 * S3 as one GraphQL request sees it: every call it sends is counted there. With `kept` (the
 * gateway's cache of S3 reads, `Upstreams.s3Reads`), a listing or an object's start read by
 * an earlier request is answered from memory for `mlflowReads.cacheTtlMs`: a version's files
 * do not change once registered, and no registry event says when they do.
 */
export class S3Store {
  private readonly s3: S3Transport;

  constructor(
    client: S3Client,
    private readonly calls: UpstreamCalls,
    private readonly kept?: SharedReads,
  ) {
    this.s3 = new S3Transport(client, calls);
  }

  /** `load`'s answer, or the one kept for `key`; a kept answer counts as a saved call. */
  private cached<T>(key: string, location: S3Location, load: () => Promise<Answer>): Promise<T> {
    if (!this.kept) return load().then((answer) => answer.value as T);
    return this.kept.read<T>(key, load, (source) => {
      if (source === "called") return;
      this.calls.record("s3", source);
      const project = this.calls.observer.s3Project(location.bucket, location.prefix);
      this.calls.observer.saved("s3", project, source);
    });
  }

  /**
   * Everything under `location/path`: one level (with subfolders as directories) or, when
   * recursive, every object. Follows ListObjectsV2 to its last page (1,000 keys a page).
   */
  list(location: S3Location, path: string, recursive: boolean): Promise<S3Entry[]> {
    const key = JSON.stringify(["list", location.bucket, objectKey(location, path), recursive]);
    return this.cached(key, location, async () => {
      const entries = await this.listNow(location, path, recursive);
      return { value: entries, bytes: ENTRY_BYTES * (entries.length + 1) };
    });
  }

  private async listNow(location: S3Location, path: string, recursive: boolean) {
    const base = objectKey(location, path);
    const prefix = base === "" ? "" : `${base}/`;
    const entries: S3Entry[] = [];
    const pages = objectPages(this.s3, {
      Bucket: location.bucket,
      Prefix: prefix,
      Delimiter: recursive ? undefined : "/",
    });
    for await (const page of pages) {
      for (const dir of page.CommonPrefixes ?? []) {
        const name = dir.Prefix!.slice(prefix.length).replace(/\/$/, "");
        entries.push({ path: name, isDir: true, size: null, lastModified: null, etag: null });
      }
      for (const object of page.Contents ?? []) {
        if (object.Key === prefix) continue; // a "folder" placeholder object
        entries.push({
          path: object.Key!.slice(prefix.length),
          isDir: false,
          size: object.Size ?? null,
          lastModified: object.LastModified ?? null,
          etag: object.ETag?.replace(/"/g, "") ?? null,
        });
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /**
   * The first `maxBytes` of an object, plus its full size, or null when there is no such
   * object. Reads the body to the end, so no socket is left holding it.
   */
  async readStart(
    location: S3Location,
    path: string,
    maxBytes: number,
  ): Promise<RangedObject | null> {
    const key = JSON.stringify(["read", location.bucket, objectKey(location, path), maxBytes]);
    const kept = await this.cached<RangedObject | null>(key, location, async () => {
      const read = await this.readStartNow(location, path, maxBytes);
      return { value: read, bytes: (read?.body.length ?? 0) + ENTRY_BYTES };
    });
    // A kept body is shared by every request: each gets its own copy to read.
    return kept && this.kept ? { body: Buffer.from(kept.body), size: kept.size } : kept;
  }

  private readStartNow(
    location: S3Location,
    path: string,
    maxBytes: number,
  ): Promise<RangedObject | null> {
    return this.s3.read(
      new GetObjectCommand({
        Bucket: location.bucket,
        Key: objectKey(location, path),
        Range: `bytes=0-${Math.max(0, maxBytes - 1)}`,
      }),
      {
        // An empty object has no byte 0 to range over.
        answers: {
          NoSuchKey: null,
          NotFound: null,
          InvalidRange: { body: Buffer.alloc(0), size: 0 },
        },
        async use(response) {
          const body = Buffer.from(await response.Body!.transformToByteArray());
          const total = /\/(\d+)$/.exec(response.ContentRange ?? "")?.[1];
          return { body, size: total ? Number(total) : body.length };
        },
      },
    );
  }

  /** A presigned GET: computed locally from the credentials, no call to S3. */
  presignGet(location: S3Location, path: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.s3.client,
      new GetObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
      { expiresIn: expiresInSeconds },
    );
  }
}
