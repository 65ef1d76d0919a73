/** One request a client sent, as the client saw it. */
export interface ClientRequest {
  /** Sent as x-request-id: the key to the load balancer's log line. */
  id: string;
  /** performance.now() before the request was sent and after its answer was read. */
  start: number;
  end: number;
  /** HTTP status, or the error of a request that got none. */
  status: number | string;
  /** The replica that answered, as the load balancer names it (x-served-by). */
  servedBy: string | null;
  /** GraphQL errors' codes, if the answer had any, and the first one's message. */
  errorCodes: string[];
  firstError?: string;
}

export const succeeded = (r: ClientRequest) => r.status === 200 && r.errorCodes.length === 0;

/**
 * `clients` clients, each sending one GraphQL request after another to `url` until `stop()`;
 * `stop()` resolves with every request once all clients are done. Request ids start with `run`.
 */
export function runClients(
  run: string,
  url: string,
  clients: number,
  body: { query: string; variables?: Record<string, unknown> },
  timeoutMs = 60_000,
) {
  const requests: ClientRequest[] = [];
  let stopping = false;
  const payload = JSON.stringify(body);
  const loop = async (client: number) => {
    for (let n = 0; !stopping; n++) {
      const id = `${run}-${client}-${n}`;
      const start = performance.now();
      let status: number | string;
      let servedBy: string | null = null;
      let errorCodes: string[] = [];
      let firstError: string | undefined;
      try {
        const response = await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": id },
          body: payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        servedBy = response.headers.get("x-served-by");
        const text = await response.text();
        if (status === 200) {
          const answer = JSON.parse(text) as {
            errors?: { message: string; extensions?: { code?: string } }[];
          };
          errorCodes = (answer.errors ?? []).map((e) => String(e.extensions?.code));
          firstError = answer.errors?.[0]?.message;
        }
      } catch (error) {
        status = String((error as Error).cause ?? error);
      }
      const end = performance.now();
      requests.push({ id, start, end, status, servedBy, errorCodes, firstError });
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, client) => loop(client)));
  return {
    requests,
    async stop(): Promise<ClientRequest[]> {
      stopping = true;
      await running;
      return requests;
    },
  };
}
