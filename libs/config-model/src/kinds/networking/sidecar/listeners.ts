import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { checkIstioPortName, isIpAddress } from '../../../schema/names.js';
import { isSet, obj, report, warn } from '../../../schema/object.js';
import { uint32 } from '../../../schema/primitives.js';
import { UNIX_PREFIX, checkSidecarEgressHost, checkUnixAddress } from '../hosts.js';
import { isHttpProtocol, isTlsProtocol, parseProtocol, protocolName } from '../protocol.js';
import { checkServerTls, serverTlsSettings } from '../server-tls.js';
import { connectionPoolSettings } from '../destination-rule/connection-pool.js';

export const CAPTURE_MODES = ['DEFAULT', 'IPTABLES', 'NONE'] as const;

/** networking SidecarPort: every field optional; a number of 0 means a unix domain socket listener. */
export const sidecarPort = () =>
  obj({
    number: z.int().min(0).max(65535).optional(),
    protocol: protocolName({ allowEmpty: true }).optional(),
    name: z
      .string()
      .superRefine((name, ctx) => {
        const err = name === '' ? undefined : checkIstioPortName(name);
        if (err !== undefined) report(ctx, IssueCode.Value, err);
      })
      .optional(),
    targetPort: uint32()
      .superRefine((value, ctx) => {
        if (value > 0) report(ctx, IssueCode.Value, 'targetPort has no effect on Sidecars', { hint: 'remove targetPort' });
      })
      .optional(),
  });

export type SidecarPort = z.output<ReturnType<typeof sidecarPort>>;

const LOOPBACK_OR_ANY = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);
const DEFAULT_ENDPOINT_HINT = 'use 127.0.0.1:PORT, 0.0.0.0:PORT, [::1]:PORT, [::]:PORT, :PORT or unix:///path/to/socket';

/** Splits `host:port` / `[v6]:port` as Go's net.SplitHostPort does, or returns undefined. */
export function splitHostPort(value: string): { host: string; port: string } | undefined {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1 || value[end + 1] !== ':') return undefined;
    const host = value.slice(1, end);
    const port = value.slice(end + 2);
    return port.includes(':') || port.includes('[') || port.includes(']') ? undefined : { host, port };
  }
  const colon = value.lastIndexOf(':');
  if (colon === -1) return undefined;
  const host = value.slice(0, colon);
  if (host.includes(':') || host.includes('[') || host.includes(']')) return undefined;
  return { host, port: value.slice(colon + 1) };
}

/** Istio's rules for an ingress listener's defaultEndpoint: an error message or undefined. */
export function checkDefaultEndpoint(value: string): string | undefined {
  if (value.startsWith(UNIX_PREFIX)) return checkUnixAddress(value.slice(UNIX_PREFIX.length));
  const parts = splitHostPort(value);
  if (parts === undefined) return `defaultEndpoint "${value}" is not of the form host:port`;
  if (parts.host !== '' && !LOOPBACK_OR_ANY.has(parts.host)) return `defaultEndpoint "${value}" must use a loopback or any address (127.0.0.1, 0.0.0.0, ::1 or ::)`;
  if (!/^\d+$/.test(parts.port)) return `defaultEndpoint port "${parts.port}" is not a number`;
  const port = Number(parts.port);
  if (port < 1 || port > 65535) return `defaultEndpoint port ${port} must be between 1 and 65535`;
  return undefined;
}

