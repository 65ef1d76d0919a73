import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { S3Config } from "../../config/schema.js";

/** The gateway's one S3 client: keep-alive sockets and explicit timeouts (the SDK sets none). */
export function createS3Client(config: S3Config): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: config.timeoutMs,
      // Until the answer's headers arrive (a body may then stream for longer); without
      // throwOnRequestTimeout the SDK only logs a warning and waits on.
      requestTimeout: config.timeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
}

export interface BucketStatus {
  bucket: string;
  up: boolean;
  latencyMs: number;
  error: string | null;
}

/**
 * HEAD on a bucket: reachable and allowed, without listing anything. Never throws. Sent on
 * the client, not through S3Transport: readiness belongs to no GraphQL request, so there is
 * no call count or request signal for it; the client's timeouts bound it.
 */
export async function probeBucket(client: S3Client, bucket: string): Promise<BucketStatus> {
  const started = performance.now();
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return { bucket, up: true, latencyMs: Math.round(performance.now() - started), error: null };
  } catch (error) {
    const name = (error as Error).name || "Error";
    return {
      bucket,
      up: false,
      latencyMs: Math.round(performance.now() - started),
      error: `S3 bucket "${bucket}" is not reachable (${name})`,
    };
  }
}
