import type {
  $Command,
  S3Client,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes,
} from "@aws-sdk/client-s3";
import { s3Endpoint } from "../../telemetry/labels.js";
import type { UpstreamCalls } from "../calls.js";
import { limitReason, RequestLimitError } from "../request-limits.js";
import { errorName, toS3Error } from "./errors.js";

export const UPSTREAM = "s3";

/** One S3 SDK command, with the output its `send` answers. */
export type S3Command<I extends ServiceInputTypes, O extends ServiceOutputTypes> = $Command<
  I,
  O,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
>;

export interface CallOptions<O, R, A> {
  /**
   * Failures that are answers to this call, by S3's error name (or HTTP status, for stores
   * that send only that): `{ NoSuchKey: null }` makes a missing object `null`.
   */
  answers?: Readonly<Record<string, A>>;
  /** Reads the output (a GetObject body, say) as part of the call: its failures map alike. */
  use?: (output: O) => R | Promise<R>;
}

/**
 * The one way the gateway sends S3 requests for a GraphQL request: each is counted in the
 * request's UpstreamCalls (and refused there, unsent, past its budget or deadline), sent on
 * the request's abort signal, and fails as an S3Error, or as the RequestLimitError that
 * stopped it. The per-call timeouts are the client's (client.ts). Presigning sends nothing
 * and uses `client` directly; readiness probes (client.ts `probeBucket`) belong to no request.
 */
export class S3Transport {
  constructor(
    /** For presigning, which is local: no request, nothing counted. */
    readonly client: S3Client,
    private readonly calls: UpstreamCalls,
    /** What its calls are counted as: "s3", or "s3:audit" for the audit log's. */
    private readonly upstream = UPSTREAM,
  ) {}

  /** A read: stopped when the request is (past its deadline, or its client gone). */
  read<I extends ServiceInputTypes, O extends ServiceOutputTypes, R = O, A = never>(
    command: S3Command<I, O>,
    options: CallOptions<O, R, A> = {},
  ): Promise<R | A> {
    return this.send(command, options, this.calls.signal);
  }

  /** A write: never aborted once sent, since S3 may have done it anyway. */
  write<I extends ServiceInputTypes, O extends ServiceOutputTypes, R = O, A = never>(
    command: S3Command<I, O>,
    options: CallOptions<O, R, A> = {},
  ): Promise<R | A> {
    return this.send(command, options, undefined);
  }

  /**
   * Every page of a listing, each one counted read. `next` gives what the following page's
   * input changes (its token or markers), or undefined after the last page. The SDK's own
   * paginators send on the client themselves, so they cannot count each page here.
   */
  async *pages<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    command: (input: I) => S3Command<I, O>,
    input: I,
    next: (page: O) => Partial<I> | undefined,
  ): AsyncGenerator<O, void, undefined> {
    for (let more: Partial<I> | undefined = {}; more !== undefined;) {
      const page = await this.read(command({ ...input, ...more }));
      yield page;
      more = next(page);
    }
  }

  private async send<I extends ServiceInputTypes, O extends ServiceOutputTypes, R, A>(
    command: S3Command<I, O>,
    { answers, use }: CallOptions<O, R, A>,
    signal: AbortSignal | undefined,
  ): Promise<R | A> {
    this.calls.record(this.upstream);
    const { observer } = this.calls;
    const input = command.input as { Bucket?: string; Key?: string; Prefix?: string };
    const info = {
      kind: "s3",
      project: observer.s3Project(input.Bucket, input.Key ?? input.Prefix),
      endpoint: s3Endpoint(command),
    } as const;
    // The failure is mapped inside the observed call, so the metrics see its kind (UNAVAILABLE,
    // TIMEOUT, …), and an answered one (a 404 that means "absent") is no failure at all.
    return observer.call(info, async () => {
      try {
        const output = await this.client.send(command, { abortSignal: signal });
        return use ? await use(output) : (output as unknown as R);
      } catch (error) {
        if (error instanceof RequestLimitError) throw error;
        const limit = limitReason(signal);
        if (limit) throw limit;
        const answer = answerTo(error, answers);
        if (answer) return answer.value;
        throw toS3Error(error);
      }
    });
  }
}

function answerTo<A>(
  error: unknown,
  answers: Readonly<Record<string, A>> | undefined,
): { value: A } | undefined {
  if (!answers) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  for (const key of [errorName(error), status === undefined ? undefined : String(status)]) {
    if (key !== undefined && Object.hasOwn(answers, key)) return { value: answers[key] as A };
  }
  return undefined;
}
