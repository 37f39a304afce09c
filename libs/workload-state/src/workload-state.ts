import type { securityV1, workloadV1 } from '@ambit/xds';
import { convertAddress, type ConvertedAddress } from './convert/convert-address.js';
import { convertPolicy } from './convert/convert-policy.js';
import { validateAll, type StateErrors } from './errors.js';
import { PolicyStore, type PolicyView } from './stores/policy-store.js';
import { ServiceStore, type ServiceView } from './stores/service-store.js';
import { WorkloadStore, type WorkloadView } from './stores/workload-store.js';
import type { Policy, Workload } from './types.js';

/** One xDS response's changes for one type (the shape of libs/xds `ResourceUpdate`). */
export interface StateUpdate<T> {
  readonly upserted: readonly { readonly name: string; readonly resource: T }[];
  readonly removed: readonly string[];
}

/** The read-only state every part of a proxy but its xDS adapter gets. */
export interface StateView {
  readonly workloads: WorkloadView;
  readonly services: ServiceView;
  readonly policies: PolicyView;
  /** Calls `listener` after each applied update; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** The workload once it is known, or undefined after `timeoutMs` (for a connection that races its workload's xDS push). */
  waitForWorkload(uid: string, timeoutMs: number): Promise<Workload | undefined>;
}

/**
 * The single writer of a proxy's workload, service and policy state. The xDS adapter
 * hands it each response; it validates every resource of the response first and applies
 * the response whole, or throws the proxy's UpdateRejectedError and changes nothing (the
 * adapter NACKs, the last good state stays). Everyone else reads through `view`, which
 * has no way to write.
 */
export class WorkloadState {
  readonly view: StateView;
  readonly #errors: StateErrors;
  readonly #workloads = new WorkloadStore();
  readonly #services = new ServiceStore();
  readonly #policies = new PolicyStore();
  /** What each Address name currently is, so that a removal knows which store to touch. */
  readonly #addressKinds = new Map<string, ConvertedAddress['kind']>();
  readonly #listeners = new Set<() => void>();

  /** `errors` makes the proxy's own error classes (their codes name the proxy). */
  constructor(errors: StateErrors) {
    this.#errors = errors;
    const listeners = this.#listeners;
    const workloads = this.#workloads;
    this.view = Object.freeze({
      workloads,
      services: this.#services,
      policies: this.#policies,
      onChange(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      waitForWorkload(uid: string, timeoutMs: number) {
        const known = workloads.byUid(uid);
        if (known !== undefined) return Promise.resolve(known);
        return new Promise<Workload | undefined>((resolve) => {
          const done = (workload: Workload | undefined): void => {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(workload);
          };
          const check = (): void => {
            const workload = workloads.byUid(uid);
            if (workload !== undefined) done(workload);
          };
          const timer = setTimeout(() => done(undefined), timeoutMs);
          listeners.add(check);
        });
      },
    });
  }

  /** Applies one Address response (workloads and services) whole, or throws UpdateRejectedError and applies nothing. */
  applyAddresses(update: StateUpdate<workloadV1.Address>): void {
    const converted = validateAll(update.upserted, ({ name, resource }) => ({ name, address: convertAddress(name, resource, this.#errors) }), this.#errors);
    for (const name of update.removed) this.#removeAddress(name);
    for (const { name, address } of converted) {
      if (this.#addressKinds.get(name) !== address.kind) this.#removeAddress(name);
      this.#addressKinds.set(name, address.kind);
      if (address.kind === 'service') {
        this.#services.insert(address.service);
      } else {
        const previous = this.#workloads.insert(address.workload);
        this.#services.updateEndpoints(previous, address.workload);
      }
    }
    this.#changed();
  }

  /** Applies one Authorization response whole, or throws UpdateRejectedError and applies nothing. */
  applyAuthorizations(update: StateUpdate<securityV1.Authorization>): void {
    const converted: Policy[] = validateAll(update.upserted, ({ name, resource }) => convertPolicy(name, resource, this.#errors), this.#errors);
    for (const name of update.removed) this.#policies.remove(name);
    for (const policy of converted) this.#policies.insert(policy);
    this.#changed();
  }

  #removeAddress(name: string): void {
    const kind = this.#addressKinds.get(name);
    this.#addressKinds.delete(name);
    if (kind === 'service') this.#services.remove(name);
    if (kind === 'workload') this.#services.updateEndpoints(this.#workloads.remove(name), undefined);
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
