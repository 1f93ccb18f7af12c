/** What every CLI command receives: output sinks and the environment, so commands stay testable in-process. */

export interface CommandContext {
  stdout: (text: string) => void;
  /**
   * stdout without the newline `stdout` adds, for output written in pieces (scan's JSON); absent, the command writes
   * its whole text through `stdout`.
   */
  write?: ((chunk: string) => void) | undefined;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}
