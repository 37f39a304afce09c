import type { IncomingHttpHeaders } from 'node:http';

/** Who the sample plays: what every answer reports. */
export interface SampleIdentity {
  readonly app: string;
  readonly version: string;
  readonly pod: string;
  readonly namespace: string;
}

/** What the sample answers to every request (but /healthz). */
export interface EchoReply extends SampleIdentity {
  readonly method: string;
  /** The request target as sent (path and query). */
  readonly path: string;
  /** The Host header; null when the request had none. */
  readonly host: string | null;
  readonly caller: {
    /** The peer of the connection, `ip:port` (`[ip]:port` for IPv6): with the mesh in between, the ztunnel that delivered it. */
    readonly address: string;
    /** The SPIFFE ID from `x-forwarded-client-cert` (set by an L7 proxy in front); null without one. */
    readonly identity: string | null;
  };
  readonly headers: IncomingHttpHeaders;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';

/** The reply as the client asked for it: plain `key=value` lines when it prefers text/plain, else JSON. */
export function renderReply(reply: EchoReply, accept: string | undefined): { readonly type: string; readonly body: string } {
  if (!prefersText(accept)) return { type: JSON_TYPE, body: `${JSON.stringify(reply, null, 2)}\n` };
  const lines = [
    ...(['app', 'version', 'pod', 'namespace', 'method', 'path'] as const).map((key) => `${key}=${reply[key]}`),
    `host=${reply.host ?? ''}`,
    `caller.address=${reply.caller.address}`,
    `caller.identity=${reply.caller.identity ?? ''}`,
    ...Object.entries(reply.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((v) => `header.${name}=${v}`)),
  ];
  return { type: TEXT_TYPE, body: `${lines.join('\n')}\n` };
}

/**
 * Whether text/plain is what the Accept header prefers among the types the sample
 * speaks: the highest-q range that matches text/plain or application/json decides,
 * the earlier one on a tie; `*\/*` (curl's default) and no header mean JSON.
 */
export function prefersText(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let best: { q: number; text: boolean } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    const text = type === 'text/plain' || type === 'text/*';
    if (!text && type !== 'application/json' && type !== 'application/*' && type !== '*/*') continue;
    if (best === undefined || q > best.q) best = { q, text };
  }
  return best?.text ?? false;
}
