import type { S3Client } from "@aws-sdk/client-s3";
import type { UpstreamCalls } from "../calls.js";
import { S3Error, toS3Error } from "./errors.js";
import type { S3Location } from "./uri.js";

/** The S3 client and the request's call count that each of its requests is recorded in. */
export interface CountedS3 {
  client: S3Client;
  calls: UpstreamCalls;
}

export const UPSTREAM = "s3";

/** The keys under a location, with the trailing slash that keeps `a/b` from matching `a/bc`. */
export const keyPrefix = (location: S3Location): string =>
  location.prefix === "" ? "" : `${location.prefix}/`;

export const uriOf = (location: S3Location) => `s3://${location.bucket}/${location.prefix}`;

export const overlaps = (a: S3Location, b: S3Location): boolean =>
  a.bucket === b.bucket &&
  (keyPrefix(a).startsWith(keyPrefix(b)) || keyPrefix(b).startsWith(keyPrefix(a)));

export const asS3Error = (error: unknown): S3Error =>
  error instanceof S3Error ? error : toS3Error(error);

/** The SDK's name for a failure (`NoSuchKey`, `NotFound`, …). */
export const errorName = (error: unknown): string => (error as { name?: string }).name ?? "Error";
