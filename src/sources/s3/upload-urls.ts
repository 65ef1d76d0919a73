import { PutObjectCommand, type S3Client, UploadPartCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { objectKey, type S3Location } from "./uri.js";

// Presigned upload URLs are computed locally from the credentials: no request, nothing counted.
// Each signs the exact Content-Length it was issued for (X-Amz-SignedHeaders has
// content-length), so S3 refuses a body of any other length with 403 SignatureDoesNotMatch:
// a URL issued for a 1 KiB file cannot store 5 GiB.

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

/** A URL a client PUTs one object of exactly `size` bytes to (up to 5 GiB). */
export function presignPut(
  client: S3Client,
  location: S3Location,
  path: string,
  size: number,
  expiresIn: number,
): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: location.bucket,
    Key: objectKey(location, path),
    ContentLength: size,
  });
  return getSignedUrl(client, withoutChecksum(command), { expiresIn });
}

/** A URL for one part (1 to 10,000) of exactly `size` bytes. */
export function presignPart(
  client: S3Client,
  target: { location: S3Location; path: string; uploadId: string },
  part: { number: number; size: number },
  expiresIn: number,
): Promise<string> {
  const command = new UploadPartCommand({
    Bucket: target.location.bucket,
    Key: objectKey(target.location, target.path),
    UploadId: target.uploadId,
    PartNumber: part.number,
    ContentLength: part.size,
  });
  return getSignedUrl(client, withoutChecksum(command), { expiresIn });
}
