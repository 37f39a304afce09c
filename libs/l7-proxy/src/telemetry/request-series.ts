import type { Metric, MetricValueWithName, Registry } from 'prom-client';

/** A histogram's counts for one series: per bucket (not cumulative), sum and count. */
interface Distribution {
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** One label set's values of the four metrics. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  requests: number;
  readonly duration: Distribution;
  readonly requestBytes: Distribution;
  readonly responseBytes: Distribution;
}

export interface RequestSeriesOptions {
  readonly registry: Registry;
  readonly durationBuckets: readonly number[];
  readonly sizeBuckets: readonly number[];
}

/**
 * Istio's four HTTP metrics (`istio_requests_total`, `istio_request_duration_milliseconds`,
 * `istio_request_bytes`, `istio_response_bytes`) as collectors of the registry. prom-client's
 * Counter and Histogram validate and hash every label on every call (Istio's 24 labels: a
 * ~1.5 KB string per metric per request, a tenth of a gateway's CPU and much of its
 * garbage); here the caller finds a request's Series once and updates it in place. The
 * registry formats what `get()` returns, as it does for its own Counter and Histogram.
 */
export class RequestSeries {
  readonly #series = new Map<string, Series>();
  readonly #durationBuckets: readonly number[];
  readonly #sizeBuckets: readonly number[];

  constructor(options: RequestSeriesOptions) {
    this.#durationBuckets = options.durationBuckets;
    this.#sizeBuckets = options.sizeBuckets;
    const register = (name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValueWithName<string>[]): void => {
      const metric = { name, help, get: () => ({ name, help, type, aggregator: 'sum' as const, values: values() }), reset: () => this.#series.clear() };
      options.registry.registerMetric(metric as unknown as Metric);
    };
    register('istio_requests_total', 'Requests handled by the proxy.', 'counter', () => [...this.#series.values()].map((s) => ({ labels: s.labels, value: s.requests })));
    register('istio_request_duration_milliseconds', 'Request durations.', 'histogram', () => this.#histogram('istio_request_duration_milliseconds', this.#durationBuckets, (s) => s.duration));
    register('istio_request_bytes', 'Request body sizes.', 'histogram', () => this.#histogram('istio_request_bytes', this.#sizeBuckets, (s) => s.requestBytes));
    register('istio_response_bytes', 'Response body sizes.', 'histogram', () => this.#histogram('istio_response_bytes', this.#sizeBuckets, (s) => s.responseBytes));
  }

  /** The series of a label set (made on first use); its labels must be in the metrics' label order. */
  of(labels: Readonly<Record<string, string>>): Series {
    const key = Object.values(labels).join('\u0000');
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { labels, requests: 0, duration: this.#distribution(this.#durationBuckets), requestBytes: this.#distribution(this.#sizeBuckets), responseBytes: this.#distribution(this.#sizeBuckets) };
      this.#series.set(key, series);
    }
    return series;
  }

  /** Counts one request of `series`. */
  record(series: Series, durationMs: number, requestBytes: number, responseBytes: number): void {
    series.requests++;
    observe(series.duration, this.#durationBuckets, durationMs);
    observe(series.requestBytes, this.#sizeBuckets, requestBytes);
    observe(series.responseBytes, this.#sizeBuckets, responseBytes);
  }

  #distribution(bounds: readonly number[]): Distribution {
    return { buckets: new Float64Array(bounds.length), sum: 0, count: 0 };
  }

  /** prom-client's histogram exposition: per series its cumulative buckets (`le` first), `+Inf`, `_sum`, `_count`. */
  #histogram(name: string, bounds: readonly number[], of: (s: Series) => Distribution): MetricValueWithName<string>[] {
    const values: MetricValueWithName<string>[] = [];
    for (const series of this.#series.values()) {
      const d = of(series);
      let cumulative = 0;
      bounds.forEach((bound, i) => {
        cumulative += d.buckets[i]!;
        values.push({ metricName: `${name}_bucket`, labels: { le: bound, ...series.labels }, value: cumulative });
      });
      values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...series.labels }, value: d.count });
      values.push({ metricName: `${name}_sum`, labels: series.labels, value: d.sum });
      values.push({ metricName: `${name}_count`, labels: series.labels, value: d.count });
    }
    return values;
  }
}

function observe(d: Distribution, bounds: readonly number[], value: number): void {
  d.sum += value;
  d.count++;
  const i = bounds.findIndex((bound) => value <= bound);
  if (i >= 0) d.buckets[i] = d.buckets[i]! + 1;
}
