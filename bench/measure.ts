import { performance } from "node:perf_hooks";

export interface Latency {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  samples: number;
}

export interface Throughput {
  rps: number;
  completed: number;
  errors: number;
  /** Runs still under way when the phase stopped waiting, aborted. */
  abandoned: number;
  /** From the first run's start to the last run's end. */
  seconds: number;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    samples: sorted.length,
  };
}

/** A new array of the items in random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A variant's latency summary and its run times, in the order the rounds took them. */
export interface Timed extends Latency {
  times: number[];
}

/**
 * Timed runs of each variant, after `warmup` untimed ones, taken in turns: every round runs
 * each variant once. Whatever drifts on a shared machine during the minutes this takes (the
 * servers' caches, the other processes' load, a gateway's heap) then falls on every variant
 * alike, and their ratio compares like with like.
 *
 * Each round takes the variants in a random order. MLflow stalls periodically: about every
 * tenth call to a server takes some 300 ms more, whoever makes it. A fixed order can line the
 * variants' calls up with that period, so that the stalls fall on one variant round after
 * round. Alternating gateway and parallel REST on (c), 56 of 100 parallel runs stalled and 9
 * of the gateway's. A random order spreads the stalls alike.
 *
 * A variant with a budget stops at that much of its own run time (with at least 3 runs), so
 * naive REST at large sizes does not take the hour. The variants without one run in every
 * round until each has `runs` runs and the slowest of them has been timed for `minMs`: a fast
 * operation gets more samples, and the variants compared stay paired round by round (their
 * i-th times come from the same round). The dashboard's gateway and parallel REST once
 * stopped at a 30 s budget after some 30 runs each, and on p50s of so few samples four full
 * benches put their ratio anywhere from 1.10 to 1.24.
 */
export async function latencies<K extends string>(
  variants: Record<K, () => Promise<unknown>>,
  options: {
    runs: number;
    warmup: number;
    minMs?: number;
    budgetsMs?: Partial<Record<K, number>>;
    random?: () => number;
  },
): Promise<Record<K, Timed>> {
  const names = Object.keys(variants) as K[];
  for (let i = 0; i < options.warmup; i++) for (const name of names) await variants[name]();
  const times = new Map(names.map((name) => [name, [] as number[]]));
  const spent = new Map(names.map((name) => [name, 0]));
  const budget = (name: K) => options.budgetsMs?.[name];
  const unbudgeted = names.filter((name) => budget(name) === undefined);
  const pairedNeedMore = () =>
    unbudgeted.some((name) => times.get(name)!.length < options.runs) ||
    Math.max(...unbudgeted.map((name) => spent.get(name)!)) < (options.minMs ?? 0);
  const timing = (name: K) => {
    const runs = times.get(name)!.length;
    const limit = budget(name);
    if (limit === undefined) return pairedNeedMore();
    return runs < options.runs && (runs < 3 || spent.get(name)! <= limit);
  };
  while (names.some(timing)) {
    // Decided once a round, so the unbudgeted variants all run in it or none does.
    const round = shuffled(names, options.random).filter(timing);
    for (const name of round) {
      const t0 = performance.now();
      await variants[name]();
      const took = performance.now() - t0;
      times.get(name)!.push(took);
      spent.set(name, spent.get(name)! + took);
    }
  }
  return Object.fromEntries(
    names.map((name) => [name, { ...summary(times.get(name)!), times: times.get(name)! }]),
  ) as Record<K, Timed>;
}

/** `latencies` of one variant, within a budget. */
export async function latency(
  run: () => Promise<unknown>,
  options: { runs: number; warmup: number; budgetMs: number },
): Promise<Latency> {
  const { budgetMs, ...rest } = options;
  return (await latencies({ run }, { ...rest, budgetsMs: { run: budgetMs } })).run;
}

/**
 * `clients` closed-loop clients start runs until `durationMs` has passed. Runs under way
 * then get `graceMs` to finish and count; any still running after that are aborted and
 * counted as abandoned (naive REST at 50 clients can take many minutes a run, and its calls
 * would load the servers under the next measurement). rps is completed runs over the time
 * until the last run ended.
 */
export async function closedLoop(
  run: (signal: AbortSignal) => Promise<unknown>,
  clients: number,
  durationMs: number,
  graceMs = 60_000,
): Promise<Throughput> {
  const started = performance.now();
  // One signal per run, not one for the phase: fetch leaves a listener on its signal, and a
  // naive dashboard run makes over a thousand calls.
  const running = new Set<AbortController>();
  const timer = setTimeout(() => {
    for (const controller of running) controller.abort();
  }, durationMs + graceMs);
  let completed = 0;
  let errors = 0;
  let abandoned = 0;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() - started < durationMs) {
          const controller = new AbortController();
          running.add(controller);
          try {
            await run(controller.signal);
            completed++;
          } catch (error) {
            if (controller.signal.aborted) {
              abandoned++;
              return;
            }
            // The first one says what went wrong; the count says how often.
            if (errors++ === 0) console.error(`bench: under load: ${String(error).slice(0, 300)}`);
          } finally {
            running.delete(controller);
          }
        }
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rps: round(completed / seconds), completed, errors, abandoned, seconds };
}

/** What the bench can read of the gateway's process (see gateway-process.ts). */
export interface ProcessProbe {
  cpuMs(): Promise<number>;
  peakRssMb(): Promise<number>;
  resetPeak(): Promise<void>;
}

/** The gateway process's CPU time and peak RSS while `work` runs. */
export async function resources<T>(
  probe: ProcessProbe,
  work: () => Promise<T>,
): Promise<{ result: T; cpu_ms: number; peak_rss_mb: number }> {
  await probe.resetPeak();
  const cpu = await probe.cpuMs();
  const result = await work();
  return { result, cpu_ms: (await probe.cpuMs()) - cpu, peak_rss_mb: await probe.peakRssMb() };
}
