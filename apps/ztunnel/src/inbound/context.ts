import type { Logger } from '@ambit/telemetry';
import type { StateView } from '../state/index.js';
import type { TcpMetrics } from '../telemetry/index.js';
import type { InboundAuthorizer } from './authorizer.js';
import type { InboundStats } from './inbound-stats.js';

/** What every inbound listener of a ztunnel shares. */
export interface InboundContext {
  readonly state: StateView;
  readonly nodeName: string;
  readonly network: string;
  readonly authorizer: InboundAuthorizer;
  readonly metrics: TcpMetrics;
  readonly stats: InboundStats;
  readonly log: Logger;
  /** Whether `ip:port` is one of this ztunnel's own listeners, never forwarded to. */
  readonly isOwnAddress: (ip: string, port: number) => boolean;
  readonly connectTimeoutMs: number;
}
