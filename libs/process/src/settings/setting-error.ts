/**
 * How an app builds its own configuration error, so that each keeps its documented code
 * (AMBIT_ERR_CP_CONFIG, AMBIT_ERR_ZTUNNEL_CONFIG): the flag or variable at fault as the
 * user wrote it, the value (undefined when the variable itself is the problem), what
 * would have been accepted, and the problem (default "is not valid").
 */
export type SettingErrorConstructor = new (variable: string, value: string | undefined, accepted: string, problem?: string) => Error;
