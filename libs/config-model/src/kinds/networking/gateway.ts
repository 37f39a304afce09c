import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { isIpAddress } from '../../schema/names.js';
import { isSet, obj, report, reportDuplicates, warn } from '../../schema/object.js';
import { stringMap, uint32 } from '../../schema/primitives.js';
import { NETWORKING_VERSIONS, istioStatus } from '../common/istio.js';
import { defineKind } from '../define-kind.js';
import { UNIX_PREFIX, checkGatewayHost, checkUnixAddress } from './hosts.js';
import { isHttpProtocol, isTlsProtocol, parseProtocol, protocolName } from './protocol.js';
import { checkServerTls, serverTlsSettings } from './server-tls.js';

/** networking Port as a Gateway server uses it: number, protocol and name are required. */
const gatewayPort = () =>
  obj({
    // 0 is only meaningful with a unix domain socket `bind`; checked on the server.
    number: z.int().min(0).max(65535),
    protocol: protocolName(),
    name: z.string().superRefine((name, ctx) => {
      if (name === '') report(ctx, IssueCode.Required, 'port name must be set');
    }),
    targetPort: uint32()
      .superRefine((value, ctx) => {
        if (value > 0) report(ctx, IssueCode.Value, 'targetPort has no effect on Gateways', { hint: 'remove targetPort; a Gateway listens on port.number' });
      })
      .optional(),
  });

const server = () =>
  obj({
    port: gatewayPort(),
    bind: z.string().optional(),
    hosts: z.array(
      z.string().superRefine((host, ctx) => {
        const err = checkGatewayHost(host);
        if (err !== undefined) report(ctx, IssueCode.Value, err, { hint: 'use [namespace/]host, e.g. "*", "*.example.com", "prod/*" or "./api.example.com"' });
      }),
    ).min(1),
    tls: serverTlsSettings().optional(),
    defaultEndpoint: z.string().optional(),
    name: z.string().optional(),
  }).superRefine((s, ctx) => {
    const bind = s.bind ?? '';
    if (bind.startsWith(UNIX_PREFIX)) {
      const err = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['bind'] });
      if (s.port.number !== 0) report(ctx, IssueCode.Value, 'port number must be 0 when bind is a unix domain socket', { path: ['port', 'number'] });
    } else {
      if (bind !== '' && !isIpAddress(bind)) report(ctx, IssueCode.Value, `bind "${bind}" is not an IP address`, { path: ['bind'], hint: 'use an IP address or unix:///path/to/socket' });
      if (s.port.number === 0) report(ctx, IssueCode.Value, 'port number must be between 1 and 65535', { path: ['port', 'number'] });
    }

    if (s.tls !== undefined) checkServerTls(s.tls, ctx, ['tls']);

    const protocol = parseProtocol(s.port.protocol);
    if (s.tls?.httpsRedirect === true && !isHttpProtocol(protocol)) {
      warn(ctx, IssueCode.Value, `tls.httpsRedirect should only be used with HTTP servers, not ${s.port.protocol}`, {
        path: ['tls', 'httpsRedirect'],
        hint: 'set httpsRedirect on the plain-text HTTP server that redirects its clients here',
      });
    }
    if (protocol === undefined) return; // already reported on port.protocol
    if (isTlsProtocol(protocol)) {
      if (s.tls === undefined) {
        report(ctx, IssueCode.Required, `a ${s.port.protocol} server must have tls settings`, { path: ['port', 'protocol'], hint: 'add tls with a mode (e.g. SIMPLE with credentialName, or PASSTHROUGH)' });
      }
    } else if (s.tls !== undefined) {
      const tls = s.tls;
      const mode = tls.mode ?? 'PASSTHROUGH';
      const certsSet = [tls.caCertificates, tls.privateKey, tls.serverCertificate].some(isSet);
      if (!isHttpProtocol(protocol)) {
        report(ctx, IssueCode.Conflict, `a ${s.port.protocol} server cannot have tls settings`, { path: ['tls'], hint: 'tls applies to HTTPS and TLS servers (and httpsRedirect to HTTP servers)' });
      } else if ((mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH') || certsSet) {
        report(ctx, IssueCode.Conflict, `a plain-text ${s.port.protocol} server cannot terminate TLS`, { path: ['tls'], hint: 'on an HTTP server tls may only set httpsRedirect; use protocol HTTPS to terminate TLS' });
      }
    }
  });

export const gateway = defineKind({
  group: 'networking.istio.io',
  kind: 'Gateway',
  versions: NETWORKING_VERSIONS,
  namespaced: true,
  // Istio requires Gateway names to be DNS labels (no dots).
  nameFormat: 'dns1123-label',
  body: {
    spec: obj({
      selector: stringMap().optional(),
      servers: z.array(server()).min(1),
    }).superRefine((spec, ctx) => {
      reportDuplicates(ctx, spec.servers, (s) => s.port.name, {
        path: (i) => ['servers', i, 'port', 'name'],
        where: (i) => `servers[${i}]`,
        message: (name, first) => `port name "${name}" is already used by ${first}`,
        hint: 'port names must be unique across the servers of a Gateway',
      });
    }),
    status: istioStatus(),
  },
});
