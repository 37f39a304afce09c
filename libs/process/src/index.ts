// Settings: flags and AMBIT_* variables, read once at start through typed parsers.
export { envOf, flagOf } from './settings/names.js';
export { readRawSettings } from './settings/raw-settings.js';
export type { Environment, RawSetting, RawSettingsInput } from './settings/raw-settings.js';
export { Settings } from './settings/settings.js';
export type { SettingsInput } from './settings/settings.js';
export type { SettingErrorConstructor } from './settings/setting-error.js';
export type { ValueParser } from './settings/value-parser.js';
export { directory, dnsName, filePath, hostPort, logLevel } from './settings/parsers.js';
export type { HostPort } from './settings/parsers.js';
export { dialAddress, network, nodeName, port } from './settings/mesh-parsers.js';
// Files a process reads at start (PEM bundles, tokens), bounded.
export { readSmallFile } from './files/small-file.js';
// Read-only HTTP endpoints (admin, metrics, readiness) and what readiness reports.
export { HttpEndpoint } from './http/http-endpoint.js';
export type { HttpEndpointOptions } from './http/http-endpoint.js';
export { JSON_TYPE, jsonAnswer, TEXT_TYPE, textAnswer } from './http/http-answer.js';
export type { HttpAnswer, HttpHandler } from './http/http-answer.js';
export { readiness } from './readiness.js';
export type { Readiness, ReadinessCheck } from './readiness.js';
// The process entry: start, wait for SIGTERM/SIGINT, drain, exit code.
export { runProcess } from './entry/run-process.js';
export type { ProcessDefinition, ProcessService, RunOptions } from './entry/run-process.js';
export { shutdownSignal } from './entry/shutdown-signal.js';
export type { ShutdownSignal } from './entry/shutdown-signal.js';
