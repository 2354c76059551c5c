/**
 * The release a stack runs: the `version` of package.json, which each release sets (and tags as
 * `vX.Y.Z`; see CHANGELOG.md and docs/deploy.md, "Releases and rollback"). The stack records it
 * as its `Version` output and a `version` tag, so that what runs can be read from the stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bundling';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export function rosterVersion(packageJson = join(PROJECT_ROOT, 'package.json')): string {
  const version: unknown = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
  if (typeof version !== 'string' || !SEMVER.test(version))
    throw new Error(`package.json has no release version (X.Y.Z): ${JSON.stringify(version)}`);
  return version;
}
