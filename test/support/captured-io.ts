/** A CliIo that keeps what a command printed, for the CLI tests. */
import type { CliIo } from '../../cli/workspace/cli-io';

export interface CapturedIo extends CliIo {
  lines: string[];
  errors: string[];
}

export function capturedIo(): CapturedIo {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, exitCode: 0, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}
