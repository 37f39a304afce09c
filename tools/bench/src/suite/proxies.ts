import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Endpoint } from '../l4-client.js';
import { ManagedProcess } from './managed-process.js';
import { BODY } from './origin-process.js';

/**
 * The baselines' processes: haproxy (TCP mode and HTTP mode, HTTP/1.1 and h2c in) and
 * nginx (as the HTTP origin, and as a reverse proxy), each with a generated config in a
 * temporary directory, in the foreground, one thread or worker each (each ztunnel is one
 * Node process), no access logs, stopped by pid.
 */
export interface RunningProxy {
  readonly process: ManagedProcess;
  /** Named listen addresses, e.g. `tcp`, `h1`, `h2`. */
  readonly listeners: Readonly<Record<string, Endpoint>>;
}

const START_TIMEOUT_MS = 15_000;

/** One haproxy `listen` section: `tcp` relays bytes; `h1` and `h2` are HTTP mode, taking HTTP/1.1 or h2c, and speak HTTP/1.1 to the backend. */
export interface HaproxyListener {
  readonly name: string;
  readonly mode: 'tcp' | 'h1' | 'h2';
  readonly port: number;
  readonly backend: Endpoint;
}

export async function startHaproxy(binary: string, dir: string, listeners: readonly HaproxyListener[]): Promise<RunningProxy> {
  const sections = listeners.map(({ name, mode, port, backend }) =>
    [
      `listen ${name}`,
      `  mode ${mode === 'tcp' ? 'tcp' : 'http'}`,
      `  bind 127.0.0.1:${port}${mode === 'h2' ? ' proto h2' : ''}`,
      ...(mode === 'tcp' ? [] : ['  http-reuse always']),
      `  server s ${backend.ip}:${backend.port}`,
    ].join('\n'),
  );
  const config = `global
  nbthread 1
  maxconn 5000

defaults
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s

${sections.join('\n\n')}
`;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  const endpoints = Object.fromEntries(listeners.map(({ name, port }) => [name, { ip: '127.0.0.1', port }]));
  return { process: await startListening('haproxy', binary, ['-db', '-f', file], Object.values(endpoints)), listeners: endpoints };
}

export interface NginxPlan {
  /** `origin`: answers every request with the 1 KiB body; `proxy`: relays to `upstream` over keep-alive HTTP/1.1. */
  readonly role: 'origin' | 'proxy';
  readonly upstream?: Endpoint;
  /** The listen address (default 127.0.0.1): the origin listens on the mesh's server pod address. */
  readonly ip?: string;
  readonly ports: { readonly h1: number; readonly h2: number };
}

export async function startNginx(binary: string, dir: string, plan: NginxPlan): Promise<RunningProxy> {
  const { h1, h2 } = plan.ports;
  const ip = plan.ip ?? '127.0.0.1';
  const location =
    plan.role === 'origin'
      ? `default_type text/plain;\n      return 200 "${BODY.toString()}";`
      : `proxy_pass http://upstream_origin;\n      proxy_http_version 1.1;\n      proxy_set_header Connection "";`;
  const upstream = plan.upstream === undefined ? '' : `  upstream upstream_origin {\n    server ${plan.upstream.ip}:${plan.upstream.port};\n    keepalive 512;\n  }\n`;
  const config = `worker_processes 1;
daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  http2_max_requests 1000000;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${upstream}  server {
    listen ${ip}:${h1};
    listen ${ip}:${h2} http2;
    location / {
      ${location}
    }
  }
}
`;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'nginx.conf');
  await writeFile(file, config);
  const listeners = { h1: { ip, port: h1 }, h2: { ip, port: h2 } };
  return { process: await startListening(`nginx ${plan.role}`, binary, ['-p', dir, '-c', file, '-e', join(dir, 'error.log')], Object.values(listeners)), listeners };
}

async function startListening(name: string, binary: string, args: readonly string[], addresses: readonly Endpoint[]): Promise<ManagedProcess> {
  const running = new ManagedProcess(name, binary, args);
  try {
    await running.until(async () => (await Promise.all(addresses.map(accepts))).every(Boolean), `listening on ${addresses.map((a) => `${a.ip}:${a.port}`).join(', ')}`, START_TIMEOUT_MS);
  } catch (error) {
    await running.stop('SIGKILL');
    throw error;
  }
  return running;
}

function accepts(address: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address.ip, port: address.port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
