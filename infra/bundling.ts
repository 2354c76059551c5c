/**
 * How every function is bundled. The stack passes these options to NodejsFunction and the bundle
 * test hands the same values to esbuild directly, so the measured sizes are those of the deploy.
 *
 * ESM rather than CommonJS: the AWS SDK v3 and Powertools ship ESM builds, so esbuild can
 * tree-shake them, and the handlers may use top-level await to load secrets before the first
 * request. A few transitive dependencies still call `require` for Node built-ins; the banner gives
 * ESM output a `require` so those calls keep working.
 *
 * The AWS SDK v3 is left out of the bundle and taken from the Node.js 22 runtime (which resolves
 * ES-module imports from its own node_modules). Bundled, the SDK clients alone took a handler past
 * the 500 KB budget (about 600 KB with DynamoDB, Secrets Manager and Lambda clients, against about
 * 170 KB without; see docs/deploy.md), and bundle size is cold-start time on the SCIM path. The
 * SDK's public API is stable across minor versions, so the runtime's copy is a safe trade.
 */
import { fileURLToPath } from 'node:url';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ESM_REQUIRE_BANNER =
  "import { createRequire as __rosterCreateRequire } from 'node:module'; const require = __rosterCreateRequire(import.meta.url);";

export const NODE_TARGET = 'node22';

export const BUNDLING = {
  format: OutputFormat.ESM,
  target: NODE_TARGET,
  minify: true,
  sourceMap: true,
  // Stack traces map back through names and lines; the sources themselves need not ship.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: ['@aws-sdk/*'],
  // Marks the code as a Lambda bundle, so that what only runs locally (the DynamoDB connection
  // directory) is left out of it: esbuild drops the branch and the import it holds.
  define: { 'process.env.ROSTER_BUNDLE': JSON.stringify('lambda') },
  // esbuild is a dev dependency: bundle locally, never in Docker (CI and operators have no daemon).
  forceDockerBundling: false,
} as const satisfies BundlingOptions;

/** Lambda entry points, relative to the project root. Each exports `handler`. */
export const ENTRIES = {
  scimUsers: 'functions/scim/users.ts',
  scimGroups: 'functions/scim/groups.ts',
  scimDiscovery: 'functions/scim/discovery.ts',
  fullSync: 'functions/full-sync/handler.ts',
  apply: 'functions/apply/handler.ts',
} as const;

export type FunctionKey = keyof typeof ENTRIES;

/**
 * The esbuild options NodejsFunction derives from BUNDLING, for building an entry outside CDK (the
 * bundle test, the cold-init bench), so that what they measure is what the stack deploys.
 */
export function esbuildOptions(entryPath: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap ? 'external' : false,
    sourcesContent: BUNDLING.sourcesContent,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    define: { ...BUNDLING.define },
    outfile,
    logLevel: 'silent',
  };
}
