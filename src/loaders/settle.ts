import DataLoader from "dataloader";

/**
 * Runs one task per key and returns, in key order, each result or the Error it failed with,
 * as DataLoader wants: one failed key must not fail the keys batched with it.
 */
export async function settleEach<K, V>(
  keys: readonly K[],
  task: (key: K, index: number) => Promise<V>,
): Promise<(V | Error)[]> {
  const results = await Promise.allSettled(keys.map(task));
  return results.map((r) =>
    r.status === "fulfilled"
      ? r.value
      : r.reason instanceof Error
        ? r.reason
        : new Error(String(r.reason)),
  );
}

/**
 * A loader of one call per project, cached for the request. Not batched: a batch answers all
 * its keys once its slowest project has, so one project's next calls (a dashboard's run
 * search) would wait for another server's listing. Batching one call per key saves nothing.
 */
export function perProject<V>(load: (project: string) => Promise<V>): DataLoader<string, V> {
  return new DataLoader<string, V>((projects) => settleEach(projects, load), { batch: false });
}
