import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SubscriptionTracker, WILDCARD, type PlannedResponse, type ResourceLookup } from './subscription-tracker.js';

interface Entry {
  readonly version: string;
}

const ITEM_SIZE = 10;

/** The server's resources of one type. */
class Resources implements ResourceLookup<Entry> {
  readonly map = new Map<string, Entry>();
  get(name: string): Entry | undefined {
    return this.map.get(name);
  }
  names(): Iterable<string> {
    return this.map.keys();
  }
}

/**
 * A client as Envoy's delta protocol describes it: it applies a response whole or
 * rejects it whole, drops what it unsubscribes from, and ignores resources it no longer
 * wants. `lastRejected` remembers, per name, what it last rejected on this stream.
 */
class ModelClient {
  wildcard: boolean;
  legacy: boolean;
  readonly explicit = new Set<string>();
  readonly held = new Map<string, string>();
  readonly lastRejected = new Map<string, string | null>();

  constructor(subscribe: readonly string[]) {
    this.wildcard = subscribe.length === 0;
    this.legacy = subscribe.length === 0;
    this.subscribe(subscribe);
  }

  wants(name: string): boolean {
    return this.wildcard || this.explicit.has(name);
  }

  subscribe(names: readonly string[]): void {
    this.#leaveLegacy(names.length);
    for (const name of names) {
      if (name === WILDCARD) this.wildcard = true;
      else this.explicit.add(name);
    }
    this.#dropUnwanted();
  }

  unsubscribe(names: readonly string[]): void {
    this.#leaveLegacy(names.length);
    for (const name of names) {
      if (name === WILDCARD) this.wildcard = false;
      else {
        this.explicit.delete(name);
        this.#drop(name);
      }
    }
    this.#dropUnwanted();
  }

  #dropUnwanted(): void {
    for (const name of [...this.held.keys(), ...this.lastRejected.keys()]) if (!this.wants(name)) this.#drop(name);
  }

  /** Applies or rejects a response (by the names it wants now); returns whether it was accepted. */
  receive(response: PlannedResponse<Entry>, rejectVersion: (version: string) => boolean): boolean {
    const wanted = response.upserts.filter(({ name }) => this.wants(name));
    const reject = wanted.some(({ entry }) => rejectVersion(entry.version));
    if (reject) {
      for (const { name, entry } of wanted) this.lastRejected.set(name, entry.version);
      for (const name of response.removals) if (this.wants(name)) this.lastRejected.set(name, null);
      return false;
    }
    for (const { name, entry } of wanted) {
      this.held.set(name, entry.version);
      this.lastRejected.delete(name);
    }
    for (const name of response.removals) {
      if (!this.wants(name)) continue;
      this.held.delete(name);
      this.lastRejected.delete(name);
    }
    return true;
  }

  /** What the first request of a new stream says. */
  reconnectRequest(): { subscribe: string[]; initial: Record<string, string> } {
    return {
      subscribe: this.legacy ? [] : [...(this.wildcard ? [WILDCARD] : []), ...this.explicit],
      initial: Object.fromEntries(this.held),
    };
  }

  #leaveLegacy(count: number): void {
    if (!this.legacy || count === 0) return;
    this.legacy = false;
    this.wildcard = false;
  }

  #drop(name: string): void {
    this.held.delete(name);
    this.lastRejected.delete(name);
  }
}

type Op =
  | { readonly kind: 'upsert'; readonly name: string; readonly version: string }
  | { readonly kind: 'remove'; readonly name: string }
  | { readonly kind: 'subscribe'; readonly names: readonly string[] }
  | { readonly kind: 'unsubscribe'; readonly names: readonly string[] }
  | { readonly kind: 'deliver' }
  | { readonly kind: 'reconnect' }
  /** The proxy's filter changes its mind about a name. */
  | { readonly kind: 'toggle'; readonly name: string };

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const name = fc.constantFrom(...NAMES);
const names = fc.uniqueArray(fc.constantFrom(...NAMES, WILDCARD), { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('upsert' as const), name, version: fc.constantFrom('1', '2', '3', 'bad1', 'bad2') }),
  fc.record({ kind: fc.constant('remove' as const), name }),
  fc.record({ kind: fc.constant('subscribe' as const), names }),
  fc.record({ kind: fc.constant('unsubscribe' as const), names }),
  fc.constant({ kind: 'deliver' as const }),
  fc.constant({ kind: 'deliver' as const }),
  fc.constant({ kind: 'reconnect' as const }),
  fc.record({ kind: fc.constant('toggle' as const), name }),
);

