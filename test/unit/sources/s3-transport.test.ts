import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "@jest/globals";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { RequestLimitError } from "../../../src/sources/request-limits.js";
import { S3Error } from "../../../src/sources/s3/errors.js";
import { S3Transport } from "../../../src/sources/s3/transport.js";
import { GatewayMetrics } from "../../../src/telemetry/metrics.js";
import { upstreamObserver } from "../../../src/telemetry/upstream.js";
import { parseSamples } from "../../support/prometheus.js";

interface Sent {
  command: string;
  input: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

type Answer = (sent: Sent) => unknown;

/** An S3Client whose `send` answers with `answer`, and that keeps what it was sent. */
function fakeClient(answer: Answer = () => ({})) {
  const sent: Sent[] = [];
  const client = {
    async send(command: object, options?: { abortSignal?: AbortSignal }) {
      const request = {
        command: command.constructor.name,
        input: (command as { input: Record<string, unknown> }).input,
        signal: options?.abortSignal,
      };
      sent.push(request);
      return answer(request);
    },
  } as unknown as S3Client;
  return { client, sent };
}

/** A failure as the SDK throws it: S3's error name and the HTTP status. */
const s3Failure = (name: string, status = 400) =>
  Object.assign(new Error(`S3 said ${name}`), { name, $metadata: { httpStatusCode: status } });

const head = () => new HeadObjectCommand({ Bucket: "b", Key: "k" });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("S3Transport", () => {
  it("counts each request it sends under s3 and returns S3's answer", async () => {
    const { client, sent } = fakeClient(() => ({ ContentLength: 3 }));
    const calls = new UpstreamCalls();
    const s3 = new S3Transport(client, calls);

    expect(await s3.read(head())).toEqual({ ContentLength: 3 });
    await s3.write(new DeleteObjectCommand({ Bucket: "b", Key: "k" }));

    expect(sent.map((s) => s.command)).toEqual(["HeadObjectCommand", "DeleteObjectCommand"]);
    expect(calls.toJSON()).toEqual({ total: 2, byUpstream: { s3: 2 }, shared: 0, cached: 0 });
  });

  it("refuses a call past the request's budget before sending it", async () => {
    const { client, sent } = fakeClient();
    const calls = new UpstreamCalls({ maxCalls: 1 });
    const s3 = new S3Transport(client, calls);
    await s3.read(head());

    const refused = await rejection(s3.read(head()));

    expect(refused).toBeInstanceOf(RequestLimitError);
    expect(refused).toMatchObject({ kind: "BUDGET", limit: { budget: 1 } });
    expect(sent).toHaveLength(1);
    expect(calls.total).toBe(1);
  });

  it("stops a read under way when the request is aborted, with the request's reason", async () => {
    const { client, sent } = fakeClient(
      ({ signal }) =>
        new Promise((_, reject) =>
          signal!.addEventListener("abort", () => reject(s3Failure("AbortError", 0))),
        ),
    );
    const abort = new AbortController();
    const s3 = new S3Transport(client, new UpstreamCalls({ signal: abort.signal }));

    const read = rejection(s3.read(head()));
    const deadline = RequestLimitError.timeout(250);
    abort.abort(deadline);

    expect(await read).toBe(deadline);
    expect(sent[0]!.signal).toBe(abort.signal);
    // Once aborted, nothing more is sent.
    expect(await rejection(s3.read(head()))).toBe(deadline);
    expect(sent).toHaveLength(1);
  });

  it("sends writes, and reads of a mutation running whole, without the request's signal", async () => {
    const { client, sent } = fakeClient();
    const abort = new AbortController();
    const calls = new UpstreamCalls({ signal: abort.signal });
    const s3 = new S3Transport(client, calls);

    await s3.write(new DeleteObjectCommand({ Bucket: "b", Key: "k" }));
    await calls.whole(() => s3.read(head()));
    await s3.read(head());

    expect(sent.map((s) => s.signal)).toEqual([undefined, undefined, abort.signal]);
  });

  it.each([
    ["TimeoutError", "TIMEOUT", "S3 timed out"],
    ["RequestTimeout", "TIMEOUT", "S3 timed out"],
    ["AccessDenied", "FORBIDDEN", "S3 refused the gateway's credentials (AccessDenied)"],
    [
      "InvalidAccessKeyId",
      "FORBIDDEN",
      "S3 refused the gateway's credentials (InvalidAccessKeyId)",
    ],
    ["NoSuchBucket", "UNAVAILABLE", "S3 failed (NoSuchBucket)"],
  ])("fails with %s as an S3Error of kind %s", async (name, kind, message) => {
    const { client } = fakeClient(() => {
      throw s3Failure(name);
    });
    const s3 = new S3Transport(client, new UpstreamCalls());

    const error = await rejection(s3.read(head()));

    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({ kind, message, code: name });
  });

  it("returns a caller's answer for the error names and statuses it named, and only those", async () => {
    const failures = [
      s3Failure("NoSuchKey", 404),
      s3Failure("Unknown", 412),
      s3Failure("Gone", 410),
    ];
    const { client } = fakeClient(() => {
      throw failures.shift();
    });
    const s3 = new S3Transport(client, new UpstreamCalls());
    const answers = { NoSuchKey: null, NotFound: null, 412: false } as const;

    expect(await s3.read(head(), { answers })).toBeNull();
    const put = new PutObjectCommand({ Bucket: "b", Key: "k", Body: "{}", IfNoneMatch: "*" });
    expect(await s3.write(put, { answers })).toBe(false);
    expect(await rejection(s3.read(head(), { answers }))).toMatchObject({
      message: "S3 failed (Gone)",
    });
  });

  it("reads the answer within the call: what it returns, or its failure as an S3Error", async () => {
    const body = (text: string) => ({ Body: { transformToString: async () => text } });
    const bodies = [body('{"state":"done"}'), body("<html>")];
    const { client } = fakeClient(() => bodies.shift());
    const s3 = new S3Transport(client, new UpstreamCalls());
    const get = () =>
      s3.read(new GetObjectCommand({ Bucket: "b", Key: "k" }), {
        use: async (response) => JSON.parse(await response.Body!.transformToString()) as unknown,
      });

    expect(await get()).toEqual({ state: "done" });
    expect(await rejection(get())).toMatchObject({
      kind: "UNAVAILABLE",
      message: "S3 failed (SyntaxError)",
    });
  });

  it("pages a listing with each page's token, one counted call a page", async () => {
    const pages = [
      { Contents: [{ Key: "a" }], IsTruncated: true, NextContinuationToken: "t1" },
      { Contents: [{ Key: "b" }], IsTruncated: true, NextContinuationToken: "t2" },
      { Contents: [{ Key: "c" }], IsTruncated: false },
    ];
    const { client, sent } = fakeClient(() => pages.shift());
    const calls = new UpstreamCalls();
    const s3 = new S3Transport(client, calls);

    const keys: string[] = [];
    const listing = s3.pages(
      (input: ListObjectsV2CommandInput) => new ListObjectsV2Command(input),
      { Bucket: "b", Prefix: "p/" },
      (page) => (page.IsTruncated ? { ContinuationToken: page.NextContinuationToken } : undefined),
    );
    for await (const page of listing) keys.push(...(page.Contents ?? []).map((o) => o.Key!));

    expect(keys).toEqual(["a", "b", "c"]);
    expect(sent.map((s) => s.input.ContinuationToken)).toEqual([undefined, "t1", "t2"]);
    expect(sent.every((s) => s.input.Prefix === "p/")).toBe(true);
    expect(calls.total).toBe(3);
  });

  it("stops a listing at the page past the budget, unsent", async () => {
    const { client, sent } = fakeClient(() => ({ IsTruncated: true, NextContinuationToken: "t" }));
    const s3 = new S3Transport(client, new UpstreamCalls({ maxCalls: 2 }));
    const listing = s3.pages(
      (input: ListObjectsV2CommandInput) => new ListObjectsV2Command(input),
      { Bucket: "b" },
      (page) => (page.IsTruncated ? { ContinuationToken: page.NextContinuationToken } : undefined),
    );

    const drain = async () => {
      for await (const page of listing) expect(page.IsTruncated).toBe(true);
    };

    expect(await rejection(drain())).toMatchObject({ kind: "BUDGET" });
    expect(sent).toHaveLength(2);
  });
});

describe("S3Transport's calls in the metrics", () => {
  const observed = (answer: Answer) => {
    const metrics = new GatewayMetrics();
    const calls = new UpstreamCalls(
      {},
      upstreamObserver(metrics, () => "fraud"),
    );
    return { metrics, s3: new S3Transport(fakeClient(answer).client, calls) };
  };
  const errors = async (metrics: GatewayMetrics) =>
    parseSamples((await metrics.scrape()).body).filter(
      (s) => s.name === "registry_graph_upstream_errors_total",
    );

  it("counts a failure by its kind, as alerts on UNAVAILABLE and TIMEOUT expect", async () => {
    const { metrics, s3 } = observed(() => {
      throw s3Failure("ServiceUnavailable", 503);
    });
    expect(await rejection(s3.read(head()))).toBeInstanceOf(S3Error);
    expect(await errors(metrics)).toEqual([
      expect.objectContaining({
        labels: { project: "fraud", kind: "s3", endpoint: "HeadObject", code: "UNAVAILABLE" },
        value: 1,
      }),
    ]);
  });

  it("counts no failure for an answered one (a 404 that means absent)", async () => {
    const { metrics, s3 } = observed(() => {
      throw s3Failure("NotFound", 404);
    });
    expect(await s3.read(head(), { answers: { NotFound: null } })).toBeNull();
    expect(await errors(metrics)).toEqual([]);
  });
});
