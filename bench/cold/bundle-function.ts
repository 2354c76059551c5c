/**
 * Bundles one Lambda entry exactly as the stack does (infra/bundling.ts) and writes it to disk, so
 * that a fresh Node process can load it the way the Lambda runtime does.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLING, PROJECT_ROOT } from '../../infra/bundling';

export async function bundleFunction(key: string, entry: string): Promise<{ file: string; bytes: number }> {
  const dir = join(PROJECT_ROOT, 'cdk.out', 'bench-cold', key);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: false,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    define: { ...BUNDLING.define },
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { file, bytes };
}
