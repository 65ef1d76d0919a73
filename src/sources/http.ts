import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import got, { type BeforeRequestHook, type Got } from "got";

export interface HttpClientOptions {
  prefixUrl: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxSockets: number;
  /** Answers calls in process instead of sending them; the server sets none. */
  answer?: AnswerInProcess;
}

/**
 * A got `beforeRequest` hook that returns a response: the call is answered without a socket.
 * Unit tests put a fake upstream here, so retries, timeouts, error mapping and size limits
 * above the socket stay the real path.
 */
export type AnswerInProcess = BeforeRequestHook;

/**
 * The one place that sets how the gateway talks HTTP to an upstream: a keep-alive agent per
 * upstream, a per-attempt timeout (got sets none by default), and no retries unless a call
 * opts in. Reads opt in for a single retry on a reset socket, which a stale keep-alive
 * connection causes and which fails fast, so a retry never pushes a call past its timeout.
 */
export function createHttpClient(options: HttpClientOptions): { http: Got; close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: 16 };
  const agent = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const http = got.extend({
    prefixUrl: options.prefixUrl,
    headers: { "user-agent": "registry-graph", ...options.headers },
    agent,
    timeout: { request: options.timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: true,
    hooks: { beforeRequest: options.answer ? [options.answer] : [] },
  });
  return { http, close: () => (agent.http.destroy(), agent.https.destroy()) };
}

/** Retry policy for read-only calls. MLflow's search endpoints are POST but read-only. */
export const readRetry = {
  limit: 1,
  methods: ["GET", "POST"] as ("GET" | "POST")[],
  statusCodes: [],
  errorCodes: ["ECONNRESET", "EPIPE"],
  calculateDelay: ({ computedValue }: { computedValue: number }) => (computedValue === 0 ? 0 : 50),
};
