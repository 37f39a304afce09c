import { request } from 'node:http';

export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/** Longest answer read from an endpoint (a config dump of a large mesh fits). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** GET over plain HTTP, within `timeoutMs`; rejects on a connection error, a timeout or an answer over the size limit. */
export function httpGet(url: string, timeoutMs: number): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`the answer of ${url} is larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

/** How long one readiness probe may take, and the pause between probes. */
const PROBE_MS = 1000;
const PAUSE_MS = 100;

export type ReadyOutcome = { readonly ready: true } | { readonly ready: false; readonly last: string };

/**
 * Probes `url` until it answers 200, `gaveUp` resolves (the component died) or
 * `timeoutMs` passes; resolves with the last answer seen when it did not get ready.
 */
export async function waitUntilReady(url: string, timeoutMs: number, gaveUp: Promise<unknown>): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  let stop = false;
  void gaveUp.then(() => {
    stop = true;
  });
  let last = 'no answer yet';
  while (!stop) {
    try {
      const answer = await httpGet(url, PROBE_MS);
      if (answer.status === 200) return { ready: true };
      last = `${answer.status} ${answer.body.trim().split('\n').join('; ').slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return { ready: false, last };
}
