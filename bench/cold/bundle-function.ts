/**
 * Bundles one Lambda entry exactly as the stack does (infra/bundling.ts) and writes it to disk, so
 * that a fresh Node process can load it the way the Lambda runtime does.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, PROJECT_ROOT } from '../../infra/bundling';

export async function bundleFunction(key: string, entry: string): Promise<{ file: string; bytes: number }> {
  const dir = join(PROJECT_ROOT, 'cdk.out', 'bench-cold', key);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  // No source map: the runtime loads the code, and the map would only add a file to the disk.
  const result = await build({
    ...esbuildOptions(join(PROJECT_ROOT, entry), file),
    sourcemap: false,
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { file, bytes };
}
