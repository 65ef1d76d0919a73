import { s3UriPattern } from "../../config/schema.js";

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing slash; "" for the bucket root. */
  prefix: string;
}

export function parseS3Uri(uri: string): S3Location | null {
  const match = s3UriPattern.exec(uri);
  if (!match) return null;
  return { bucket: match[1]!, prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, "") };
}

export const uriOf = (location: S3Location) => `s3://${location.bucket}/${location.prefix}`;

export const objectKey = (location: S3Location, path: string): string =>
  [location.prefix, path].filter((part) => part !== "").join("/");

/** The keys under a location, with the trailing slash that keeps `a/b` from matching `a/bc`. */
export const keyPrefix = (location: S3Location): string =>
  location.prefix === "" ? "" : `${location.prefix}/`;

export const overlaps = (a: S3Location, b: S3Location): boolean =>
  a.bucket === b.bucket &&
  (keyPrefix(a).startsWith(keyPrefix(b)) || keyPrefix(b).startsWith(keyPrefix(a)));
