/**
 * The cost of the requests running at once, bounded: a request starts once what it costs
 * fits beside the others' (in arrival order), and gives it back when it has answered. Admission
 * (admission.ts) bounds how many requests run; this bounds how much they hold together, so 50
 * copies of the costliest query run one or two at a time while cheap ones still run 8 at once.
 * A request costing more than the whole budget waits until it can run alone.
 */
export class CostBudget {
  private used = 0;
  private readonly waiting: { cost: number; start: () => void }[] = [];

  constructor(readonly capacity: number) {}

  /** Resolves with what was taken (the cost, at most the capacity): pass it to release. */
  async acquire(cost: number): Promise<number> {
    const taken = Math.min(Math.max(cost, 0), this.capacity);
    if (this.waiting.length === 0 && this.used + taken <= this.capacity) {
      this.used += taken;
      return taken;
    }
    await new Promise<void>((start) => this.waiting.push({ cost: taken, start }));
    return taken;
  }

  release(taken: number): void {
    this.used -= taken;
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.cost <= this.capacity) {
      const next = this.waiting.shift()!;
      this.used += next.cost;
      next.start();
    }
  }

  get inUse(): number {
    return this.used;
  }
}
