import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
} from "@aws-sdk/client-s3";
import type { S3Transport } from "./transport.js";
import { keyPrefix, objectKey, type S3Location, uriOf } from "./uri.js";

const DELETE_BATCH = 1000;

export interface Listed {
  key: string;
  /** Relative to the listed location; "" for its folder placeholder object. */
  path: string;
  size: number;
}

/** Every page of a ListObjectsV2 listing, one counted call a page. */
export function objectPages(s3: S3Transport, input: ListObjectsV2CommandInput) {
  return s3.pages(
    (page) => new ListObjectsV2Command(page),
    input,
    (page) =>
      page.IsTruncated && page.NextContinuationToken
        ? { ContinuationToken: page.NextContinuationToken }
        : undefined,
  );
}

/** Size and ETag (unquoted), or null when there is no such object. */
export async function head(
  s3: S3Transport,
  location: S3Location,
  path: string,
): Promise<{ size: number; etag: string | null } | null> {
  const response = await s3.read(
    new HeadObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
    { answers: { NotFound: null, NoSuchKey: null } },
  );
  if (response === null) return null;
  return { size: response.ContentLength ?? 0, etag: response.ETag?.replace(/"/g, "") ?? null };
}

/** Hex SHA-256 of an object's bytes, hashed as they stream in: objects may be gigabytes. */
export function sha256(s3: S3Transport, location: S3Location, path: string): Promise<string> {
  return s3.read(
    new GetObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
    {
      async use(response) {
        const hash = createHash("sha256");
        // Leaving the loop early, on error too, destroys the stream.
        for await (const chunk of response.Body as Readable) hash.update(chunk as Buffer);
        return hash.digest("hex");
      },
    },
  );
}

/** Every object under the location, folder placeholder included, one counted call a page. */
export async function listObjects(s3: S3Transport, location: S3Location): Promise<Listed[]> {
  const prefix = keyPrefix(location);
  const objects: Listed[] = [];
  for await (const page of objectPages(s3, { Bucket: location.bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      objects.push({
        key: object.Key!,
        path: object.Key!.slice(prefix.length),
        size: object.Size ?? 0,
      });
    }
  }
  return objects;
}

/** Deletes the keys, a thousand a request; throws with S3's code if any was not deleted. */
export async function deleteKeys(s3: S3Transport, bucket: string, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    await s3.write(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
      {
        // DeleteObjects answers 200 even when some keys were not deleted.
        use({ Errors }) {
          if (!Errors?.length) return;
          const name = Errors[0]!.Code ?? "DeleteFailed";
          throw Object.assign(new Error(`${Errors.length} keys not deleted`), { name });
        },
      },
    );
  }
}

/** Deletes every object under the location, the bucket root excepted; returns how many. */
export async function deletePrefix(s3: S3Transport, location: S3Location): Promise<number> {
  if (location.prefix === "") {
    throw new Error(`deletePrefix refuses a bucket's root; got ${uriOf(location)}`);
  }
  const keys = (await listObjects(s3, location)).map((object) => object.key);
  await deleteKeys(s3, location.bucket, keys);
  return keys.length;
}
