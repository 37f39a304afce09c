import { PROXY_SETTING } from '@ambit/l7-proxy';

/**
 * The name of every waypoint setting, written once: the flag is `--<name>` and the
 * environment variable `AMBIT_<NAME>` (dashes become underscores), as for ztunnel.
 * Most are every L7 proxy's (libs/l7-proxy); HBONE's port is the waypoint's own.
 */
export const SETTING = Object.freeze({
  ...PROXY_SETTING,
  hbonePort: 'hbone-port',
});

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

export { envOf, flagOf } from '@ambit/process';
