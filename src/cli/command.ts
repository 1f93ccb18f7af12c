/** What every CLI command receives: output sinks and the environment, so commands stay testable in-process. */

export interface CommandContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}
