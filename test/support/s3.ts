import { S3Client } from "@aws-sdk/client-s3";
import { testStack } from "./stack.js";

/** A client of the stack's moto, to check what the gateway says against S3 itself. */
export function stackS3(): S3Client {
  const { s3 } = testStack().state;
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}
