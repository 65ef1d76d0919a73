import { createHash } from "node:crypto";
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { expect } from "@jest/globals";
import type { TestGateway } from "./gateway.js";

export interface Started {
  uploadId: string;
  staging: string;
  files: {
    path: string;
    url: string | null;
    partSize: number | null;
    parts: { partNumber: number; url: string }[] | null;
  }[];
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export const mlmodel = Buffer.from(
  "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nmlflow_version: 3.17.2\n",
);

/** What is left under a prefix of the stack's bucket: objects and open multipart uploads. */
export async function objectsLeft(s3: S3Client, prefix: string): Promise<number> {
  const objects = await s3.send(new ListObjectsV2Command({ Bucket: "mlflow", Prefix: prefix }));
  const uploads = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: "mlflow", Prefix: prefix }),
  );
  return (objects.KeyCount ?? 0) + (uploads.Uploads?.length ?? 0);
}

/** The upload's folder as a key prefix of the stack's bucket. */
export const stagingPrefix = (started: Started) =>
  started.staging.replace("s3://mlflow/", "") + "/";

/** An uploading client of one project, as a frontend would be: GraphQL, then PUTs to S3. */
export function uploadClient(gateway: TestGateway, project: string) {
  return {
    start(files: { path: string; size: number; sha256?: string }[], model = "uploaded") {
      return gateway.query<{ startUpload: Started }>(
        `mutation ($input: StartUploadInput!) { startUpload(input: $input) {
          uploadId staging files { path url partSize parts { partNumber url } } } }`,
        { input: { project, model, files } },
      );
    },

    /** Sends each file's bytes to its presigned URLs; returns the part ETags. */
    async send(started: Started, bodies: Record<string, Uint8Array>, skipPart?: number) {
      const parts: { path: string; parts: { partNumber: number; etag: string }[] }[] = [];
      for (const file of started.files) {
        const body = bodies[file.path]!;
        if (file.url) {
          expect((await fetch(file.url, { method: "PUT", body })).status).toBe(200);
          continue;
        }
        const etags = [];
        for (const part of file.parts!) {
          if (part.partNumber === skipPart) continue;
          const chunk = body.subarray(
            (part.partNumber - 1) * file.partSize!,
            part.partNumber * file.partSize!,
          );
          const response = await fetch(part.url, { method: "PUT", body: chunk });
          expect(response.status).toBe(200);
          etags.push({ partNumber: part.partNumber, etag: response.headers.get("etag")! });
        }
        parts.push({ path: file.path, parts: etags });
      }
      return parts;
    },

    complete(uploadId: string, parts: object[]) {
      return gateway.query<{ completeUpload: { status: string } }>(
        `mutation ($input: CompleteUploadInput!) { completeUpload(input: $input) { status } }`,
        { input: { uploadId, parts } },
      );
    },
  };
}