interface Scenario {
  readonly first: readonly string[];
  readonly ops: readonly Op[];
  readonly hidden: readonly string[];
  readonly maxItems: number;
  readonly rejectBad: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  // A first request naming nothing is a (legacy) wildcard subscription.
  first: fc.oneof(fc.constant([]), names),
  ops: fc.array(op, { maxLength: 40 }),
  // Names this proxy's filter hides.
  hidden: fc.uniqueArray(name, { maxLength: 2 }),
  maxItems: fc.integer({ min: 1, max: 4 }),
  rejectBad: fc.boolean(),
});

/** Runs a scenario, then lets the exchange settle; checks the invariants on the way. */
function run(s: Scenario): { resources: Resources; client: ModelClient; tracker: SubscriptionTracker; hidden: Set<string> } {
  const resources = new Resources();
  const hidden = new Set(s.hidden);
  const rejectVersion = (version: string): boolean => s.rejectBad && version.startsWith('bad');
  let client = new ModelClient(s.first);
  let tracker = new SubscriptionTracker(s.first, [], {});
  let inFlight: PlannedResponse<Entry> | undefined;
  let nonces = 0;

  const plan = (): void => {
    if (inFlight !== undefined) return;
    inFlight = tracker.plan(`n${++nonces}`, resources, {
      visible: (n) => !hidden.has(n),
      maxBytes: s.maxItems * ITEM_SIZE,
      sizeOf: () => ITEM_SIZE,
      removalSize: () => ITEM_SIZE,
    });
    if (inFlight === undefined) return;
    // Never resend what this stream's client rejected, until it changes.
    for (const { name: n, entry } of inFlight.upserts) expect(client.lastRejected.get(n)).not.toBe(entry.version);
    for (const n of inFlight.removals) expect(client.lastRejected.get(n)).not.toBe(null);
    expect(inFlight.upserts.length + inFlight.removals.length).toBeLessThanOrEqual(Math.max(1, s.maxItems));
  };
  const deliver = (): void => {
    plan();
    if (inFlight === undefined) return;
    const response = inFlight;
    inFlight = undefined;
    if (client.receive(response, rejectVersion)) expect(tracker.ack(response.nonce)).toBe('acked');
    else expect(tracker.nack(response.nonce).result).toBe('nacked');
  };

  for (const step of s.ops) {
    switch (step.kind) {
      case 'upsert':
        resources.map.set(step.name, { version: step.version });
        tracker.resourcesChanged([step.name]);
        break;
      case 'remove':
        resources.map.delete(step.name);
        tracker.resourcesChanged([step.name]);
        break;
      case 'subscribe':
        client.subscribe(step.names);
        tracker.update(step.names, []);
        break;
      case 'unsubscribe':
        client.unsubscribe(step.names);
        tracker.update([], step.names);
        break;
      case 'deliver':
        deliver();
        break;
      case 'toggle':
        if (!hidden.delete(step.name)) hidden.add(step.name);
        tracker.refresh();
        break;
      case 'reconnect': {
        // The response in flight is lost with the stream; the new stream starts from what the client holds.
        const { subscribe, initial } = client.reconnectRequest();
        // Subscribed to nothing: the client sends no request for the type at all.
        if (subscribe.length === 0 && !client.legacy) break;
        inFlight = undefined;
        tracker = new SubscriptionTracker(subscribe, [], initial);
        const next = new ModelClient(subscribe);
        for (const [n, v] of client.held) next.held.set(n, v);
        client = next;
        break;
      }
    }
    // Responses interleave with changes, as they do on a real stream.
    plan();
  }
  for (let i = 0; i < 100 && (inFlight !== undefined || tracker.hasPending); i++) deliver();
  expect(inFlight).toBeUndefined();
  expect(tracker.hasPending).toBe(false);
  return { resources, client, tracker, hidden };
}

