import { describe, expect, it } from 'vitest';
import { AmbitError } from '@ambit/errors';
import { createLogger, errorText, formatAddress } from './log.js';

const NOW = new Date('2026-01-02T03:04:05.000Z');

function capture(level: Parameters<typeof createLogger>[0]['level']): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ level, component: 'ztunnel', now: () => NOW, write: (line) => lines.push(line) }) };
}

class SampleError extends AmbitError {
  constructor() {
    super('AMBIT_ERR_TEST_SAMPLE', 'the sample failed', { hint: 'try again' });
  }
}

describe('createLogger', () => {
  it('writes one line per call: time, level, component, message and fields', () => {
    const { lines, log } = capture('info');
    log.info('listening', { address: '127.0.0.1:15008', ready: true });
    expect(lines).toEqual(['2026-01-02T03:04:05.000Z info ztunnel: listening address=127.0.0.1:15008 ready=true\n']);
  });

  it('drops lines below the level, and everything when silent', () => {
    const info = capture('info');
    info.log.debug('hidden');
    info.log.warn('shown');
    expect(info.lines).toHaveLength(1);
    const silent = capture('silent');
    silent.log.error('hidden');
    expect(silent.lines).toHaveLength(0);
  });

  it('quotes field values that would break a line apart, and skips undefined ones', () => {
    const { lines, log } = capture('debug');
    log.debug('refused', { reason: 'not on node "a"', peer: undefined, count: 2 });
    expect(lines[0]).toBe('2026-01-02T03:04:05.000Z debug ztunnel: refused reason="not on node \\"a\\"" count=2\n');
  });

  it('tags a child logger with its component path', () => {
    const { lines, log } = capture('info');
    log.child('hbone').child('pool').warn('idle');
    expect(lines[0]).toContain(' warn ztunnel:hbone:pool: idle');
  });
});

describe('errorText and formatAddress', () => {
  it('describes an AmbitError with its hint, other errors by message', () => {
    expect(errorText(new SampleError())).toContain('the sample failed');
    expect(errorText(new Error('plain'))).toBe('plain');
    expect(errorText('text')).toBe('text');
  });

  it('brackets IPv6 hosts', () => {
    expect(formatAddress({ host: '::1', port: 15012 })).toBe('[::1]:15012');
    expect(formatAddress({ host: '127.0.0.1', port: 15014 })).toBe('127.0.0.1:15014');
  });
});
