import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { obj, report } from '../../../schema/object.js';
import { duration, int32, uint32 } from '../../../schema/primitives.js';

const count = () => int32().min(0);

/** networking ConnectionPoolSettings.TCPSettings. */
const tcpSettings = () =>
  obj({
    maxConnections: count().optional(),
    connectTimeout: duration().optional(),
    tcpKeepalive: obj({
      probes: uint32().optional(),
      time: duration().optional(),
      interval: duration().optional(),
    }).optional(),
    maxConnectionDuration: duration().optional(),
    // "0s" disables the idle timeout.
    idleTimeout: duration({ allowZero: true }).optional(),
  });

/** networking ConnectionPoolSettings.HTTPSettings. */
const httpSettings = () =>
  obj({
    http1MaxPendingRequests: count().optional(),
    http2MaxRequests: count().optional(),
    maxRequestsPerConnection: count().optional(),
    maxRetries: count().optional(),
    idleTimeout: duration().optional(),
    h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
    useClientProtocol: z.boolean().optional(),
    maxConcurrentStreams: count().optional(),
  }).superRefine((h, ctx) => {
    if (h.h2UpgradePolicy === 'UPGRADE' && h.useClientProtocol === true) {
      report(ctx, IssueCode.Conflict, 'useClientProtocol cannot be true when h2UpgradePolicy is UPGRADE', { path: ['useClientProtocol'] });
    }
  });

/** networking ConnectionPoolSettings. */
export const connectionPoolSettings = () =>
  obj({
    tcp: tcpSettings().optional(),
    http: httpSettings().optional(),
  }).superRefine((c, ctx) => {
    if (c.tcp === undefined && c.http === undefined) report(ctx, IssueCode.Required, 'connectionPool needs tcp, http or both');
  });
