import { describe, expect, it } from 'vitest';
import { eventually } from '@ambit/test-support';
import { InvalidL7ResourceError, L7OptionError } from '../errors.js';
import { Front, TCP_CONNECTOR, Upstream } from '../__support__/harness.js';
import { cluster, directRoute, forwardRoute, regex, routeMatch, routeTable } from '../__support__/resources.js';
import { L7Engine } from './l7-engine.js';

describe('L7Engine', () => {
  it.each([
    [{ retryBufferBytes: -1 }, 'retryBufferBytes'],
    [{ maxResponseHeaderBytes: 10 }, 'maxResponseHeaderBytes'],
    [{ serverName: ' bad\n' }, 'serverName'],
  ])('rejects option %j', (options, name) => {
    expect(() => new L7Engine({ upstream: TCP_CONNECTOR, ...options })).toThrow(L7OptionError);
    expect(() => new L7Engine({ upstream: TCP_CONNECTOR, ...options })).toThrow(name);
  });

  it('keeps the last good config when an update carries a resource it cannot execute', async () => {
    const front = await new Front().listen();
    const u = await new Upstream('u').listen('127.0.31.1');
    try {
      front.update({ main: routeTable([{ domains: ['*'], routes: [directRoute('ok', 200, 'good')] }]) }, {}, {});
      const bad = routeTable([{ domains: ['*'], routes: [directRoute('bad', 200, 'new', { matches: [routeMatch({ uri: regex('(') })] })] }]);
      expect(() => front.update({ main: bad }, { c: cluster() }, {})).toThrow(InvalidL7ResourceError);
      expect((await front.request('/')).body).toBe('good');
    } finally {
      await front.close();
      await u.close();
    }
  });

  it('reports DC when the client goes away before the answer', async () => {
    const held = new Upstream('held', () => undefined);
    await held.listen('127.0.31.2');
    const front = await new Front().listen();
    try {
      front.update({ main: routeTable([{ domains: ['*'], routes: [forwardRoute('r', { clusters: ['c'] })] }]) }, { c: cluster({ hostname: 'held' }) }, { held: [held.endpoint] });
      const abort = new AbortController();
      const pending = fetch(`http://127.0.0.1:${front.port}/`, { signal: abort.signal }).catch(() => undefined);
      await eventually(() => (held.requests.length === 1 ? true : undefined), 'the request upstream');
      abort.abort();
      await pending;
      const info = await eventually(() => front.completed[0], 'the report');
      expect(info).toMatchObject({ status: 0, responseFlags: 'DC', route: 'r' });
    } finally {
      await front.close();
      await held.close();
    }
  });
});
