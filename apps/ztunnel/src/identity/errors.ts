import { AmbitError } from '@ambit/errors';

/** A certificate, key or trust bundle file given to ztunnel cannot be read or used. */
export class CertificateFileError extends AmbitError {
  readonly file: string;

  constructor(file: string, problem: string, cause?: unknown) {
    super('AMBIT_ERR_ZTUNNEL_CERT_FILE', `${file}: ${problem}`, {
      hint: 'give PEM files with --xds-cert (chain, leaf first), --xds-key and --xds-root-cert',
      cause,
    });
    this.file = file;
  }
}
