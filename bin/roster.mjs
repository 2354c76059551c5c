#!/usr/bin/env node
// Launches cli/main.ts under tsx, so `npx roster …` runs the TypeScript sources without a build.
// Paths resolve from this file, so it works from any working directory. It runs on the project's
// own Node 22 (the `node` devDependency, the Lambda runtime) when it is installed, whatever node
// started this launcher.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(createRequire(resolve(root, 'package.json')).resolve('tsx')).href;
const projectNode = resolve(root, 'node_modules', 'node', 'bin', 'node');
const result = spawnSync(
  existsSync(projectNode) ? projectNode : process.execPath,
  ['--import', tsx, resolve(root, 'cli/main.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
