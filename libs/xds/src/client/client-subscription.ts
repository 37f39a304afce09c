import type { DeltaDiscoveryResponse } from '../generated/envoy.service.discovery.v3.js';
import type { Any } from '../generated/google.protobuf.js';
import { WILDCARD } from '../server/subscription-tracker.js';
import type { ResourceUpdate, ResourceWatch } from './resource-watch.js';

/** The request fields that (re)start a type on a new stream. */
export interface InitialRequest {
  readonly resourceNamesSubscribe: readonly string[];
  readonly initialResourceVersions: Readonly<Record<string, string>>;
}

/**
 * The client's side of one type: what it subscribes to and which versions its handler
 * accepted. The versions are what a reconnect reports in initial_resource_versions,
 * so the server sends only what changed meanwhile.
 */
export class ClientSubscription {
  readonly typeUrl: string;
  readonly #watch: ResourceWatch;
  #wildcard: boolean;
  readonly #explicit: Set<string>;
  readonly #held = new Map<string, string>();
  #synced = false;

  constructor(watch: ResourceWatch) {
    this.typeUrl = watch.typeUrl;
    this.#watch = watch;
    this.#wildcard = watch.wildcard;
    this.#explicit = new Set(watch.names);
  }

  /** The first response of the type was applied. Stays true across reconnects: the state is kept. */
  get synced(): boolean {
    return this.#synced;
  }

  get wildcard(): boolean {
    return this.#wildcard;
  }

  get names(): readonly string[] {
    return [...this.#explicit];
  }

  heldVersions(): ReadonlyMap<string, string> {
    return this.#held;
  }

  /** `undefined` when the type subscribes to nothing (an empty first request would mean wildcard). */
  initialRequest(): InitialRequest | undefined {
    const names = [...(this.#wildcard ? [WILDCARD] : []), ...this.#explicit];
    if (names.length === 0) return undefined;
    return { resourceNamesSubscribe: names, initialResourceVersions: Object.fromEntries(this.#held) };
  }

  subscribe(names: readonly string[]): void {
    for (const name of names) {
      if (name === WILDCARD) this.#wildcard = true;
      else this.#explicit.add(name);
    }
  }

  /** Forgets what is no longer subscribed; the caller drops those resources from its own state. */
  unsubscribe(names: readonly string[]): void {
    for (const name of names) {
      if (name === WILDCARD) this.#wildcard = false;
      else this.#explicit.delete(name);
    }
    for (const name of [...this.#held.keys()]) if (!this.#wants(name)) this.#held.delete(name);
  }

  /**
   * Decodes a response and hands it to the handler. Returns `undefined` when it was
   * applied (ACK) or the reason it was not (NACK), in which case nothing changed.
   */
  apply(response: DeltaDiscoveryResponse): string | undefined {
    const upserted: { name: string; version: string; resource: unknown }[] = [];
    for (const resource of response.resources) {
      const reason = this.#check(resource.name, resource.resource);
      if (reason !== undefined) return reason;
      // A response sent before an unsubscribe reached the server.
      if (!this.#wants(resource.name)) continue;
      try {
        // Copied so that the decoded resource does not keep the whole response alive.
        upserted.push({ name: resource.name, version: resource.version, resource: this.#watch.decode(Buffer.from(resource.resource!.value)) });
      } catch (error) {
        return `resource ${JSON.stringify(resource.name)}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const update: ResourceUpdate<unknown> = { typeUrl: this.typeUrl, nonce: response.nonce, upserted, removed: response.removedResources };
    try {
      this.#watch.onUpdate(update);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    for (const { name, version } of upserted) this.#held.set(name, version);
    for (const name of response.removedResources) this.#held.delete(name);
    this.#synced = true;
    return undefined;
  }

  #check(name: string, body: Any | null): string | undefined {
    if (name === '') return 'a resource has no name';
    if (body === null) return `resource ${JSON.stringify(name)} has no body`;
    if (body.type_url !== this.typeUrl) return `resource ${JSON.stringify(name)} is a ${body.type_url}, not a ${this.typeUrl}`;
    return undefined;
  }

  #wants(name: string): boolean {
    return this.#wildcard || this.#explicit.has(name);
  }
}
