import { describe, expect, it } from 'vitest';
import { prefersText, renderReply, type EchoReply } from './echo-reply.js';

const REPLY: EchoReply = {
  app: 'reviews',
  version: 'v2',
  pod: 'reviews-v2',
  namespace: 'bookinfo',
  method: 'GET',
  path: '/r?x=1',
  host: 'reviews.bookinfo:9080',
  caller: { address: '127.0.0.1:41000', identity: null },
  headers: { host: 'reviews.bookinfo:9080', 'set-cookie': ['a=1', 'b=2'] },
};

describe('renderReply', () => {
  it('is JSON by default, one object ending in a newline', () => {
    const { type, body } = renderReply(REPLY, '*/*');
    expect(type).toBe('application/json; charset=utf-8');
    expect(body.endsWith('}\n')).toBe(true);
    expect(JSON.parse(body)).toEqual(REPLY);
  });

  it('is key=value lines for a client that prefers text/plain', () => {
    const { type, body } = renderReply(REPLY, 'text/plain');
    expect(type).toBe('text/plain; charset=utf-8');
    expect(body).toBe(
      [
        'app=reviews',
        'version=v2',
        'pod=reviews-v2',
        'namespace=bookinfo',
        'method=GET',
        'path=/r?x=1',
        'host=reviews.bookinfo:9080',
        'caller.address=127.0.0.1:41000',
        'caller.identity=',
        'header.host=reviews.bookinfo:9080',
        'header.set-cookie=a=1',
        'header.set-cookie=b=2',
        '',
      ].join('\n'),
    );
  });
});

describe('prefersText', () => {
  it.each([
    [undefined, false],
    ['*/*', false],
    ['application/json', false],
    ['text/plain', true],
    ['text/*', true],
    ['TEXT/PLAIN; charset=utf-8', true],
    ['text/html,application/xhtml+xml,*/*;q=0.8', false],
    ['application/json;q=0.5, text/plain', true],
    ['text/plain;q=0.2, application/json;q=0.9', false],
    ['text/plain, application/json', true],
    ['text/plain;q=0, */*', false],
    ['image/png', false],
  ])('%j → %s', (accept, text) => {
    expect(prefersText(accept)).toBe(text);
  });
});
