import { existsSync } from 'node:fs';
import { errorText, type Logger } from '@ambit/telemetry';
import type { StateView, Workload } from '../state/index.js';
import { installRedirect, removeRedirect } from './pod-redirect.js';

export interface PodCaptureOptions {
  readonly state: StateView;
  readonly nodeName: string;
  /** The path of a pod's network namespace, `{namespace}` and `{name}` replaced (`--pod-netns`). */
  readonly podNetns: string;
  readonly log: Logger;
}

/** One captured pod as the admin dump shows it. */
export interface CapturedPodStatus {
  readonly workload: string;
  readonly netns: string;
  /** `captured`, or why its rules could not be installed (retried on the next state change). */
  readonly state: string;
}

/**
 * In-pod capture (istio-cni's part, done by ztunnel itself): follows the state and,
 * for every workload of this node that the control plane enrols in the mesh (tunnel
 * protocol HBONE: its namespace or itself labelled `istio.io/dataplane-mode=ambient`,
 * and not `none`), installs the redirect rules in its network namespace; when a pod
 * leaves the mesh (relabelled, deleted) they are removed. At the first state a
 * ztunnel sees, rules left behind in pods that are no longer enrolled are removed too.
 * close() leaves the rules in place: the pods stay captured across a ztunnel restart
 * (their traffic waits for the new ztunnel, as with Istio), and the next one re-applies
 * them idempotently.
 */
export class PodCapture {
  readonly #options: PodCaptureOptions;
  /** By workload uid: the namespace whose rules were installed, and the outcome. */
  readonly #pods = new Map<string, { netns: string; state: string }>();
  #unsubscribe: (() => void) | undefined;
  #reconciling: Promise<void> = Promise.resolve();
  #swept = false;
  #closed = false;

  constructor(options: PodCaptureOptions) {
    this.#options = options;
  }

  /** Where a workload's listeners and connections live: its network namespace if it is captured here. */
  netnsOf(workload: Workload): string | undefined {
    if (workload.node !== this.#options.nodeName || workload.protocol !== 'HBONE') return undefined;
    return this.#pathOf(workload);
  }

  #pathOf(workload: Workload): string {
    return this.#options.podNetns.replaceAll('{namespace}', workload.namespace).replaceAll('{name}', workload.name);
  }

  /** Installs the rules of the pods known now, and follows the state from then on. */
  async start(): Promise<void> {
    this.#unsubscribe = this.#options.state.onChange(() => void this.#schedule());
    await this.#schedule();
  }

  status(): CapturedPodStatus[] {
    return [...this.#pods].map(([workload, { netns, state }]) => ({ workload, netns, state }));
  }

  /** Stops following the state; the rules stay (see the class comment). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    await this.#reconciling;
  }

  #schedule(): Promise<void> {
    this.#reconciling = this.#reconciling.then(() => this.#reconcile());
    return this.#reconciling;
  }

  async #reconcile(): Promise<void> {
    if (this.#closed) return;
    const { state, nodeName, log } = this.#options;
    const wanted = new Map<string, string>();
    const local = state.workloads.onNode(nodeName);
    for (const workload of local) {
      const netns = this.netnsOf(workload);
      if (netns !== undefined) wanted.set(workload.uid, netns);
    }
    for (const [uid, pod] of this.#pods) {
      if (wanted.get(uid) === pod.netns) continue;
      this.#pods.delete(uid);
      await this.#release(uid, pod.netns);
    }
    if (!this.#swept) {
      this.#swept = true;
      // Rules of a previous ztunnel in pods that left the mesh while no ztunnel was running.
      for (const workload of local) if (!wanted.has(workload.uid)) await this.#release(workload.uid, this.#pathOf(workload));
    }
    for (const [uid, netns] of wanted) {
      if (this.#pods.get(uid)?.state === 'captured') continue;
      try {
        await installRedirect(netns);
        this.#pods.set(uid, { netns, state: 'captured' });
        log.info('pod captured', { workload: uid, netns });
      } catch (error) {
        this.#pods.set(uid, { netns, state: errorText(error) });
        log.warn('pod not captured', { workload: uid, netns, error: errorText(error) });
      }
    }
  }

  async #release(uid: string, netns: string): Promise<void> {
    // A pod that is gone took its namespace, and its rules, with it.
    if (!existsSync(netns)) return;
    try {
      await removeRedirect(netns);
      this.#options.log.info('pod released', { workload: uid, netns });
    } catch (error) {
      this.#options.log.warn('pod release failed', { workload: uid, netns, error: errorText(error) });
    }
  }
}
