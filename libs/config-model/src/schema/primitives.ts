import { RE2JS } from 're2js';
import * as z from 'zod';
import { IssueCode } from '../issues.js';
import { checkIstioDuration, parseDurationNanos } from './duration.js';
import {
  checkApiGroup,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkIpOrCidr,
  checkKindName,
  checkLabelValue,
  checkQualifiedName,
  checkWildcardDomain,
  isIpAddress,
} from './names.js';
import { obj, report } from './object.js';

/** A string checked by `check` (which returns an error message or undefined). */
export function checkedString(check: (value: string) => string | undefined, hint?: string) {
  return z.string().superRefine((value, ctx) => {
    const err = check(value);
    if (err !== undefined) report(ctx, IssueCode.Value, err, { hint });
  });
}

/**
 * A duration in Istio's format ("30s", "1.5s", "100ms", "1h"), normalised to
 * milliseconds. Istio requires at least 1ms and whole milliseconds; `allowZero`
 * admits "0s" where Istio gives zero a meaning (e.g. "disabled").
 */
export function duration(options: { allowZero?: boolean } = {}) {
  return z.string().transform((text, ctx) => {
    const nanos = parseDurationNanos(text);
    if (nanos === undefined) {
      report(ctx, IssueCode.Value, `invalid duration "${text}"`, {
        hint: 'use a number and a unit, such as 30s, 1.5s, 100ms or 1h',
      });
      return z.NEVER;
    }
    const err = checkIstioDuration(nanos, options);
    if (err !== undefined) {
      report(ctx, IssueCode.Value, `${err}, got "${text}"`);
      return z.NEVER;
    }
    return nanos / 1e6;
  });
}

export const uint32 = () => z.int().min(0).max(4_294_967_295);
export const int32 = () => z.int().min(-2_147_483_648).max(2_147_483_647);
/** A TCP/UDP port number as Istio validates it: 1 to 65535. */
export const port = () => z.int().min(1).max(65535);

/** Istio's Percent message: `{ value: 0..100 }` (fractions allowed). */
export const percent = () => obj({ value: z.number().min(0).max(100).optional() });

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Standard base64 with padding, as Go decodes `[]byte` fields from JSON (Secret data,
 * direct response bodies; line breaks are ignored). Returns the decoded length in
 * bytes, or an error message.
 */
export function base64DecodedLength(value: string): number | string {
  const text = value.replace(/[\r\n]/g, '');
  if (!BASE64_CHARS.test(text)) return 'is not valid base64: only A-Z, a-z, 0-9, "+", "/" and "=" padding are allowed';
  if (text.length % 4 !== 0) return `is not valid base64: its length (${text.length}) is not a multiple of 4`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** RE2 patterns above this size are refused before compiling, bounding the work an input can cause. */
export const MAX_REGEX_LENGTH = 4096;

export function checkRe2(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex is longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return `"${pattern}" is not a valid RE2 regex: ${detail}`;
  }
}

/**
 * A string that must not be empty; `what` names it in the message ("issuer must not
 * be empty"), `max` bounds its length.
 */
export function nonEmpty(options: { what?: string; max?: number } = {}) {
  const { what, max = Infinity } = options;
  return checkedString((value) => {
    if (value.length === 0) return what === undefined ? 'must not be empty' : `${what} must not be empty`;
    return value.length > max ? `must be at most ${max} characters` : undefined;
  });
}

/** A host that may start with a wildcard label (`*.example.com`, `*`), as Istio checks hosts. */
export const wildcardHost = () => checkedString(checkWildcardDomain);
export const dns1123Label = () => checkedString(checkDns1123Label);
export const dns1123Subdomain = () => checkedString(checkDns1123Subdomain);
/** A label or annotation key, also the form of `appProtocol`, finalizers and taint keys. */
export const qualifiedName = () => checkedString(checkQualifiedName);
export const ipOrCidr = () => checkedString(checkIpOrCidr);
export const ipAddress = () =>
  checkedString((value) => (isIpAddress(value) ? undefined : `"${value}" is not an IP address`));
/** The group of a referenced resource; '' is the core group. */
export const apiGroup = () => checkedString(checkApiGroup);
/** The kind of a referenced resource. */
export const kindName = () => checkedString(checkKindName);

/** Kubernetes labels: qualified-name keys and label-format values. */
export function labelMap() {
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      const err = checkQualifiedName(key) ?? checkLabelValue(value);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [key] });
    }
  });
}

/** Kubernetes annotations: qualified-name keys, any string values. */
export function annotationMap() {
  return z.record(z.string(), z.string()).superRefine((annotations, ctx) => {
    for (const key of Object.keys(annotations)) {
      const err = checkQualifiedName(key);
      if (err !== undefined) report(ctx, IssueCode.Value, err, { path: [key] });
    }
  });
}

/** A map of string to string whose keys are not checked (e.g. headers to set). */
export const stringMap = () => z.record(z.string(), z.string());
