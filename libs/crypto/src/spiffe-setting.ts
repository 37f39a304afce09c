import { SpiffeId } from './spiffe.js';

/**
 * A SPIFFE ID given as a setting (a flag or AMBIT_* variable), normalised; the shape of
 * @ambit/process's `ValueParser`, so `Settings.read` takes it as is.
 */
export const spiffeIdSetting = {
  accepts: 'a SPIFFE ID, e.g. spiffe://cluster.local/ns/istio-system/sa/ambit-control-plane',
  parse(text: string): string | undefined {
    try {
      return SpiffeId.parse(text).toString();
    } catch {
      return undefined;
    }
  },
} as const;
