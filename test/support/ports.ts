import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A loopback port free right now, for a process that must be told its port before it starts
 * (a replica restarted where the load balancer expects it). Another process may take it in
 * between; the ports the kernel hands out cycle widely, so that is rare.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
