import * as z from 'zod';
import { IssueCode } from '../../issues.js';
import { report } from '../../schema/object.js';
import { base64DecodedLength } from '../../schema/primitives.js';
import { defineKind } from '../define-kind.js';
import { checkSecretKey } from './checks.js';
import { secretValue } from './tls-credential.js';

/** The types Kubernetes defines and checks; any other non-empty type is accepted as is. */
export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

/** A Secret's data and stringData together may hold at most 1 MiB. */
export const MAX_SECRET_SIZE = 1024 * 1024;

const secretData = () =>
  z.record(z.string(), z.string()).superRefine((data, ctx) => {
    for (const [key, value] of Object.entries(data)) {
      const keyErr = checkSecretKey(key);
      if (keyErr !== undefined) report(ctx, IssueCode.Value, keyErr, { path: [key] });
      const decoded = base64DecodedLength(value);
      if (typeof decoded === 'string') {
        report(ctx, IssueCode.Value, decoded, { path: [key], hint: 'data values are base64; put plain text under stringData instead' });
      }
    }
  });

const stringData = () =>
  z.record(z.string(), z.string()).superRefine((data, ctx) => {
    for (const key of Object.keys(data)) {
      const keyErr = checkSecretKey(key);
      if (keyErr !== undefined) report(ctx, IssueCode.Value, keyErr, { path: [key] });
    }
  });

/** Bytes of a Secret's values once stringData is merged into data (keys do not count). */
export function secretSize(secret: { data?: Readonly<Record<string, string>> | undefined; stringData?: Readonly<Record<string, string>> | undefined }): number {
  let size = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (secret.stringData?.[key] !== undefined) continue;
    const decoded = base64DecodedLength(value);
    size += typeof decoded === 'number' ? decoded : 0;
  }
  for (const value of Object.values(secret.stringData ?? {})) size += Buffer.byteLength(value, 'utf8');
  return size;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * core/v1 Secret. The mesh reads TLS credentials (`credentialName` in Gateway and
 * DestinationRule, Gateway API certificateRefs): `kubernetes.io/tls` secrets with
 * tls.crt/tls.key (and optional ca.crt), or generic secrets with cert/key/cacert.
 * `data` stays base64 as written; `stringData` is plain text. The type defaults to
 * Opaque.
 */
export const secret = defineKind({
  group: '',
  kind: 'Secret',
  versions: ['v1'],
  namespaced: true,
  body: {
    immutable: z.boolean().optional(),
    data: secretData().optional(),
    stringData: stringData().optional(),
    type: z
      .string()
      .optional()
      .transform((t) => (t === undefined || t === '' ? SECRET_TYPES.opaque : t)),
  },
  refine: (s, ctx) => {
    // The API server merges stringData into data before it checks the type's keys.
    const keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
    const where = (key: string): PropertyKey[] =>
      s.stringData?.[key] !== undefined ? ['stringData', key] : s.data?.[key] !== undefined ? ['data', key] : s.data !== undefined ? ['data'] : ['type'];
    const requireKey = (key: string, why: string): void => {
      if (!keys.has(key)) report(ctx, IssueCode.Required, `data["${key}"] is required for type ${s.type}`, { path: where(key), hint: why });
    };
    switch (s.type) {
      case SECRET_TYPES.tls:
        requireKey('tls.crt', 'a kubernetes.io/tls secret holds the certificate chain in tls.crt and the private key in tls.key');
        requireKey('tls.key', 'a kubernetes.io/tls secret holds the certificate chain in tls.crt and the private key in tls.key');
        break;
      case SECRET_TYPES.basicAuth:
        if (!keys.has('username') && !keys.has('password')) {
          report(ctx, IssueCode.Required, `one of data["username"] or data["password"] is required for type ${s.type}`, { path: where('username') });
        }
        break;
      case SECRET_TYPES.sshAuth: {
        const value = secretValue(s, 'ssh-privatekey');
        if (value === undefined || value === '') {
          report(ctx, IssueCode.Required, `data["ssh-privatekey"] is required (and not empty) for type ${s.type}`, { path: where('ssh-privatekey') });
        }
        break;
      }
      case SECRET_TYPES.dockercfg:
      case SECRET_TYPES.dockerConfigJson: {
        const key = s.type === SECRET_TYPES.dockercfg ? '.dockercfg' : '.dockerconfigjson';
        const value = secretValue(s, key);
        if (value === undefined) requireKey(key, 'the registry credentials file');
        else if (!isJson(value)) report(ctx, IssueCode.Value, `data["${key}"] must hold JSON`, { path: where(key) });
        break;
      }
      case SECRET_TYPES.serviceAccountToken: {
        const account = s.metadata.annotations?.['kubernetes.io/service-account.name'];
        if (account === undefined || account === '') {
          report(ctx, IssueCode.Required, `annotation "kubernetes.io/service-account.name" is required for type ${s.type}`, {
            path: ['metadata', 'annotations'],
          });
        }
        break;
      }
      default:
        break;
    }
    const size = secretSize(s);
    if (size > MAX_SECRET_SIZE) {
      report(ctx, IssueCode.Value, `data is ${size} bytes; a Secret may hold at most ${MAX_SECRET_SIZE} bytes (1 MiB)`, { path: ['data'] });
    }
  },
});
