/**
 * What one stream has asked for and holds of one resource type, and what to send it
 * next: the state machine of Envoy's incremental (delta) xDS protocol on the server
 * side, free of I/O so that it can be tested against a model client.
 *
 * The tracker keeps, per resource name, the version the client holds (`held`: a version,
 * or `null` when the client was told the resource does not exist) and the version it
 * last rejected (`nacked`). A response is planned from the names marked dirty (or from
 * everything after a wildcard subscription or a refresh) and only one response is in
 * flight at a time: the next one waits for the ACK or NACK of the previous, which makes
 * NACKs attributable to exactly the resources they reject and coalesces rapid changes.
 */

export const WILDCARD = '*';

/** The client holds this version, or `null`: it was told the resource does not exist. */
type Held = string | null;

export interface TrackedResource {
  readonly version: string;
}

/** The resources of one type as the tracker sees them (the server's resource cache). */
export interface ResourceLookup<E extends TrackedResource> {
  get(name: string): E | undefined;
  names(): Iterable<string>;
}

export interface PlanOptions<E extends TrackedResource> {
  /** Whether this stream may see the resource (the per-proxy filter). */
  readonly visible: (name: string, entry: E) => boolean;
  /** Bytes a response may spend on resources and removals; at least one item is always taken. */
  readonly maxBytes: number;
  readonly sizeOf: (entry: E) => number;
  readonly removalSize: (name: string) => number;
}

export interface PlannedResponse<E extends TrackedResource> {
  readonly nonce: string;
  readonly upserts: readonly { readonly name: string; readonly entry: E }[];
  readonly removals: readonly string[];
}

/** What a response changed on the client, to undo it when the client rejects it. */
interface SentChange {
  readonly name: string;
  readonly sent: Held;
  /** `undefined`: the client held nothing for the name before. */
  readonly previous: Held | undefined;
}

export type AckResult = 'acked' | 'nacked' | 'stale';

export interface NackedChange {
  readonly name: string;
  /** The version the client rejected, or `null` for a rejected removal. */
  readonly version: string | null;
}

/** Distinct names of `subscribe` (without `*`) that `known` does not hold yet. */
export function countNewNames(subscribe: readonly string[], known: ReadonlySet<string> = new Set()): number {
  let count = 0;
  for (const name of new Set(subscribe)) if (name !== WILDCARD && !known.has(name)) count++;
  return count;
}

export class SubscriptionTracker {
  #wildcard = false;
  /** Still in the legacy wildcard mode: the client has never named a resource. */
  #legacyWildcard = false;
  readonly #explicit = new Set<string>();
  readonly #held = new Map<string, Held>();
  readonly #nacked = new Map<string, Held>();
  #dirty = new Set<string>();
  /** Re-examine every known name: after a wildcard subscription, a (re)connect or a refresh. */
  #fullScan = false;
  /** The first request of a type always gets a response, even an empty one, so the client knows it is in sync. */
  #mustRespond = false;
  /** The response awaiting its ACK or NACK, by name. */
  #inFlight: { readonly nonce: string; readonly changes: Map<string, SentChange> } | undefined;

  /**
   * Starts tracking from the first request of the type on a stream. A first request that
   * names nothing is a wildcard subscription (the legacy form of `*`);
   * `initialVersions` are the resources a reconnecting client already holds.
   */
  constructor(subscribe: readonly string[], unsubscribe: readonly string[], initialVersions: Readonly<Record<string, string>>) {
    if (subscribe.length === 0) {
      this.#wildcard = true;
      this.#legacyWildcard = true;
    }
    for (const [name, version] of Object.entries(initialVersions)) this.#held.set(name, version);
    this.#fullScan = true;
    this.#mustRespond = true;
    this.update(subscribe, unsubscribe);
  }

  get wildcard(): boolean {
    return this.#wildcard;
  }