function desired(resources: Resources, hidden: Set<string>, n: string): string | null {
  const entry = resources.map.get(n);
  return entry !== undefined && !hidden.has(n) ? entry.version : null;
}

describe('SubscriptionTracker', () => {
  it('converges: the client holds every wanted visible resource unless it rejected exactly that version', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { resources, client, tracker, hidden } = run(s);
        for (const n of NAMES) {
          const want = desired(resources, hidden, n);
          if (!client.wants(n)) {
            expect(client.held.has(n)).toBe(false);
            continue;
          }
          const has = client.held.get(n) ?? null;
          if (has !== want) expect(client.lastRejected.get(n)).toBe(want);
        }
        // The server's account of what the client holds is the truth.
        expect(Object.fromEntries(tracker.heldVersions())).toEqual(Object.fromEntries(client.held));
      }),
      { numRuns: 2000 },
    );
  });

  it('with a client that accepts everything, ends with exactly the wanted visible resources', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { resources, client, hidden } = run({ ...s, rejectBad: false });
        const expected = Object.fromEntries(
          NAMES.flatMap((n) => {
            const want = desired(resources, hidden, n);
            return client.wants(n) && want !== null ? [[n, want]] : [];
          }),
        );
        expect(Object.fromEntries(client.held)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  const lookup = (entries: Record<string, string>): ResourceLookup<Entry> => {
    const map = new Map(Object.entries(entries).map(([n, version]) => [n, { version }]));
    return { get: (n) => map.get(n), names: () => map.keys() };
  };
  const options = { visible: () => true, maxBytes: 1000, sizeOf: () => 1, removalSize: () => 1 };

  it('answers the first request even when there is nothing to send', () => {
    const tracker = new SubscriptionTracker([], [], {});
    const response = tracker.plan('n1', lookup({}), options);
    expect(response).toEqual({ nonce: 'n1', upserts: [], removals: [] });
    expect(tracker.plan('n2', lookup({}), options)).toBeUndefined();
  });

  it('sends a reconnecting client only what differs, and removals for what no longer exists', () => {
    const tracker = new SubscriptionTracker([], [], { a: '1', b: '1', gone: '1' });
    const response = tracker.plan('n1', lookup({ a: '1', b: '2', c: '1' }), options)!;
    expect(response.upserts.map((u) => [u.name, u.entry.version])).toEqual([
      ['b', '2'],
      ['c', '1'],
    ]);
    expect(response.removals).toEqual(['gone']);
  });

  it('tells a client that named a missing resource that it does not exist, once', () => {
    const tracker = new SubscriptionTracker(['missing'], [], {});
    expect(tracker.plan('n1', lookup({}), options)!.removals).toEqual(['missing']);
    tracker.ack('n1');
    tracker.resourcesChanged(['missing']);
    expect(tracker.plan('n2', lookup({}), options)).toBeUndefined();
  });

  it('waits for the ACK before the next response and ignores stale nonces', () => {
    const tracker = new SubscriptionTracker([], [], {});
    tracker.plan('n1', lookup({ a: '1' }), options);
    tracker.resourcesChanged(['a']);
    expect(tracker.plan('n2', lookup({ a: '2' }), options)).toBeUndefined();
    expect(tracker.ack('other')).toBe('stale');
    expect(tracker.nack('other').result).toBe('stale');
    expect(tracker.ack('n1')).toBe('acked');
    expect(tracker.plan('n3', lookup({ a: '2' }), options)!.upserts.map((u) => u.entry.version)).toEqual(['2']);
  });

  it('ends the legacy wildcard when the client names a resource', () => {
    const tracker = new SubscriptionTracker([], [], {});
    tracker.update(['a'], []);
    expect(tracker.wildcard).toBe(false);
    expect(tracker.plan('n1', lookup({ a: '1', b: '1' }), options)!.upserts.map((u) => u.name)).toEqual(['a']);
  });
});
