import { AmbitError } from '@ambit/errors';

/** The translator built a resource its own wire codec refuses: a bug in Ambit, never in the config. */
export class TranslationError extends AmbitError {
  readonly resource: string;

  constructor(typeName: string, resource: string, cause: unknown) {
    super('AMBIT_ERR_CP_TRANSLATION', `cannot encode ${typeName} ${resource}`, {
      hint: 'this is a control plane bug; please report it with the input that produced it',
      cause,
    });
    this.resource = resource;
  }
}