  /** Names subscribed explicitly (without `*`), in subscription order. */
  get explicitNames(): readonly string[] {
    return [...this.#explicit];
  }

  get explicitCount(): number {
    return this.#explicit.size;
  }

  get inFlightNonce(): string | undefined {
    return this.#inFlight?.nonce;
  }

  /** Whether a response is waiting to be planned (changes or a pending first response). */
  get hasPending(): boolean {
    return this.#mustRespond || this.#fullScan || this.#dirty.size > 0;
  }

  /** The versions the client holds (resources it was told are absent are left out). */
  heldVersions(): Map<string, string> {
    const versions = new Map<string, string>();
    for (const [name, held] of this.#held) if (held !== null) versions.set(name, held);
    return versions;
  }

  /** How many `update(subscribe)` would add to the explicit subscriptions. */
  countNew(subscribe: readonly string[]): number {
    return countNewNames(subscribe, this.#explicit);
  }

  /** Applies the subscription changes of a request. */
  update(subscribe: readonly string[], unsubscribe: readonly string[]): void {
    let narrowed = false;
    if (this.#legacyWildcard && (subscribe.length > 0 || unsubscribe.length > 0)) {
      // Naming a resource ends the legacy wildcard; a client that wants both sends `*` too.
      this.#legacyWildcard = false;
      this.#wildcard = false;
      narrowed = true;
    }
    for (const name of subscribe) {
      if (name === WILDCARD) {
        if (!this.#wildcard) this.#fullScan = true;
        this.#wildcard = true;
      } else {
        this.#explicit.add(name);
        this.#dirty.add(name);
      }
    }
    for (const name of unsubscribe) {
      if (name === WILDCARD) {
        this.#wildcard = false;
        narrowed = true;
      } else {
        this.#explicit.delete(name);
        // The client drops what it unsubscribes from; if the wildcard still covers the
        // name, it expects the resource again (as Envoy does).
        this.#forget(name);
        if (this.#wildcard) this.#dirty.add(name);
      }
    }
    // After the whole request: a name it both leaves the wildcard for and names stays.
    if (narrowed) this.#forgetUnwanted();
  }

  /** Resources of this type changed in the cache. */
  resourcesChanged(names: Iterable<string>): void {
    for (const name of names) if (this.#wants(name) || this.#held.has(name)) this.#dirty.add(name);
  }

  /** Re-examine everything, e.g. because the stream's filter may now decide differently. */
  refresh(): void {
    this.#fullScan = true;
  }

  /**
   * The next response, or `undefined` when one is in flight or there is nothing to say.
   * Marks what it sends as held; `ack` and `nack` settle it.
   */
  plan<E extends TrackedResource>(nonce: string, resources: ResourceLookup<E>, options: PlanOptions<E>): PlannedResponse<E> | undefined {
    if (this.#inFlight !== undefined) return undefined;
    const candidates = this.#candidates(resources);
    this.#fullScan = false;
    this.#dirty = new Set();
    const upserts: { name: string; entry: E }[] = [];
    const removals: string[] = [];
    const changes = new Map<string, SentChange>();
    let bytes = 0;
    let full = false;
    for (const name of candidates) {
      if (full) {
        // Over budget: what is left goes into the next response.
        this.#dirty.add(name);
        continue;
      }
      if (!this.#wants(name)) {
        this.#forget(name);
        continue;
      }
      const entry = resources.get(name);
      const desired: Held = entry !== undefined && options.visible(name, entry) ? entry.version : null;
      if (!this.#shouldSend(name, desired)) continue;
      const size = entry !== undefined && desired !== null ? options.sizeOf(entry) : options.removalSize(name);
      if (changes.size > 0 && bytes + size > options.maxBytes) {
        full = true;
        this.#dirty.add(name);
        continue;
      }
      bytes += size;
      changes.set(name, { name, sent: desired, previous: this.#held.get(name) });
      this.#nacked.delete(name);
      if (entry !== undefined && desired !== null) {
        this.#held.set(name, desired);
        upserts.push({ name, entry });
      } else {
        this.#markAbsent(name);
        removals.push(name);
      }
    }
    if (changes.size === 0 && !this.#mustRespond) return undefined;
    this.#mustRespond = false;
    this.#inFlight = { nonce, changes };
    return { nonce, upserts, removals };
  }

  /**
   * The client applied the response with this nonce. Requests are processed in order,
   * so the subscription now is the one the client had when it applied the response: it
   * took exactly the names it still wants (including names it dropped and took up again
   * while the response travelled).
   */
  ack(nonce: string): AckResult {
    const inFlight = this.#inFlight;
    if (inFlight?.nonce !== nonce) return 'stale';
    this.#inFlight = undefined;
    for (const { name, sent } of inFlight.changes.values()) {
      if (!this.#wants(name)) continue;
      if (sent === null) this.#markAbsent(name);
      else this.#held.set(name, sent);
    }
    return 'acked';
  }

  /**
   * The client rejected the response with this nonce and keeps what it held before: the
   * tracker restores that and remembers the rejected versions, which are not sent again
   * until they change.
   */
  nack(nonce: string): { result: AckResult; rejected: readonly NackedChange[] } {
    const inFlight = this.#inFlight;
    if (inFlight?.nonce !== nonce) return { result: 'stale', rejected: [] };
    this.#inFlight = undefined;
    for (const change of inFlight.changes.values()) {
      if (!this.#wants(change.name)) continue;
      if (change.previous === undefined) this.#held.delete(change.name);
      else this.#held.set(change.name, change.previous);
      this.#nacked.set(change.name, change.sent);
    }
    return { result: 'nacked', rejected: [...inFlight.changes.values()].map(({ name, sent }) => ({ name, version: sent })) };
  }

  #shouldSend(name: string, desired: Held): boolean {
    const held = this.#held.get(name);
    if (held === desired) return false;
    if (this.#nacked.has(name) && this.#nacked.get(name) === desired) return false;
    // A resource the client never had and that does not exist is news only to a client
    // that asked for it by name (it is waiting to hear that it does not exist).
    if (desired === null && held === undefined && !this.#explicit.has(name)) return false;
    return true;
  }

  #candidates(resources: ResourceLookup<TrackedResource>): Iterable<string> {
    if (!this.#fullScan) return this.#dirty;
    const all = new Set(this.#dirty);
    for (const name of this.#explicit) all.add(name);
    for (const name of this.#held.keys()) all.add(name);
    if (this.#wildcard) for (const name of resources.names()) all.add(name);
    return all;
  }

  #wants(name: string): boolean {
    return this.#wildcard || this.#explicit.has(name);
  }

  /**
   * Only a client that named the resource needs to remember that it does not exist;
   * for wildcard-only names that would grow with every resource ever deleted.
   */
  #markAbsent(name: string): void {
    if (this.#explicit.has(name)) this.#held.set(name, null);
    else this.#held.delete(name);
  }

  /** The client dropped the name: it holds nothing for it, also if a response in flight is rejected. */
  #forget(name: string): void {
    this.#held.delete(name);
    this.#nacked.delete(name);
    const change = this.#inFlight?.changes.get(name);
    if (change !== undefined) this.#inFlight!.changes.set(name, { ...change, previous: undefined });
  }

  #forgetUnwanted(): void {
    const names = new Set([...this.#held.keys(), ...this.#nacked.keys(), ...(this.#inFlight?.changes.keys() ?? [])]);
    for (const name of names) if (!this.#wants(name)) this.#forget(name);
  }
}
