import { percentile } from "./measure.js";

const p50 = (values: Float64Array) => percentile(values.sort(), 50);

/**
 * A 95% percentile-bootstrap interval for p50(numerator) ÷ p50(denominator): the ratios of
 * `resamples` resampled pairs of samples, their 2.5th and 97.5th percentiles. One bench run
 * gives one ratio; the interval says how far another run of the same build could put it (the
 * champions search's ratio moved by 0.07 between two full runs of one gateway).
 *
 * `paired` resamples rounds, not runs: the i-th times of both come from the same round of
 * `latencies`, so drift that moved both moves their ratio less, and the interval keeps that.
 */
export function p50RatioInterval(
  numerator: readonly number[],
  denominator: readonly number[],
  options: { paired: boolean; resamples?: number; random?: () => number },
): [number, number] {
  const { paired, resamples = 2000, random = Math.random } = options;
  if (numerator.length === 0 || denominator.length === 0) return [NaN, NaN];
  if (paired && numerator.length !== denominator.length) {
    throw new Error(
      `paired samples differ in length: ${numerator.length} and ${denominator.length}`,
    );
  }
  const pick = (n: number) => Math.floor(random() * n);
  const a = new Float64Array(numerator.length);
  const b = new Float64Array(denominator.length);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) {
      const j = pick(a.length);
      a[i] = numerator[j]!;
      if (paired) b[i] = denominator[j]!;
    }
    if (!paired) for (let i = 0; i < b.length; i++) b[i] = denominator[pick(b.length)]!;
    ratios.push(p50(a) / p50(b));
  }
  ratios.sort((x, y) => x - y);
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)];
}
