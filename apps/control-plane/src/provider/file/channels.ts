import diagnostics_channel from 'node:diagnostics_channel';
import type { ConfigIssue } from '@ambit/config-model';

/**
 * Debug channels (node:diagnostics_channel) on which the file provider reports what
 * happens, for main to log. Publishing costs nothing when nobody subscribes.
 */
export const FILE_PROVIDER_CHANNELS = Object.freeze({
  /** A file's new content was read and checked: `FileLoadedEvent`. */
  fileLoaded: 'ambit:file-provider:file-loaded',
  /** Watching is unavailable; the directory is rescanned periodically instead: `PollingEvent`. */
  polling: 'ambit:file-provider:polling',
  /** A subscriber threw while handling a batch; the others still got it: `ProviderErrorEvent`. */
  listenerFailed: 'ambit:file-provider:listener-failed',
  /** A reload failed unexpectedly; what was in force stays: `ProviderErrorEvent`. */
  reloadFailed: 'ambit:file-provider:reload-failed',
});

export interface FileLoadedEvent {
  readonly path: string;
  /** Whether the new content is now in force (no errors). */
  readonly applied: boolean;
  /** When not applied: whether an earlier good version of the file stays in force. */
  readonly keptPrevious: boolean;
  readonly issues: readonly ConfigIssue[];
}

export interface PollingEvent {
  readonly directory: string;
  readonly reason: string;
  readonly cause?: unknown;
}

export interface ProviderErrorEvent {
  readonly directory: string;
  readonly error: unknown;
}

export const channels = {
  fileLoaded: diagnostics_channel.channel(FILE_PROVIDER_CHANNELS.fileLoaded),
  polling: diagnostics_channel.channel(FILE_PROVIDER_CHANNELS.polling),
  listenerFailed: diagnostics_channel.channel(FILE_PROVIDER_CHANNELS.listenerFailed),
  reloadFailed: diagnostics_channel.channel(FILE_PROVIDER_CHANNELS.reloadFailed),
};
