import { AmbitError } from '@ambit/errors';

/** A value the suite's measuring code cannot take (a negative latency, a rate of zero, …): a bug in the caller, named with the value. */
export class BenchInputError extends AmbitError {
  constructor(field: string, value: unknown, expected: string) {
    super('AMBIT_ERR_BENCH_INPUT', `${field}: ${JSON.stringify(value) ?? String(value)} is not valid: expected ${expected}`);
  }
}

/** A SOCKS5 proxy refused or broke the handshake (RFC 1928), or did not answer in time. */
export class Socks5ClientError extends AmbitError {
  /** The proxy's reply code (RFC 1928 §6), when it sent one. */
  readonly reply: number | undefined;

  constructor(proxy: string, reason: string, reply?: number) {
    super('AMBIT_ERR_BENCH_SOCKS5', `SOCKS5 proxy ${proxy}: ${reason}`, {
      hint: 'is the workload\'s SOCKS5 entry (<podIP>:15080) served, and may it reach the destination? see the ztunnel\'s log',
    });
    this.reply = reply;
  }
}

/** An external step of the suite (a tool, a child benchmark, the local mesh) failed: named with its command and its last output. */
export class BenchStepError extends AmbitError {
  constructor(step: string, reason: string, output = '') {
    super('AMBIT_ERR_BENCH_STEP', `${step}: ${reason}${output === '' ? '' : `\n${output.trimEnd().split('\n').slice(-15).join('\n')}`}`);
  }
}
