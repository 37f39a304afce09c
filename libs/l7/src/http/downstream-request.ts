import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { RequestContext, RequestSource } from '../engine/types.js';
import { hostOf, type RequestView } from '../routing/request-view.js';
import { joined } from './headers.js';

/** What the engine serves: an HTTP/1.1 request, or an HTTP/2 one through node's compatibility API. */
export type DownstreamRequest = IncomingMessage | Http2ServerRequest;

/**
 * The request as routing sees it. The path is normalised as Istio's default path
 * normalisation (BASE: RFC 3986 dot segments removed, nothing decoded), so that
 * `/a/../admin` is matched (and forwarded) as `/admin`.
 */
export class DownstreamView implements RequestView {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authority: string;
  readonly host: string;
  readonly scheme: 'http' | 'https';
  readonly source: RequestSource;
  readonly #req: DownstreamRequest;
  #params: URLSearchParams | undefined;

  constructor(req: DownstreamRequest, context: RequestContext) {
    this.#req = req;
    this.method = req.method ?? 'GET';
    const target = requestTarget(req.url ?? '/');
    const q = target.indexOf('?');
    this.path = normalizePath(q < 0 ? target : target.slice(0, q));
    this.query = q < 0 ? '' : target.slice(q + 1);
    this.authority = joined(req.headers[':authority']) ?? joined(req.headers.host) ?? '';
    this.host = hostOf(this.authority);
    this.scheme = context.scheme;
    this.source = context.source;
  }

  header(name: string): string | undefined {
    switch (name) {
      case ':authority':
      case 'host':
        return this.authority === '' ? undefined : this.authority;
      case ':method':
        return this.method;
      case ':path':
        return this.query === '' ? this.path : `${this.path}?${this.query}`;
      case ':scheme':
        return this.scheme;
      default:
        return joined(this.#req.headers[name]);
    }
  }

  queryParam(name: string): string | undefined {
    this.#params ??= new URLSearchParams(this.query);
    return this.#params.get(name) ?? undefined;
  }
}

/** origin-form as is; absolute-form (`http://host/path`, sent to proxies) reduced to its path and query. */
function requestTarget(url: string): string {
  if (url.startsWith('/') || url === '*') return url;
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const slash = url.indexOf('/', scheme + 3);
  const query = url.indexOf('?', scheme + 3);
  if (slash < 0 || (query >= 0 && query < slash)) return query < 0 ? '/' : `/${url.slice(query)}`;
  return url.slice(slash);
}

/** RFC 3986 §5.2.4 remove_dot_segments; untouched when there are none. */
export function normalizePath(path: string): string {
  if (!path.includes('/.')) return path;
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(segment);
  }
  return `/${out.join('/')}`;
}