/** IstioIngressListener. */
export const ingressListener = () =>
  obj({
    port: sidecarPort(),
    bind: z.string().optional(),
    captureMode: z.enum(CAPTURE_MODES).optional(),
    defaultEndpoint: z.string().optional(),
    tls: serverTlsSettings().optional(),
    connectionPool: connectionPoolSettings().optional(),
  }).superRefine((listener, ctx) => {
    const number = listener.port.number ?? 0;
    if (number === 0) {
      report(ctx, IssueCode.Required, 'an ingress listener needs a port number between 1 and 65535', { path: listener.port.number === undefined ? ['port'] : ['port', 'number'] });
    }
    const bind = listener.bind ?? '';
    if (bind !== '' && !isIpAddress(bind)) report(ctx, IssueCode.Value, `bind "${bind}" is not an IP address`, { path: ['bind'] });
    if (listener.connectionPool?.http !== undefined && !isHttpProtocol(parseProtocol(listener.port.protocol ?? ''))) {
      warn(ctx, IssueCode.Conflict, `HTTP connection pool settings have no effect on port ${number}: its protocol (${listener.port.protocol ?? 'not set'}) is not HTTP`, {
        path: ['connectionPool', 'http'],
        hint: 'only the tcp settings apply; set an HTTP port protocol or remove http',
      });
    }
    const endpoint = listener.defaultEndpoint ?? '';
    if (endpoint !== '') {
      const err = checkDefaultEndpoint(endpoint);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['defaultEndpoint'], hint: DEFAULT_ENDPOINT_HINT });
    }

    const tls = listener.tls;
    if (tls === undefined) return;
    const unsupported = (field: string, present: boolean) => {
      if (present) report(ctx, IssueCode.Value, `${field} is not supported in Sidecar ingress tls`, { path: ['tls', field] });
    };
    unsupported('subjectAltNames', (tls.subjectAltNames ?? []).length > 0);
    unsupported('httpsRedirect', tls.httpsRedirect === true);
    unsupported('credentialName', isSet(tls.credentialName));
    unsupported('credentialNames', (tls.credentialNames ?? []).length > 0);
    unsupported('tlsCertificates', (tls.tlsCertificates ?? []).length > 0);
    if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') {
      report(ctx, IssueCode.Value, `tls mode ${tls.mode} cannot be used in Sidecar ingress tls`, { path: ['tls', 'mode'], hint: 'use SIMPLE, MUTUAL or OPTIONAL_MUTUAL with certificate files' });
    }
    if (!isTlsProtocol(parseProtocol(listener.port.protocol ?? ''))) {
      report(ctx, IssueCode.Conflict, 'tls needs the port protocol to be HTTPS or TLS', { path: ['tls'], hint: 'set port.protocol to HTTPS or TLS' });
    }
    checkServerTls(tls, ctx, ['tls']);
  });

/** IstioEgressListener. */
export const egressListener = () =>
  obj({
    port: sidecarPort().optional(),
    bind: z.string().optional(),
    captureMode: z.enum(CAPTURE_MODES).optional(),
    hosts: z
      .array(
        z.string().superRefine((host, ctx) => {
          const err = checkSidecarEgressHost(host);
          if (err !== undefined) report(ctx, IssueCode.Value, err, { hint: 'use namespace/host, e.g. "istio-system/*", "./*", "*/api.example.com" or "~/*"' });
        }),
      )
      .min(1),
  }).superRefine((listener, ctx) => {
    if (listener.port === undefined) return;
    const bind = listener.bind ?? '';
    if ((listener.port.number ?? 0) === 0) {
      if (!bind.startsWith(UNIX_PREFIX)) {
        report(ctx, IssueCode.Value, 'a listener with port number 0 (or none) needs a unix:// bind address', { path: listener.bind === undefined ? ['port'] : ['bind'], hint: 'set port.number, or bind to unix:///path/to/socket' });
      } else {
        const err = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
        if (err !== undefined) report(ctx, IssueCode.Value, err, { path: ['bind'] });
      }
      if (listener.captureMode === 'IPTABLES') {
        report(ctx, IssueCode.Conflict, 'captureMode must be DEFAULT or NONE for a unix domain socket listener', { path: ['captureMode'] });
      }
    } else if (bind !== '' && !isIpAddress(bind)) {
      report(ctx, IssueCode.Value, `bind "${bind}" is not an IP address`, { path: ['bind'], hint: 'use an IP address, or port number 0 with unix:///path/to/socket' });
    }
  });

export type IngressListener = z.output<ReturnType<typeof ingressListener>>;
export type EgressListener = z.output<ReturnType<typeof egressListener>>;
