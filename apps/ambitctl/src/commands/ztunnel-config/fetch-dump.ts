import { httpGet, type HttpResult } from '../../http-probe.js';
import { configDumpOf, record, type ConfigDump, type SectionName } from './dump.js';
import { AdminUnreachableError, ConfigDumpError } from './errors.js';

/** How long the admin endpoint may take to answer (the whole dump, up to http-probe's 64 MiB). */
export const FETCH_TIMEOUT_MS = 5000;

/**
 * `GET http://<admin>/config_dump` of a ztunnel, checked to be a config dump that has the
 * section asked for; the other sections may be missing (read as empty).
 */
export async function fetchConfigDump(admin: string, section: SectionName, timeoutMs = FETCH_TIMEOUT_MS): Promise<ConfigDump> {
  const url = `http://${admin}/config_dump`;
  let answer: HttpResult;
  try {
    answer = await httpGet(url, timeoutMs);
  } catch (error) {
    throw new AdminUnreachableError(admin, reasonOf(error, timeoutMs), error);
  }
  if (answer.status !== 200) throw new ConfigDumpError(url, `answered ${answer.status}: ${answer.body.trim().split('\n')[0]!.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch (error) {
    throw new ConfigDumpError(url, 'answered something that is not JSON', error);
  }
  if (!Array.isArray(record(body)[section])) throw new ConfigDumpError(url, `answered JSON without a "${section}" list`);
  return configDumpOf(body);
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const err = error as NodeJS.ErrnoException;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  return err.message ?? String(error);
}
