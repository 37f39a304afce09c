import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BadRequestError, GoneError, NotFoundError, StatusError } from './errors.js';
import { ObjectStore } from './object-store.js';
import { apiVersionOf, groupOf, resourceName, SERVED_RESOURCES, type ServedResource } from './resources.js';
import { parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors.js';
import { standInTls, type ServerTls } from './tls.js';
import { DEFAULT_API_AUDIENCE, TokenRegistry, type ServiceAccountTokenOptions } from './token-review.js';
import { WatchStream } from './watch-stream.js';

export interface KubeStandInOptions {
  /** Resources not served, by `<plural>.<group>` (e.g. `telemetries.telemetry.istio.io`): CRDs that are not installed. */
  readonly omit?: readonly string[];
  /** The API server's own audiences, used by a TokenReview that names none. */
  readonly apiAudiences?: readonly string[];
}

/** What the stand-in did for one request, for tests that count lists and watches. */
export interface RecordedRequest {
  readonly method: string;
  readonly verb: 'list' | 'watch' | 'get' | 'create' | 'other';
  /** `<plural>.<group>`, when the path names a resource. */
  readonly resource: string | undefined;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
}

/** A reference to one object: its apiVersion (or just group), kind, namespace and name. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

interface Route {
  readonly resource: ServedResource;
  readonly version: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

/**
 * An in-process stand-in for the Kubernetes API server, for tests: HTTPS with a
 * throwaway CA, bearer-token authentication, and the real REST paths and wire protocol
 * of list (resourceVersion, limit/continue, selectors), watch (chunked JSON lines of
 * ADDED/MODIFIED/DELETED/BOOKMARK/ERROR, timeoutSeconds, 410 Gone after compaction) and
 * TokenReview. Tests drive it directly: change objects, compact, drop watches, register
 * service-account tokens, read the request log.
 */
export class KubeStandIn {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The CA certificate clients must trust (PEM). */
  readonly caCert: string;
  /** The bearer token the stand-in accepts from API clients (the control plane's own credentials). */
  readonly clientToken: string;
  readonly #server: Server;
  readonly #store = new ObjectStore();
  readonly #tokens: TokenRegistry;
  readonly #served: Map<string, ServedResource>;
  readonly #watches = new Set<WatchStream>();
  readonly #requests: RecordedRequest[] = [];
  readonly #sockets = new Set<Socket>();
  #unavailable = false;
  #closed = false;

  private constructor(server: Server, tls: ServerTls, options: KubeStandInOptions) {
    this.#server = server;
    this.caCert = tls.caCert;
    this.clientToken = `client.${randomBytes(24).toString('base64url')}`;
    const port = (server.address() as AddressInfo).port;
    this.url = `https://127.0.0.1:${port}`;
    this.#tokens = new TokenRegistry(options.apiAudiences ?? [DEFAULT_API_AUDIENCE]);
    const omitted = new Set(options.omit ?? []);
    this.#served = new Map(SERVED_RESOURCES.filter((r) => !omitted.has(resourceName(r))).map((r) => [resourceName(r), r]));
    this.#store.subscribe((event) => {
      for (const watch of [...this.#watches]) watch.deliver(event);
    });
  }

  /** Starts a stand-in on 127.0.0.1 and a free port. */
  static async start(options: KubeStandInOptions = {}): Promise<KubeStandIn> {
    const tls = await standInTls();
    const server = createServer({ cert: tls.cert, key: tls.key });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const standIn = new KubeStandIn(server, tls, options);
    // Every connection is tracked, so that close() ends those still in their TLS handshake too.
    server.on('connection', (socket: Socket) => {
      if (standIn.#closed) socket.destroy();
      standIn.#sockets.add(socket);
      socket.once('close', () => standIn.#sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => standIn.#handle(request, response));
    return standIn;
  }

  /** A kubeconfig (YAML) with one context that reaches this stand-in with `clientToken`. */
  kubeconfig(token = this.clientToken): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: stand-in',
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${Buffer.from(this.caCert).toString('base64')}`,
      'users:',
      '- name: stand-in',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: stand-in',
      '  context:',
      '    cluster: stand-in',
      '    user: stand-in',
      'current-context: stand-in',
      '',
    ].join('\n');
  }

  /** The newest resourceVersion, as a number. */
  get revision(): number {
    return this.#store.revision;
  }

  /** Creates an object (its apiVersion and kind choose the resource); returns it as stored. */
  create(object: KubeObject): KubeObject {
    return this.#store.create(this.#resourceFor(object.apiVersion, object.kind), object);
  }

  /** Replaces an existing object; returns it as stored. */
  update(object: KubeObject): KubeObject {
    return this.#store.update(this.#resourceFor(object.apiVersion, object.kind), object);
  }

  /** Creates or replaces. */
  apply(object: KubeObject): KubeObject {
    const resource = this.#resourceFor(object.apiVersion, object.kind);
    const exists = this.#store.get(resource, object.metadata.namespace ?? 'default', object.metadata.name) !== undefined;
    return exists ? this.#store.update(resource, object) : this.#store.create(resource, object);
  }

  delete(ref: ObjectRef): KubeObject {
    return this.#store.delete(this.#resourceFor(ref.apiVersion, ref.kind), ref.namespace ?? 'default', ref.name);
  }

  /** Forgets the change history: older resourceVersions now get 410 Gone. */
  compact(): void {
    this.#store.compact();
  }

  /** Sends a BOOKMARK at the newest resourceVersion on every watch that allows bookmarks. */
  bookmark(): void {
    for (const watch of this.#watches) watch.bookmark(this.#store.revision);
  }

  /** Ends every open watch: cleanly (as on a server-side timeout), or by cutting the connection. */
  dropWatches(how: 'end' | 'reset' = 'end'): void {
    for (const watch of [...this.#watches]) {
      if (how === 'end') watch.end();
      else watch.reset();
    }
  }

  /** While set, every request is answered 503 (an API server restarting); open watches are cut. */
  setUnavailable(unavailable: boolean): void {
    this.#unavailable = unavailable;
    if (unavailable) this.dropWatches('reset');
  }

  /** Serves a resource again (a CRD being installed); `name` as in `omit`. */
  install(name: string): void {
    const resource = SERVED_RESOURCES.find((r) => resourceName(r) === name);
    if (resource === undefined) throw new Error(`the stand-in knows no resource ${name}`);
    this.#served.set(name, resource);
  }

  /** A token the TokenReview endpoint accepts for the service account. */
  registerToken(options: ServiceAccountTokenOptions): string {
    return this.#tokens.register(options);
  }

  revokeToken(token: string): void {
    this.#tokens.revoke(token);
  }

  /** Requests served so far, oldest first, optionally only those that match. */
  requests(filter: Partial<Pick<RecordedRequest, 'verb' | 'resource' | 'method'>> = {}): RecordedRequest[] {
    return this.#requests.filter((r) => (filter.verb === undefined || r.verb === filter.verb) && (filter.resource === undefined || r.resource === filter.resource) && (filter.method === undefined || r.method === filter.method));
  }

  /** Watches open now, optionally of one resource. */
  openWatches(resource?: string): number {
    return [...this.#watches].filter((w) => resource === undefined || w.scope.resource === resource).length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.dropWatches('reset');
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #resourceFor(apiVersion: string | undefined, kind: string | undefined): ServedResource {
    const group = groupOf(apiVersion ?? '');
    const resource = SERVED_RESOURCES.find((r) => r.group === group && r.kind === kind);
    if (resource === undefined) throw new Error(`the stand-in serves no ${kind} in group "${group}"`);
    return resource;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    const record = (verb: RecordedRequest['verb'], resource: string | undefined): void => {
      const entry = (): RecordedRequest => ({ method, verb, resource, path: url.pathname, query, status: response.statusCode });
      // A watch's response finishes only when it ends: record it as it starts (a watch that starts is a 200).
      if (verb === 'watch') this.#requests.push({ ...entry(), status: 200 });
      else response.once('finish', () => this.#requests.push(entry()));
    };
    try {
      if (this.#unavailable) {
        record('other', undefined);
        throw new StatusError(503, 'ServiceUnavailable', 'the stand-in API server is unavailable');
      }
      if (request.headers.authorization !== `Bearer ${this.clientToken}`) {
        record('other', undefined);
        throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      }
      if (url.pathname === TOKEN_REVIEW_PATH && method === 'POST') {
        record('create', 'tokenreviews.authentication.k8s.io');
        // The body is read asynchronously; its errors are answered there.
        void this.#tokenReview(request, response);
        return;
      }
      const path = parsePath(url.pathname);
      const name = path === undefined ? undefined : resourceName(path);
      const watching = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
      record(path === undefined || method !== 'GET' ? 'other' : path.name !== undefined ? 'get' : watching ? 'watch' : 'list', name);
      const route = this.#route(path);
      if (method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', `${method} is not supported by the stand-in on ${url.pathname}`);
      if (route.name !== undefined) {
        const object = this.#store.get(route.resource, route.namespace ?? '', route.name);
        if (object === undefined) throw new NotFoundError(`${name} "${route.name}" not found`);
        return sendJson(response, 200, { ...object, apiVersion: apiVersionOf(route.resource.group, route.version) });
      }
      if (watching) return this.#watch(route, url.searchParams, response);
      return this.#list(route, url.searchParams, response);
    } catch (error) {
      sendError(response, error);
    }
  }

  /** The served resource a parsed path names; 404 as the API server says it for anything else. */
  #route(path: ResourcePath | undefined): Route {
    const resource = path === undefined ? undefined : this.#served.get(resourceName(path));
    if (path === undefined || resource === undefined || !resource.versions.includes(path.version) || (path.namespace !== undefined && !resource.namespaced)) {
      throw new NotFoundError('the server could not find the requested resource');
    }
    return { resource, version: path.version, namespace: path.namespace, name: path.name };
  }

  #list(route: Route, params: URLSearchParams, response: ServerResponse): void {
    const { resource, namespace } = route;
    const selects = selectorOf(params);
    const limit = integerParam(params, 'limit');
    const token = params.get('continue');
    let revision = this.#store.revision;
    let after: string | undefined;
    if (token !== null && token !== '') {
      ({ revision, after } = readContinue(token));
      if (revision < this.#store.compactedAt) {
        throw new GoneError(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
    } else if (params.get('resourceVersionMatch') === 'Exact') {
      revision = integerParam(params, 'resourceVersion') ?? revision;
    }
    const matching = this.#store.listAt(resource, revision).filter((o) => (namespace === undefined || o.metadata.namespace === namespace) && selects(o));
    const rest = after === undefined ? matching : matching.filter((o) => keyOf(o) > after);
    const page = limit === undefined || limit === 0 ? rest : rest.slice(0, limit);
    const remaining = rest.length - page.length;
    const apiVersion = apiVersionOf(resource.group, route.version);
    sendJson(response, 200, {
      kind: `${resource.kind}List`,
      apiVersion,
      metadata: {
        resourceVersion: String(revision),
        ...(remaining > 0 ? { continue: writeContinue(revision, keyOf(page[page.length - 1]!)), remainingItemCount: remaining } : {}),
      },
      // Built-in kinds' list items carry no apiVersion and kind; custom resources' do.
      items: page.map(({ apiVersion: _apiVersion, kind: _kind, ...object }) => (resource.custom ? { apiVersion, kind: resource.kind, ...object } : object)),
    });
  }

  #watch(route: Route, params: URLSearchParams, response: ServerResponse): void {
    const { resource, namespace } = route;
    const timeoutSeconds = integerParam(params, 'timeoutSeconds');
    const from = params.get('resourceVersion');
    const scope = {
      resource: resourceName(resource),
      kind: resource.kind,
      apiVersion: apiVersionOf(resource.group, route.version),
      namespace,
      selects: selectorOf(params),
      bookmarks: params.get('allowWatchBookmarks') === 'true',
    };
    const stream: WatchStream = new WatchStream(response, scope, timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000, () => this.#watches.delete(stream));
    if (from === null || from === '' || from === '0') {
      // "Start at most recent": synthetic ADDED events for what exists, then changes.
      for (const object of this.#store.listAt(resource)) stream.deliver({ revision: 0, type: 'ADDED', resource: scope.resource, key: '', object, previous: undefined });
    } else {
      const revision = Number(from);
      if (!Number.isSafeInteger(revision)) return stream.error(new BadRequestError(`invalid resourceVersion ${JSON.stringify(from)}`).toStatus());
      try {
        for (const event of this.#store.eventsAfter(resource, revision)) stream.deliver(event);
      } catch (error) {
        if (error instanceof StatusError) return stream.error(error.toStatus());
        throw error;
      }
    }
    this.#watches.add(stream);
  }

  async #tokenReview(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const body = await readBody(request);
      let review: { spec?: unknown };
      try {
        review = JSON.parse(body) as { spec?: unknown };
      } catch {
        throw new BadRequestError('the request body is not JSON');
      }
      const spec = typeof review.spec === 'object' && review.spec !== null ? review.spec : {};
      sendJson(response, 201, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: { creationTimestamp: null }, spec, status: this.#tokens.review(spec) });
    } catch (error) {
      sendError(response, error);
    }
  }
}

interface ResourcePath {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

/** `/api/v1/...` or `/apis/<group>/<version>/...`, then `[namespaces/<ns>/]<plural>[/<name>]`; undefined for any other path. */
function parsePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let rest: string[];
  let group = '';
  let version = 'v1';
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, ...extra] = rest;
  return plural === undefined || extra.length > 0 ? undefined : { group, version, plural, namespace, name };
}

function keyOf(object: KubeObject): string {
  return object.metadata.namespace === undefined ? object.metadata.name : `${object.metadata.namespace}/${object.metadata.name}`;
}

function selectorOf(params: URLSearchParams): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(params.get('labelSelector'));
  const fields = parseFieldSelector(params.get('fieldSelector'));
  return (object) => labels(object) && fields(object);
}

function integerParam(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new BadRequestError(`invalid ${name} ${JSON.stringify(text)}`);
  return value;
}

/** Continue tokens are opaque to clients; here, the list's revision and the last key served. */
function writeContinue(revision: number, after: string): string {
  return Buffer.from(JSON.stringify({ rv: revision, after })).toString('base64url');
}

function readContinue(token: string): { revision: number; after: string } {
  try {
    const { rv, after } = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv?: unknown; after?: unknown };
    if (typeof rv === 'number' && typeof after === 'string') return { revision: rv, after };
  } catch {
    // Reported below, as the API server does for any token it cannot read.
  }
  throw new BadRequestError('continue key is not valid');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new StatusError(413, 'RequestEntityTooLarge', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  const status = error instanceof StatusError ? error : new StatusError(500, 'InternalError', error instanceof Error ? error.message : String(error));
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, status.code, status.toStatus());
}
