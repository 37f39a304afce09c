import { AuthorizationEngine, PolicyStore, type Connection, type Decision } from '@ambit/authz';
import { errorText, type Logger } from '@ambit/telemetry';
import type { Policy, StateView } from '../state/index.js';

/**
 * L4 authorization over the state's policies. The state keeps each Authorization as the
 * control plane sent it (validated, immutable, replaced on update); libs/authz evaluates
 * compiled ones. This follows the state into an authz PolicyStore: after a change, the
 * next decision first recompiles only the policies whose object changed (an update
 * replaces the object) and drops the removed ones.
 *
 * Decisions apply to new connections; open connections are not re-authorized when
 * policies change (ztunnel re-checks them; Ambit does not yet).
 */
export class InboundAuthorizer {
  readonly #state: StateView;
  readonly #log: Logger;
  readonly #store = new PolicyStore();
  readonly #engine = new AuthorizationEngine(this.#store);
  /** What the store holds, by key: the state's object and the version it was compiled as. */
  readonly #compiled = new Map<string, { readonly policy: Policy; readonly version: string }>();
  readonly #unsubscribe: () => void;
  #stale = true;
  #versions = 0;

  constructor(state: StateView, log: Logger) {
    this.#state = state;
    this.#log = log;
    this.#unsubscribe = state.onChange(() => {
      this.#stale = true;
    });
  }

  decide(connection: Connection): Decision {
    if (this.#stale) this.#sync();
    return this.#engine.decide(connection);
  }

  /** Stops following the state. */
  close(): void {
    this.#unsubscribe();
  }

  #sync(): void {
    this.#stale = false;
    const upserted: { name: string; version: string; resource: Policy['authorization'] }[] = [];
    const seen = new Set<string>();
    for (const policy of this.#state.policies.all()) {
      seen.add(policy.key);
      if (this.#compiled.get(policy.key)?.policy === policy) continue;
      const version = String(++this.#versions);
      this.#compiled.set(policy.key, { policy, version });
      upserted.push({ name: policy.key, version, resource: policy.authorization });
    }
    const removed = [...this.#compiled.keys()].filter((key) => !seen.has(key));
    for (const key of removed) this.#compiled.delete(key);
    if (upserted.length === 0 && removed.length === 0) return;
    const result = this.#store.apply({ upserted, removed });
    // The state validated what it could; what still does not compile is enforced fail-closed.
    for (const error of result.rejected) this.#log.warn('authorization policy enforced fail-closed', { error: errorText(error) });
  }
}
