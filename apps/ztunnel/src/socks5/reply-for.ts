import { OutboundError } from '../outbound/index.js';
import { Reply, type ReplyCode } from './protocol.js';

/** The RFC 1928 reply that tells a client why its CONNECT failed. */
export function replyFor(error: unknown): ReplyCode {
  if (!(error instanceof OutboundError)) return Reply.generalFailure;
  switch (error.reason) {
    case 'refused':
      return Reply.connectionRefused;
    case 'unreachable':
      return Reply.hostUnreachable;
    case 'unsupported':
    case 'failed':
      return Reply.generalFailure;
  }
}
