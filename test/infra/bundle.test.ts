/**
 * Bundles every Lambda entry with esbuild exactly as the stack does (infra/bundling.ts) and checks
 * the result: an ES module exporting `handler`, under the size budget. Cold starts grow with bundle
 * size, so a dependency that pulls in half of npm shows up here first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLING, ENTRIES, esbuildOptions, PROJECT_ROOT } from '../../infra/bundling';

const BUDGET_BYTES = 500 * 1024;

describe('bundles', () => {
  it('use the options the stack gives NodejsFunction', () => {
    expect(BUNDLING).toMatchObject({ format: 'esm', target: 'node22', minify: true, sourceMap: true });
    expect(BUNDLING.forceDockerBundling).toBe(false);
    expect(BUNDLING.externalModules).toEqual(['@aws-sdk/*']);
  });

  for (const [key, entry] of Object.entries(ENTRIES)) {
    it(`${key} (${entry}) bundles to an ES module under 500 KB`, { timeout: 120_000 }, async () => {
      const entryPath = join(PROJECT_ROOT, entry);
      expect(existsSync(entryPath), `${entry} exists`).toBe(true);
      const result = await build({
        ...esbuildOptions(entryPath, join(PROJECT_ROOT, 'cdk.out', 'bundle-test', key, 'index.mjs')),
        write: false,
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('index.mjs'));
      expect(code).toBeDefined();
      const size = code?.contents.byteLength ?? Infinity;
      console.log(`${key}: ${(size / 1024).toFixed(1)} KB minified`);
      expect(size).toBeLessThan(BUDGET_BYTES);
      const text = code?.text ?? '';
      expect(text.startsWith(BUNDLING.banner)).toBe(true);
      expect(text).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
      // The local-only DynamoDB connection directory is never in a Lambda bundle (its token keys).
      expect(text).not.toContain('CONNTOKEN#');
      // The discovery function reads no table: it does not load the DynamoDB client at all.
      if (key === 'scimDiscovery') expect(text).not.toContain('@aws-sdk/client-dynamodb');
    });
  }
});
