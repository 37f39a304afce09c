import { securityV1 } from '@ambit/xds';
import { InvalidPolicyError } from '../errors.js';
import { compilePolicy, failClosedPolicy } from './compile-policy.js';
import type { CompiledPolicy } from './compiled-policy.js';

/** The policies of one scope bucket, split the way the engine walks them. */
export interface PolicyBucket {
  /** Enforced DENY policies (including fail-closed ones). */
  readonly deny: readonly CompiledPolicy[];
  /** Enforced ALLOW policies. */
  readonly allow: readonly CompiledPolicy[];
  /** Enforced AUDIT policies. */
  readonly audit: readonly CompiledPolicy[];
  /** Dry-run policies of any action: evaluated and reported, never enforced. */
  readonly dryRun: readonly CompiledPolicy[];
}

/**
 * The read-only view the engine decides with, as ztunnel's PolicyStore offers it
 * (src/state/policy.rs): a policy by key, the GLOBAL ones, the NAMESPACE-scoped ones of
 * a namespace. WORKLOAD_SELECTOR policies are reached only by key, through the
 * destination's `authorization_policies`. At a waypoint: the WAYPOINT-scoped ones, and
 * the SERVICE-scoped ones of a service.
 */
export interface PolicyView {
  get(key: string): CompiledPolicy | undefined;
  global(): PolicyBucket;
  namespace(namespace: string): PolicyBucket;
  waypoint(): PolicyBucket;
  /** `namespace/hostname`. */
  service(service: string): PolicyBucket;
}

/** One xDS delta of Authorization resources (a `ResourceUpdate` from `@ambit/xds` is one). */
export interface PolicyUpdate {
  readonly upserted: readonly { readonly name: string; readonly version: string; readonly resource: securityV1.Authorization }[];
  readonly removed: readonly string[];
}

/** What applying an update did. */
export interface PolicyUpdateResult {
  /** Upserts compiled (valid or not). */
  readonly compiled: number;
  /** Upserts whose version was already compiled: kept as they were. */
  readonly unchanged: number;
  readonly removed: number;
  /** Upserts that could not be compiled; each is now in force fail-closed. NACK these. */
  readonly rejected: readonly InvalidPolicyError[];
}

const EMPTY_BUCKET: PolicyBucket = Object.freeze({ deny: [], allow: [], audit: [], dryRun: [] });
/** ztunnel's by_namespace key for GLOBAL policies. */
const GLOBAL = '';
/** Bucket keys of the waypoint scopes: NUL is in no namespace, so they never meet one. */
const WAYPOINT = '\0waypoint';
const serviceBucket = (service: string): string => `\0service:${service}`;

/**
 * The compiled-policy cache: Authorization resources in (xDS deltas), compiled
 * policies out, keyed by name and version, so that an update recompiles only what
 * changed and rebuilds only the scope buckets it touches. One writer (the proxy's xDS
 * handler) calls `apply`; the engine reads through the PolicyView methods.
 */
export class PolicyStore implements PolicyView {
  readonly #byKey = new Map<string, CompiledPolicy>();
  /** Scope bucket key ('' for GLOBAL, else the namespace) → its policies by key. */
  readonly #members = new Map<string, Map<string, CompiledPolicy>>();
  readonly #buckets = new Map<string, PolicyBucket>();

  apply(update: PolicyUpdate): PolicyUpdateResult {
    const touched = new Set<string>();
    const rejected: InvalidPolicyError[] = [];
    let compiled = 0;
    let unchanged = 0;
    let removed = 0;
    for (const key of update.removed) {
      const old = this.#byKey.get(key);
      if (old === undefined) continue;
      this.#unindex(old, touched);
      this.#byKey.delete(key);
      removed++;
    }
    for (const { name, version, resource } of update.upserted) {
      const old = this.#byKey.get(name);
      if (old !== undefined && old.version === version) {
        unchanged++;
        continue;
      }
      const policy = compileOrFailClosed(name, version, resource);
      if (policy.error !== undefined) rejected.push(policy.error);
      if (old !== undefined) this.#unindex(old, touched);
      this.#byKey.set(name, policy);
      this.#index(policy, touched);
      compiled++;
    }
    for (const bucket of touched) this.#rebuild(bucket);
    return { compiled, unchanged, removed, rejected };
  }

  get(key: string): CompiledPolicy | undefined {
    return this.#byKey.get(key);
  }

  global(): PolicyBucket {
    return this.#buckets.get(GLOBAL) ?? EMPTY_BUCKET;
  }

  namespace(namespace: string): PolicyBucket {
    // '' is the GLOBAL bucket's key; no namespace is named ''.
    return namespace === GLOBAL ? EMPTY_BUCKET : (this.#buckets.get(namespace) ?? EMPTY_BUCKET);
  }

  waypoint(): PolicyBucket {
    return this.#buckets.get(WAYPOINT) ?? EMPTY_BUCKET;
  }

  service(service: string): PolicyBucket {
    return this.#buckets.get(serviceBucket(service)) ?? EMPTY_BUCKET;
  }

  get size(): number {
    return this.#byKey.size;
  }

  #index(policy: CompiledPolicy, touched: Set<string>): void {
    for (const bucket of bucketsOf(policy)) {
      let members = this.#members.get(bucket);
      if (members === undefined) this.#members.set(bucket, (members = new Map()));
      members.set(policy.key, policy);
      touched.add(bucket);
    }
  }

  #unindex(policy: CompiledPolicy, touched: Set<string>): void {
    for (const bucket of bucketsOf(policy)) {
      this.#members.get(bucket)?.delete(policy.key);
      touched.add(bucket);
    }
  }

  #rebuild(bucket: string): void {
    const members = this.#members.get(bucket);
    if (members === undefined || members.size === 0) {
      this.#members.delete(bucket);
      this.#buckets.delete(bucket);
      return;
    }
    // Sorted by key, so that which policy decides never depends on arrival order.
    const policies = [...members.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const enforced = policies.filter((p) => !p.dryRun);
    this.#buckets.set(bucket, {
      deny: enforced.filter((p) => p.action === 'DENY'),
      allow: enforced.filter((p) => p.action === 'ALLOW'),
      audit: enforced.filter((p) => p.action === 'AUDIT'),
      dryRun: policies.filter((p) => p.dryRun),
    });
  }
}

/**
 * Where ztunnel's PolicyStore.insert files a policy: '' for GLOBAL, its namespace for
 * NAMESPACE, nowhere for WORKLOAD_SELECTOR; and the waypoint bucket for WAYPOINT, one
 * bucket per service for SERVICE.
 */
function bucketsOf(policy: CompiledPolicy): readonly string[] {
  switch (policy.scope) {
    case securityV1.Scope.GLOBAL:
      return [GLOBAL];
    case securityV1.Scope.NAMESPACE:
      // A fail-closed policy may have no namespace: it then applies to none, never to all.
      return policy.namespace === '' ? [] : [policy.namespace];
    case securityV1.Scope.WAYPOINT:
      return [WAYPOINT];
    case securityV1.Scope.SERVICE:
      return [...new Set(policy.services)].map(serviceBucket);
    default:
      return [];
  }
}

function compileOrFailClosed(key: string, version: string, resource: securityV1.Authorization): CompiledPolicy {
  try {
    return compilePolicy(key, version, resource);
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    return failClosedPolicy(key, version, resource, error);
  }
}
