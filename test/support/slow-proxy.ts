import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of a real MLflow that can hold back its answers: the request reaches
 * MLflow and is committed there, but the gateway, whose timeout is shorter, never sees the
 * answer. A real server cannot be made to answer late on cue; the write itself stays real.
 */
export async function slowProxy(target: string) {
  const upstream = new URL(target);
  const held: { path: RegExp; ms: number }[] = [];
  const server = createServer((req, res) => {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
