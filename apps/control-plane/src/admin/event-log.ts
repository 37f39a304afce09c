import diagnostics_channel from 'node:diagnostics_channel';
import { formatIssue } from '@ambit/config-model';
import { XDS_CHANNELS, type NackEvent, type StreamClosedEvent, type StreamOpenedEvent } from '@ambit/xds';
import {
  FILE_PROVIDER_CHANNELS,
  KUBERNETES_PROVIDER_CHANNELS,
  type FileLoadedEvent,
  type KindFailedEvent,
  type KubernetesProviderErrorEvent,
  type ObjectRejectedEvent,
  type PollingEvent,
  type ProviderErrorEvent,
} from '../provider/index.js';
import { errorText, type Logger } from '@ambit/telemetry';

/**
 * Turns the libraries' debug channels into log lines: config files read (with their
 * issues), provider trouble, proxies connecting, leaving and rejecting config.
 * Returns the function that stops it. The channels are process-wide: one control plane
 * per process logs exactly its own events.
 */
export function logEvents(log: Logger): () => void {
  const provider = log.child('file-provider');
  const kubernetes = log.child('kubernetes-provider');
  const xds = log.child('xds');
  const subscriptions: [string, (message: unknown) => void][] = [
    [
      FILE_PROVIDER_CHANNELS.fileLoaded,
      (message) => {
        const event = message as FileLoadedEvent;
        if (event.applied) provider.info('config file loaded', { path: event.path });
        else provider.warn(event.keptPrevious ? 'config file has errors; its last good version stays in force' : 'config file has errors; nothing of it is in force', { path: event.path });
        for (const issue of event.issues) provider[issue.severity === 'error' ? 'warn' : 'info'](formatIssue(issue));
      },
    ],
    [FILE_PROVIDER_CHANNELS.polling, (message) => provider.warn('rescanning the config directory periodically', { reason: (message as PollingEvent).reason })],
    [FILE_PROVIDER_CHANNELS.reloadFailed, (message) => provider.error('reloading config failed; what was in force stays', { error: errorText((message as ProviderErrorEvent).error) })],
    [FILE_PROVIDER_CHANNELS.listenerFailed, (message) => provider.error('a consumer of config changes failed', { error: errorText((message as ProviderErrorEvent).error) })],
    [
      KUBERNETES_PROVIDER_CHANNELS.objectRejected,
      (message) => {
        const event = message as ObjectRejectedEvent;
        kubernetes.warn(event.keptPrevious ? 'object has errors; its last good version stays in force' : 'object has errors; it is not in force', { object: event.object });
        for (const issue of event.issues) kubernetes[issue.severity === 'error' ? 'warn' : 'info'](formatIssue(issue));
      },
    ],
    [
      KUBERNETES_PROVIDER_CHANNELS.kindFailed,
      (message) => {
        const event = message as KindFailedEvent;
        const what = event.notInstalled ? 'kind not installed (its CRD is missing); skipped until it is' : 'listing or watching a kind failed; retrying';
        kubernetes[event.notInstalled ? 'info' : 'warn'](what, { resource: event.resource, retryInMs: String(event.retryInMs), error: errorText(event.error) });
      },
    ],
    [KUBERNETES_PROVIDER_CHANNELS.listenerFailed, (message) => kubernetes.error('a consumer of config changes failed', { error: errorText((message as KubernetesProviderErrorEvent).error) })],
    [
      XDS_CHANNELS.streamOpened,
      (message) => {
        const { proxy } = message as StreamOpenedEvent;
        xds.info('proxy connected', { node: proxy.node.id, identity: proxy.peer?.uris[0], remote: proxy.remoteAddress });
      },
    ],
    [
      XDS_CHANNELS.streamClosed,
      (message) => {
        const event = message as StreamClosedEvent;
        xds.info('proxy disconnected', { node: event.nodeId, reason: event.error === undefined ? undefined : errorText(event.error) });
      },
    ],
    [
      XDS_CHANNELS.nack,
      (message) => {
        const event = message as NackEvent;
        xds.warn('proxy rejected config', { node: event.nodeId, type: event.typeUrl, error: event.message });
      },
    ],
  ];
  for (const [channel, handler] of subscriptions) diagnostics_channel.subscribe(channel, handler);
  return () => {
    for (const [channel, handler] of subscriptions) diagnostics_channel.unsubscribe(channel, handler);
  };
}
