// In-pod capture (istio-cni + ztunnel's in-pod mode): redirect rules in each captured pod's network namespace, and the transparent outbound listener.
export { CAPTURE, CHAINS } from './constants.js';
export { CaptureCommandError, CaptureListenError } from './errors.js';
export { PodCapture } from './pod-capture.js';
export type { CapturedPodStatus, PodCaptureOptions } from './pod-capture.js';
export { installRedirect, removeRedirect } from './pod-redirect.js';
export { transparentOutbound } from './transparent-outbound.js';
export type { TransparentOutboundOptions } from './transparent-outbound.js';
