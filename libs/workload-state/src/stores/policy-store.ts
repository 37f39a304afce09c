import { securityV1 } from '@ambit/xds';
import type { Policy } from '../types.js';

const NONE: ReadonlySet<string> = new Set();

/** What readers may ask of the policies: lookups only. */
export interface PolicyView {
  readonly size: number;
  byKey(key: string): Policy | undefined;
  /** Keys of the policies that apply to every workload of `namespace` (scope NAMESPACE). */
  inNamespace(namespace: string): ReadonlySet<string>;
  /** Keys of the mesh-wide policies (scope GLOBAL: the root namespace's policies without selector). */
  global(): ReadonlySet<string>;
  all(): IterableIterator<Policy>;
}

/**
 * Authorization policies by key, with the namespace and global indexes ztunnel's
 * policy store keeps. Workload-selector policies are found through
 * `Workload.authorizationPolicies`, so they need no index here.
 */
export class PolicyStore implements PolicyView {
  readonly #byKey = new Map<string, Policy>();
  readonly #byNamespace = new Map<string, Set<string>>();
  readonly #global = new Set<string>();

  get size(): number {
    return this.#byKey.size;
  }

  byKey(key: string): Policy | undefined {
    return this.#byKey.get(key);
  }

  inNamespace(namespace: string): ReadonlySet<string> {
    return this.#byNamespace.get(namespace) ?? NONE;
  }

  global(): ReadonlySet<string> {
    return this.#global;
  }

  all(): IterableIterator<Policy> {
    return this.#byKey.values();
  }

  insert(policy: Policy): void {
    this.remove(policy.key);
    this.#byKey.set(policy.key, policy);
    const { scope, namespace } = policy.authorization;
    if (scope === securityV1.Scope.GLOBAL) this.#global.add(policy.key);
    if (scope === securityV1.Scope.NAMESPACE) {
      let keys = this.#byNamespace.get(namespace);
      if (keys === undefined) this.#byNamespace.set(namespace, (keys = new Set()));
      keys.add(policy.key);
    }
  }

  remove(key: string): Policy | undefined {
    const policy = this.#byKey.get(key);
    if (policy === undefined) return undefined;
    this.#byKey.delete(key);
    this.#global.delete(key);
    const keys = this.#byNamespace.get(policy.authorization.namespace);
    keys?.delete(key);
    if (keys?.size === 0) this.#byNamespace.delete(policy.authorization.namespace);
    return policy;
  }
}
