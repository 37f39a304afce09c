import { describe, expect, it } from 'vitest';
import { callerIdentity } from './caller-identity.js';

const PRODUCTPAGE = 'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage';

describe('callerIdentity', () => {
  it('reads the URI of a single element', () => {
    expect(callerIdentity(`URI=${PRODUCTPAGE}`)).toBe(PRODUCTPAGE);
    expect(callerIdentity(`By=spiffe://cluster.local/ns/bookinfo/sa/reviews;Hash=468ed33b;Subject="";URI=${PRODUCTPAGE}`)).toBe(PRODUCTPAGE);
  });

  it('takes the last element (the hop nearest to us) and its first spiffe URI', () => {
    const xfcc = `By=a;URI=spiffe://cluster.local/ns/x/sa/far,By=b;URI=https://example.com/not-spiffe;uri=${PRODUCTPAGE};URI=spiffe://cluster.local/ns/y/sa/second`;
    expect(callerIdentity(xfcc)).toBe(PRODUCTPAGE);
  });

  it('keeps quoted commas, semicolons, equals signs and escaped quotes inside their value', () => {
    expect(callerIdentity(`Subject="CN=a, O=\\"b;c\\"";URI=${PRODUCTPAGE}`)).toBe(PRODUCTPAGE);
    expect(callerIdentity(`URI="${PRODUCTPAGE}"`)).toBe(PRODUCTPAGE);
  });

  it.each([
    ['no header', undefined],
    ['an empty one', ''],
    ['no URI', 'By=spiffe://cluster.local/ns/a/sa/b;Hash=00'],
    ['a URI on an earlier hop only', `URI=${PRODUCTPAGE},By=spiffe://cluster.local/ns/a/sa/b`],
    ['an unterminated quote', `Subject="CN=a;URI=${PRODUCTPAGE}`],
    ['a pair without "="', `garbage;URI=${PRODUCTPAGE}`],
    ['an oversized value', `URI=${PRODUCTPAGE};Subject="${'x'.repeat(70_000)}"`],
  ])('%s names no identity', (_what, xfcc) => {
    expect(callerIdentity(xfcc)).toBeUndefined();
  });
});
