// The waypoint as a library: the process entry and the object it runs (local mode may start it in process).
export { main } from './main.js';
export type { MainOptions } from './main.js';
export { Waypoint } from './waypoint.js';
export type { WaypointAddresses, WaypointOptions } from './waypoint.js';
export { buildConfig, ConfigError } from './config/index.js';
export type { WaypointConfig } from './config/index.js';
