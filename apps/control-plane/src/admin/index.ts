// The admin stage: readiness, debug endpoints and metrics over HTTP (port 15014), and the process's log lines.
export { AdminStage } from './admin-stage.js';
export type { AdminStageOptions } from './admin-stage.js';
export { AdminListenError } from './errors.js';
export { adminRoutes } from './routes.js';
export type { AdminHandler, AdminResponse, AdminView } from './routes.js';
export { statusReport } from './status-report.js';
export type { StatusReport, StatusSources } from './status-report.js';
export { syncReport } from './sync-report.js';
export type { ProxySync } from './sync-report.js';
export { createMetricsRegistry, registerConfigMetrics } from './metrics.js';
export { logEvents } from './event-log.js';
