// Prometheus counters and histograms kept in the isolate's memory. Each isolate counts only what
// it served (Workers runs many isolates), so /metrics shows one isolate; sum across scrapes with
// care, or rely on the decision log for global numbers.

type Labels = Record<string, string>;

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels))?.value ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${formatLabels(labels)} ${value}`);
    return lines;
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.counts[i] += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket{le="${le}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

export class Registry {
  private readonly metrics = new Map<string, { render(): string[] }>();

  counter(name: string, help: string): Counter {
    return this.add(name, () => new Counter(name, help)) as Counter;
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    return this.add(name, () => new Histogram(name, help, buckets)) as Histogram;
  }

  render(): string {
    return [...this.metrics.values()].flatMap((m) => m.render()).join('\n') + '\n';
  }

  private add(name: string, make: () => { render(): string[] }): unknown {
    let metric = this.metrics.get(name);
    if (!metric) {
      metric = make();
      this.metrics.set(name, metric);
    }
    return metric;
  }
}

// Called on every count (a few per request): one string built in place, no intermediate arrays.
function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  let key = '';
  for (let i = 0; i < keys.length; i++) key += `${i > 0 ? ',' : ''}${keys[i]}=${labels[keys[i]]}`;
  return key;
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
