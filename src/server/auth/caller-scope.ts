import { AsyncLocalStorage } from "node:async_hooks";
import type { Caller } from "../../registry/access/caller.js";

const scope = new AsyncLocalStorage<Caller>();

/** Runs a request's handling as `caller`, whom every log line written meanwhile names. */
export function withCaller<T>(caller: Caller, work: () => T): T {
  return scope.run(caller, work);
}

/** The caller of the request being handled, once authenticated. */
export function currentCaller(): Caller | undefined {
  return scope.getStore();
}
