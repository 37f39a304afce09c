import { request } from 'node:http';
import type { ListenAddress } from '../../src/config/index.js';
import { withTimeout } from '@ambit/test-support';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request to the admin port. */
export function http(address: ListenAddress, path: string, method = 'GET'): Promise<HttpAnswer> {
  return withTimeout(
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = request({ host: address.host, port: address.port, path, method, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }),
    `${method} ${path}`,
  );
}

export async function getJson<T>(address: ListenAddress, path: string): Promise<T> {
  const answer = await http(address, path);
  if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as T;
}
