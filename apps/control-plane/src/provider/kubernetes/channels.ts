import diagnostics_channel from 'node:diagnostics_channel';
import type { ConfigIssue } from '@ambit/config-model';

/**
 * Debug channels (node:diagnostics_channel) on which the Kubernetes provider reports
 * what happens, for main to log. Publishing costs nothing when nobody subscribes.
 */
export const KUBERNETES_PROVIDER_CHANNELS = Object.freeze({
  /** An object is invalid; its last good version, if any, stays in force: `ObjectRejectedEvent`. */
  objectRejected: 'ambit:kubernetes-provider:object-rejected',
  /** Listing or watching a kind failed; it is retried after a pause: `KindFailedEvent`. */
  kindFailed: 'ambit:kubernetes-provider:kind-failed',
  /** A subscriber threw while handling a batch; the others still got it: `KubernetesProviderErrorEvent`. */
  listenerFailed: 'ambit:kubernetes-provider:listener-failed',
});

export interface ObjectRejectedEvent {
  /** `Kind namespace/name`. */
  readonly object: string;
  readonly keptPrevious: boolean;
  readonly issues: readonly ConfigIssue[];
}

export interface KindFailedEvent {
  /** `<plural>.<group>`. */
  readonly resource: string;
  /** A CRD's kind that is not installed: skipped until it is. */
  readonly notInstalled: boolean;
  readonly retryInMs: number;
  readonly error: unknown;
}

export interface KubernetesProviderErrorEvent {
  readonly error: unknown;
}

export const channels = {
  objectRejected: diagnostics_channel.channel(KUBERNETES_PROVIDER_CHANNELS.objectRejected),
  kindFailed: diagnostics_channel.channel(KUBERNETES_PROVIDER_CHANNELS.kindFailed),
  listenerFailed: diagnostics_channel.channel(KUBERNETES_PROVIDER_CHANNELS.listenerFailed),
};

export function publish(channel: diagnostics_channel.Channel, message: unknown): void {
  if (channel.hasSubscribers) channel.publish(message);
}
