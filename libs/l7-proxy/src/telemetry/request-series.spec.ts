import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS_MS, SIZE_BUCKETS_BYTES } from './request-metrics.js';
import { RequestSeries } from './request-series.js';

describe('RequestSeries', () => {
  it("exposes exactly what prom-client's own Counter and Histograms would, escaping included", async () => {
    const labels = { reporter: 'source', source_workload: 'a"b\\c\nd', response_code: '200' };
    const other = { reporter: 'source', source_workload: 'other', response_code: '503' };
    const theirs = new Registry();
    const labelNames = Object.keys(labels);
    const registers = [theirs];
    const requests = new Counter({ name: 'istio_requests_total', help: 'Requests handled by the proxy.', labelNames, registers });
    const duration = new Histogram({ name: 'istio_request_duration_milliseconds', help: 'Request durations.', labelNames, buckets: DURATION_BUCKETS_MS, registers });
    const requestBytes = new Histogram({ name: 'istio_request_bytes', help: 'Request body sizes.', labelNames, buckets: SIZE_BUCKETS_BYTES, registers });
    const responseBytes = new Histogram({ name: 'istio_response_bytes', help: 'Response body sizes.', labelNames, buckets: SIZE_BUCKETS_BYTES, registers });
    const ours = new Registry();
    const series = new RequestSeries({ registry: ours, durationBuckets: DURATION_BUCKETS_MS, sizeBuckets: SIZE_BUCKETS_BYTES });
    const samples: [typeof labels, number, number, number][] = [
      [labels, 3, 0, 1024],
      [labels, 0.5, 10, 5],
      [other, 99_999_999, 5e9, 1],
      [labels, 25, 1, 1000],
    ];
    for (const [set, ms, inBytes, outBytes] of samples) {
      requests.inc(set);
      duration.observe(set, ms);
      requestBytes.observe(set, inBytes);
      responseBytes.observe(set, outBytes);
      series.record(series.of({ ...set }), ms, inBytes, outBytes);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('starts over when the registry resets its metrics', async () => {
    const registry = new Registry();
    const series = new RequestSeries({ registry, durationBuckets: [1], sizeBuckets: [1] });
    series.record(series.of({ reporter: 'source' }), 1, 1, 1);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('istio_requests_total{');
  });
});
