import type { Resource } from '@ambit/config-model';
import { errorText, type Logger } from '@ambit/telemetry';
import type { Labels, MeshSettings, ResourceStatus } from '@ambit/mesh-model';
import { idOf } from '@ambit/mesh-model';
import type { ResourceChangeBatch } from '../provider/index.js';
import { Translator } from '../translator/index.js';
import type { AppliedByType, XdsCaches } from './xds-caches.js';

export interface ConfigPipelineOptions {
  readonly settings: Partial<MeshSettings>;
  readonly caches: XdsCaches;
  /** The provider's whole current input, to resynchronise from after a failure. */
  readonly snapshot: () => readonly Resource[];
  /** Called with what each batch changed in the caches. */
  readonly onApplied: (applied: AppliedByType) => void;
  readonly log: Logger;
}

/** Where the last failure left the pipeline; undefined while every batch has applied. */
export interface PipelineFailure {
  readonly at: Date;
  readonly message: string;
}

/**
 * Provider batches → translator → xDS caches, one batch at a time, each all or nothing
 * in the caches. A batch that fails (a translator bug, a resource the cache refuses)
 * leaves the caches as they were: proxies keep the last good config. The translator may
 * then be half-updated, so the pipeline rebuilds it from the provider's snapshot and
 * replaces the caches' content; if that fails too, it tries again with every later batch.
 */
export class ConfigPipeline {
  readonly #options: ConfigPipelineOptions;
  #translator: Translator;
  #initialApplied = false;
  #failure: PipelineFailure | undefined;

  constructor(options: ConfigPipelineOptions) {
    this.#options = options;
    this.#translator = new Translator(options.settings);
  }

  /** Whether the initial snapshot is in the caches. */
  get initialApplied(): boolean {
    return this.#initialApplied;
  }

  get failure(): PipelineFailure | undefined {
    return this.#failure;
  }

  /**
   * Translates the provider's initial state into the caches. Throws when it cannot: at
   * start there is no good config to keep serving, so start-up fails with the cause.
   */
  loadInitial(resources: readonly Resource[]): void {
    this.#applied(this.#options.caches.applyDelta(this.#translator.apply({ upserted: resources })));
    this.#initialApplied = true;
  }

  /** Applies one batch; never throws (a provider listener must not), failures are logged and kept for status. */
  apply(batch: ResourceChangeBatch): void {
    if (this.#failure !== undefined) {
      this.#resynchronise();
      return;
    }
    try {
      this.#applied(this.#options.caches.applyDelta(this.#translator.apply(batch)));
    } catch (error) {
      this.#options.log.error('a config change could not be applied incrementally; rebuilding the xDS resources from the whole config', { error: errorText(error) });
      this.#resynchronise();
    }
  }

  /** The model's status facts of an input resource; undefined for kinds the model does not read. */
  status(resource: Resource): ResourceStatus | undefined {
    return this.#translator.model.status(idOf(resource));
  }

  /**
   * Whether a workload with service account `namespace/serviceAccount` is scheduled on
   * `node` in the current model: what node authorization asks. Pods without an IP yet or
   * finished are not workloads, so they grant nothing; WorkloadEntries have no node.
   */
  nodeRuns(node: string, namespace: string, serviceAccount: string): boolean {
    if (node === '') return false;
    for (const workload of this.#translator.model.view.workloadsOn(node)) {
      if (workload.namespace === namespace && workload.serviceAccount === serviceAccount) return true;
    }
    return false;
  }

  /** The labels of the workloads running as `namespace/serviceAccount`: what a gateway proxy of that identity is selected by. */
  gatewayLabels(namespace: string, serviceAccount: string): Labels[] {
    const labels: Labels[] = [];
    for (const workload of this.#translator.model.view.workloadsIn(namespace)) if (workload.serviceAccount === serviceAccount) labels.push(workload.labels);
    return labels;
  }

  #resynchronise(): void {
    try {
      const translator = new Translator(this.#options.settings);
      translator.apply({ upserted: this.#options.snapshot() });
      this.#applied(this.#options.caches.replaceAll(translator.snapshot()));
      this.#translator = translator;
      if (this.#failure !== undefined) this.#options.log.info('config translation recovered; proxies get the current config');
      this.#failure = undefined;
    } catch (error) {
      this.#failure = { at: new Date(), message: errorText(error) };
      this.#options.log.error('rebuilding the xDS resources failed; proxies keep the last good config until a later change fixes it', { error: this.#failure.message });
    }
  }

  #applied(applied: AppliedByType): void {
    if (applied.size > 0) this.#options.onApplied(applied);
  }
}
