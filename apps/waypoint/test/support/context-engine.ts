import type { EngineFactory, EngineOptions, L7Resources, ProxyRequestContext, RequestEngine } from '@ambit/l7-proxy';

/**
 * A test stand-in for libs/l7's engine: it answers every request itself with the
 * listener context the proxy handed over (route table, source) and remembers the
 * resources of its last update, so that tests see what reaches the engine.
 */
export class ContextEngine implements RequestEngine {
  options: EngineOptions | undefined;
  resources: L7Resources | undefined;

  readonly factory: EngineFactory = (options) => {
    this.options = options;
    return this;
  };

  update(resources: L7Resources): void {
    this.resources = resources;
  }

  handle(req: { readonly method?: string; readonly url?: string; resume(): unknown }, res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown }, context: ProxyRequestContext): void {
    req.resume();
    const body = JSON.stringify({ method: req.method, url: req.url, context });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }
}
