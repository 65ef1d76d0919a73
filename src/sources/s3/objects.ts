import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { asS3Error, type CountedS3, errorName, keyPrefix, UPSTREAM, uriOf } from "./counted.js";
import { toS3Error } from "./errors.js";
import { objectKey } from "./store.js";
import type { S3Location } from "./uri.js";

const DELETE_BATCH = 1000;

export interface Listed {
  key: string;
  /** Relative to the listed location; "" for its folder placeholder object. */
  path: string;
  size: number;
}

/** Size and ETag (unquoted), or null when there is no such object. */
export async function head(
  { client, calls }: CountedS3,
  location: S3Location,
  path: string,
): Promise<{ size: number; etag: string | null } | null> {
  calls.record(UPSTREAM);
  try {
    const response = await client.send(
      new HeadObjectCommand({ Bucket: location.bucket, Key: objectKey(location, path) }),
    );
    return { size: response.ContentLength ?? 0, etag: response.ETag?.replace(/"/g, "") ?? null };
  } catch (error) {
    const name = errorName(error);
    if (name === "NotFound" || name === "NoSuchKey") return null;
    throw toS3Error(error);
  }
}

/** Hex SHA-256 of an object's bytes, hashed as they stream in: objects may be gigabytes. */
export async function sha256(
  { client, calls }: CountedS3,
  location: S3Location,
  path: string,
): Promise<string> {
  calls.record(UPSTREAM);
  try {
    const response = await client.send(
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

/** Every object under the location, folder placeholder included, one counted call a page. */
export async function listObjects(
  { client, calls }: CountedS3,
  location: S3Location,
): Promise<Listed[]> {
  const prefix = keyPrefix(location);
  const objects: Listed[] = [];
  const pages = paginateListObjectsV2({ client }, { Bucket: location.bucket, Prefix: prefix });
  calls.record(UPSTREAM);
  try {
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        objects.push({
          key: object.Key!,
          path: object.Key!.slice(prefix.length),
          size: object.Size ?? 0,
        });
      }
      if (page.IsTruncated) calls.record(UPSTREAM);
    }
  } catch (error) {
    throw toS3Error(error);
  }
  return objects;
}

/** Deletes the keys, a thousand a request; throws with S3's code if any was not deleted. */
export async function deleteKeys(
  { client, calls }: CountedS3,
  bucket: string,
  keys: string[],
): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    calls.record(UPSTREAM);
    const { Errors } = await client.send(
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

/** Deletes every object under the location, the bucket root excepted; returns how many. */
export async function deletePrefix(s3: CountedS3, location: S3Location): Promise<number> {
  if (location.prefix === "") {
    throw new Error(`deletePrefix refuses a bucket's root; got ${uriOf(location)}`);
  }
  try {
    const keys = (await listObjects(s3, location)).map((object) => object.key);
    await deleteKeys(s3, location.bucket, keys);
    return keys.length;
  } catch (error) {
    throw asS3Error(error);
  }
}
