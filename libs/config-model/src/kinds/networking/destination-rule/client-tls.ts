import * as z from 'zod';
import { IssueCode } from '../../../issues.js';
import { isSet, obj, report } from '../../../schema/object.js';

export const CLIENT_TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] as const;

/** Prefix of a credentialName that reads the CA from a ConfigMap in the rule's namespace. */
export const CONFIGMAP_CREDENTIAL_PREFIX = 'configmap://';

/** networking ClientTLSSettings: TLS from the proxy to the upstream service. */
export const clientTlsSettings = () =>
  obj({
    mode: z.enum(CLIENT_TLS_MODES).optional(),
    clientCertificate: z.string().optional(),
    privateKey: z.string().optional(),
    caCertificates: z.string().optional(),
    credentialName: z.string().optional(),
    subjectAltNames: z.array(z.string()).optional(),
    sni: z.string().optional(),
    insecureSkipVerify: z.boolean().optional(),
    caCrl: z.string().optional(),
  }).superRefine((t, ctx) => {
    if (t.insecureSkipVerify === true) {
      const hint = 'insecureSkipVerify turns off server certificate verification; remove it or the verification settings';
      if (t.mode === 'SIMPLE') {
        for (const field of ['caCertificates', 'credentialName'] as const) {
          if (isSet(t[field])) report(ctx, IssueCode.Conflict, `${field} cannot be set when insecureSkipVerify is true`, { path: [field], hint });
        }
      }
      if (t.mode === 'SIMPLE' || t.mode === 'MUTUAL') {
        if (t.mode === 'MUTUAL' && isSet(t.caCertificates)) {
          report(ctx, IssueCode.Conflict, 'caCertificates cannot be set when insecureSkipVerify is true', { path: ['caCertificates'], hint });
        }
        if (t.subjectAltNames !== undefined) {
          report(ctx, IssueCode.Conflict, 'subjectAltNames cannot be set when insecureSkipVerify is true', { path: ['subjectAltNames'], hint });
        }
      }
    }
    if ((t.mode === 'SIMPLE' || t.mode === 'MUTUAL') && isSet(t.credentialName)) {
      for (const field of ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'] as const) {
        if (isSet(t[field])) {
          report(ctx, IssueCode.Conflict, `${field} cannot be set together with credentialName`, {
            path: [field],
            hint: 'the secret named by credentialName holds the certificates',
          });
        }
      }
      return;
    }
    if (t.mode === 'MUTUAL') {
      for (const field of ['clientCertificate', 'privateKey'] as const) {
        if (!isSet(t[field])) {
          report(ctx, IssueCode.Required, `mode MUTUAL needs ${field} (or credentialName)`, { path: t[field] === undefined ? [] : [field] });
        }
      }
    }
  });

export type ClientTlsOutput = z.output<ReturnType<typeof clientTlsSettings>>;

/**
 * A `configmap://[namespace/]name` credentialName must name a ConfigMap in the rule's
 * own namespace (checked when the file names the namespace). Returns an error message, or undefined.
 */
export function checkConfigMapCredential(credentialName: string, namespace: string | undefined): string | undefined {
  if (!credentialName.startsWith(CONFIGMAP_CREDENTIAL_PREFIX)) return undefined;
  const rest = credentialName.slice(CONFIGMAP_CREDENTIAL_PREFIX.length);
  const parts = rest.split('/');
  if (rest === '' || parts.length > 2 || parts.some((p) => p === '')) {
    return `credentialName "${credentialName}" must be configmap://<name> or configmap://<namespace>/<name>`;
  }
  if (parts.length === 2 && namespace !== undefined && parts[0] !== namespace) {
    return `credentialName "${credentialName}" must name a ConfigMap in this rule's namespace "${namespace}"`;
  }
  return undefined;
}
