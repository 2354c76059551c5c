/**
 * Where a command writes, injectable so that tests capture output instead of printing it. A refused
 * command sets `exitCode`; the entry point turns it into the process exit code.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  exitCode: number;
  /** `--debug`: a failure prints its stack trace after the one-line error. */
  debug?: boolean;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    exitCode: 0,
  };
}
