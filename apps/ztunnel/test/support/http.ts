import { request } from 'node:http';
import { withTimeout } from '@ambit/test-support';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One GET to an HTTP endpoint of ztunnel. */
export function get(address: { host: string; port: number }, path: string): Promise<Answer> {
  return withTimeout(
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: address.host, port: address.port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }),
    `GET ${path}`,
  );
}

export async function getJson<T>(address: { host: string; port: number }, path: string): Promise<T> {
  const answer = await get(address, path);
  if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as T;
}
