import type { Registry } from 'prom-client';
import type { ProxyRequestContext, RequestContext, RequestInfo, RequestObserver } from '../engine/index.js';
import { canonicalIp, type MeshView, type Workload } from '../state/index.js';
import { requestLabels, type Reporter } from './request-labels.js';
import { RequestSeries, type Series } from './request-series.js';

/** Istio's default buckets of `istio_request_duration_milliseconds`. */
export const DURATION_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
/** Istio's default buckets of `istio_request_bytes` and `istio_response_bytes` (powers of ten). */
export const SIZE_BUCKETS_BYTES = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];
/** Series looked up by short key between mesh changes; past this many the cache starts over (it only saves work). */
const SERIES_CACHE_ENTRIES = 4096;

/** What the engine reports of one request; its context is the one the proxy handed in (with the protocol). */
export type ObservedRequest = RequestInfo & { readonly context: RequestContext | ProxyRequestContext };

export interface RequestMetricsOptions {
  readonly registry: Registry;
  readonly state: MeshView;
  readonly network: string;
  readonly reporter: Reporter;
  /** The proxy's own Workload: the source of every request a source reporter reports. */
  readonly self?: () => Workload | undefined;
}

/**
 * Istio's HTTP metrics as the engine's RequestObserver: one count, one duration and the
 * body sizes of every request, labelled with the reporter, the source (a waypoint's:
 * the original client, by its verified identity and address; a gateway's: itself), the
 * destination workload (the endpoint of the last attempt) and service (the cluster's).
 */
export class RequestMetrics implements RequestObserver {
  readonly #state: MeshView;
  readonly #network: string;
  readonly #reporter: Reporter;
  readonly #self: () => Workload | undefined;
  readonly #metrics: RequestSeries;
  /**
   * The series of each distinct (source, destination, service, protocol, status, flags):
   * building its labels (peer labels, 24 names in Istio's order) per request cost as much
   * as counting it. A mesh change may change what a workload's labels say, so it clears.
   */
  readonly #seriesCache = new Map<string, Series>();

  constructor(options: RequestMetricsOptions) {
    this.#state = options.state;
    options.state.onChange(() => this.#seriesCache.clear());
    this.#network = options.network;
    this.#reporter = options.reporter;
    this.#self = options.self ?? (() => undefined);
    this.#metrics = new RequestSeries({ registry: options.registry, durationBuckets: DURATION_BUCKETS_MS, sizeBuckets: SIZE_BUCKETS_BYTES });
  }

  completed(info: ObservedRequest): void {
    const state = this.#state;
    const context = info.context;
    const cluster = info.cluster === undefined ? undefined : state.clusters.get(info.cluster);
    const source = this.#reporter === 'source' ? this.#self() : this.#verifiedClient(context);
    const sourceIdentity = this.#reporter === 'source' ? source?.identity : context.source.identity;
    const protocol = 'protocol' in context ? context.protocol : 'http';
    const key = `${sourceIdentity ?? ''}\n${source?.uid ?? ''}\n${info.endpoint?.uid ?? ''}\n${cluster?.service ?? ''}\n${protocol}\n${info.status}\n${info.responseFlags}`;
    let series = this.#seriesCache.get(key);
    if (series === undefined) {
      const labels = requestLabels({
        reporter: this.#reporter,
        ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
        ...(source === undefined ? {} : { source }),
        ...(info.endpoint === undefined ? {} : { destination: state.workloads.byUid(info.endpoint.uid) }),
        ...(cluster === undefined ? {} : { destinationService: state.services.byKey(cluster.service) }),
        protocol,
        status: info.status,
        responseFlags: info.responseFlags,
      });
      series = this.#metrics.of(labels);
      if (this.#seriesCache.size >= SERIES_CACHE_ENTRIES) this.#seriesCache.clear();
      this.#seriesCache.set(key, series);
    }
    this.#metrics.record(series, info.durationMs, info.requestBytes, info.responseBytes);
  }

  /** The workload at the client's address, if it is who the client's certificate says. */
  #verifiedClient(context: ObservedRequest['context']): Workload | undefined {
    const sourceIp = context.source.ip === undefined ? undefined : canonicalIp(context.source.ip);
    const byAddress = sourceIp === undefined ? undefined : this.#state.workloads.byAddress(this.#network, sourceIp);
    return byAddress !== undefined && byAddress.identity === context.source.identity ? byAddress : undefined;
  }
}
