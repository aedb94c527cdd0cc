/**
 * A counter and a histogram for the per-request path, served through a prom-client `Registry` in
 * prom-client's own text format. prom-client's label children still build a label record, check
 * it and hash it into a string on every `inc()` and `observe()`; these keep each label set's
 * numbers in plain fields of a child made once, so recording a request allocates nothing. The
 * exposition (`get()`) is built only when `/metrics` is scraped.
 */
import type { Metric, Registry } from 'prom-client';

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: MetricValue[];
}

abstract class HotMetric<Child> {
  readonly aggregator = 'sum';
  protected readonly children = new Map<string, { labels: Record<string, string>; child: Child }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registers: Registry[],
  ) {
    for (const registry of registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The child of one label set (values in `labelNames` order); keep it, it is the cheap part. */
  labels(...values: string[]): Child {
    const key = values.join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      entry = { labels, child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  reset(): void {
    this.children.clear();
  }

  protected abstract newChild(): Child;
}

export interface CounterChild {
  inc(by?: number): void;
}

type CounterState = { value: number; touched: boolean } & CounterChild;

export class HotCounter extends HotMetric<CounterState> {
  readonly type = 'counter';

  constructor(options: { name: string; help: string; labelNames: readonly string[]; registers: Registry[] }) {
    super(options.name, options.help, options.labelNames, options.registers);
  }

  protected newChild(): CounterState {
    return {
      value: 0,
      touched: false,
      inc(by = 1) {
        this.value += by;
        this.touched = true;
      },
    };
  }

  /** As prom-client: a label set appears once it was counted, not when its child was made. */
  get(): MetricSnapshot {
    const values = [...this.children.values()].filter(({ child }) => child.touched).map(({ labels, child }) => ({ value: child.value, labels }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

export interface HistogramChild {
  observe(value: number): void;
}

class Bucketed implements HistogramChild {
  /** Observations per bucket (not cumulative); the last slot is above every bound (+Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram extends HotMetric<Bucketed> {
  readonly type = 'histogram';
  private readonly buckets: readonly number[];

  constructor(options: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registers: Registry[] }) {
    super(options.name, options.help, options.labelNames, options.registers);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  protected newChild(): Bucketed {
    return new Bucketed(this.buckets);
  }

  /** As prom-client's histogram: cumulative `_bucket` lines (`le` first), `+Inf`, `_sum`, `_count` per label set. */
  get(): MetricSnapshot {
    const values: MetricValue[] = [];
    for (const { labels, child } of this.children.values()) {
      if (child.count === 0) continue;
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += child.counts[i]!;
        values.push({ labels: { le: bound }, sharedLabels: labels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
