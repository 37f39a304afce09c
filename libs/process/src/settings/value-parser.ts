/** Reads one setting's text; undefined means the text is not acceptable, as `accepts` describes. */
export interface ValueParser<T> {
  /** What is accepted, for the error message: "expected <accepts>". */
  readonly accepts: string;
  parse(text: string): T | undefined;
}
