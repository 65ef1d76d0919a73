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
