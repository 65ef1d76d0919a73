import { createServer, type IncomingHttpHeaders, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of a real MLflow that can hold back its answers: the request reaches
 * MLflow and is committed there, but the gateway, whose timeout is shorter, never sees the
 * answer. A real server cannot be made to answer late on cue; the write itself stays real.
 * It counts what reaches it (the gateway's calls) and can answer one call with a failure.
 */
export async function slowProxy(target: string) {
  const upstream = new URL(target);
  const held: { path: RegExp; ms: number }[] = [];
  const failing: { path: RegExp; status: number; body: string }[] = [];
  let received = 0;
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received += 1;
    headers.push(req.headers);
    const failure = failing.findIndex((f) => f.path.test(req.url ?? ""));
    if (failure >= 0) {
      const { status, body } = failing.splice(failure, 1)[0]!;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
      return;
    }
    const rule = held.findIndex((h) => h.path.test(req.url ?? ""));
    const delay = rule >= 0 ? held.splice(rule, 1)[0]!.ms : 0;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => body.push(chunk));
        answer.on("end", () =>
          setTimeout(() => {
            if (res.destroyed) return; // the gateway gave up waiting
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          }, delay),
        );
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** The next request whose path matches is answered `ms` late, after MLflow has handled it. */
    holdNextAnswer(path: RegExp, ms: number) {
      held.push({ path, ms });
    },
    /** The next request whose path matches gets `status` and `body` instead of MLflow's answer. */
    failNext(path: RegExp, status: number, body: string) {
      failing.push({ path, status, body });
    },
    /** How many requests reached the proxy: the gateway's calls to this MLflow. */
    get received() {
      return received;
    },
    /** The headers of every request that reached the proxy, in arrival order. */
    get headers(): readonly IncomingHttpHeaders[] {
      return headers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
