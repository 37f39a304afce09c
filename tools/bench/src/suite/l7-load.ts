import { execFile } from 'node:child_process';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { promisify } from 'node:util';
import type { Endpoint } from '../l4-client.js';
import { BenchStepError } from './errors.js';
import { atRate, type RateFigures, type RateOptions } from './l4-load.js';

const run = promisify(execFile);

/**
 * The L7 loads: HTTP/2 at a fixed offered rate with our constant-rate generator (streams
 * of one h2c connection; HTTP/1.1 is `httpRequests` of `l4-load.ts`), and saturation
 * with the real tools (wrk for HTTP/1.1, h2load for HTTP/2).
 */
/**
 * HTTP/2 at a constant rate: one connection, at most `options.connections` streams in
 * flight; h2c with prior knowledge, or over TLS (ALPN h2, the certificate not verified).
 */
export async function http2AtRate(endpoint: Endpoint, pids: readonly number[], options: RateOptions, tls = false): Promise<RateFigures> {
  const session = connectHttp2(urlOf(endpoint, tls), tls ? { rejectUnauthorized: false } : {});
  session.on('error', () => undefined);
  try {
    for (let i = 0; i < 20; i++) await get(session);
    return await atRate(pids, options, () => get(session));
  } finally {
    session.destroy();
  }
}

function get(session: ClientHttp2Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': '/' });
    stream.on('response', (headers) => {
      if (headers[':status'] !== 200) reject(new BenchStepError('HTTP/2 client', `answered ${headers[':status']}, expected 200`));
    });
    stream.on('data', () => undefined);
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.end();
  });
}

export interface SaturationFigures {
  readonly requestsPerSecond: number;
  /** Latency percentiles as the tool reports them (µs); wrk: 50/90/99, h2load: mean only. */
  readonly p50Us?: number;
  readonly p99Us?: number;
  readonly meanUs?: number;
  readonly failed: number;
}

/** `http://ip:port/`, or `https://` (the tools do not verify the certificate). */
function urlOf(endpoint: Endpoint, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${endpoint.ip}:${endpoint.port}/`;
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency`: closed loop, as fast as the path answers. */
export async function wrkSaturation(wrk: string, endpoint: Endpoint, seconds: number, connections: number, tls = false): Promise<SaturationFigures> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', urlOf(endpoint, tls)];
  const output = await tool(wrk, args, seconds);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1];
  if (rps === undefined) throw new BenchStepError(`wrk ${args.join(' ')}`, 'no "Requests/sec" in its output', output);
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1];
  return { requestsPerSecond: Number(rps), p50Us: wrkPercentile(output, '50'), p99Us: wrkPercentile(output, '99'), failed: Number(errors ?? 0) };
}

/** `h2load -c<connections> -m10 -t1 -D <seconds>` over h2c (or TLS with ALPN h2): closed loop, 10 streams per connection. */
export async function h2loadSaturation(h2load: string, endpoint: Endpoint, seconds: number, connections: number, tls = false): Promise<SaturationFigures> {
  const args = [`-c${connections}`, '-m10', '-t1', '-D', String(seconds), '--warm-up-time=1', urlOf(endpoint, tls)];
  const output = await tool(h2load, args, seconds + 1);
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(output)?.[1];
  if (rps === undefined) throw new BenchStepError(`h2load ${args.join(' ')}`, 'no "req/s" in its output', output);
  const failed = /requests: .*?(\d+) failed, (\d+) errored, (\d+) timeout/.exec(output);
  const mean = /time for request:\s+\S+\s+\S+\s+(\S+)/.exec(output)?.[1];
  return { requestsPerSecond: Number(rps), meanUs: mean === undefined ? undefined : toMicros(mean), failed: failed === null ? 0 : Number(failed[1]) + Number(failed[2]) + Number(failed[3]) };
}

async function tool(binary: string, args: readonly string[], seconds: number): Promise<string> {
  try {
    const { stdout, stderr } = await run(binary, args, { timeout: (seconds + 30) * 1000, maxBuffer: 4 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new BenchStepError(`${binary} ${args.join(' ')}`, message.split('\n')[0] ?? 'failed', `${stdout}${stderr}`);
  }
}

function wrkPercentile(output: string, percent: string): number | undefined {
  const value = new RegExp(`^\\s+${percent}%\\s+(\\S+)`, 'm').exec(output)?.[1];
  return value === undefined ? undefined : toMicros(value);
}

/** `1.23ms`, `456.00us`, `1.2s` → µs. */
export function toMicros(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value : match[2] === 'ms' ? value * 1000 : value * 1e6;
}
