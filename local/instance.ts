/**
 * The running `npm start` instance, recorded in a git-ignored file so that other local commands
 * (`npx roster workspace …`, `npx roster sync …`, the benchmarks) find it by themselves.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LocalInstance {
  /** `http://127.0.0.1:8787/scim/v2` */
  baseUrl: string;
  /**
   * The bearer token of the default connection, when the instance knows it (see LocalRuntime.token).
   * The file is readable by its owner only.
   */
  token?: string;
  connectionId: string;
  workspaceId: string;
  dynamodbEndpoint: string;
  table: string;
  pid: number;
}

/** The checkout this file belongs to: the record is found from any directory of it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const INSTANCE_FILE = resolve(process.env.ROSTER_HOME ?? join(PROJECT_ROOT, '.roster'), 'local.json');

export function writeInstance(instance: LocalInstance, file = INSTANCE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(instance, null, 2) + '\n', { mode: 0o600 });
}

export function removeInstance(file = INSTANCE_FILE): void {
  rmSync(file, { force: true });
}

/** The recorded instance, or undefined when none is recorded or its process is gone. */
export function readInstance(file = INSTANCE_FILE): LocalInstance | undefined {
  let instance: LocalInstance;
  try {
    instance = JSON.parse(readFileSync(file, 'utf8')) as LocalInstance;
  } catch {
    return undefined;
  }
  try {
    process.kill(instance.pid, 0);
  } catch {
    return undefined;
  }
  return instance;
}
