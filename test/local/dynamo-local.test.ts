import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoLocal } from '../../local/dynamo-local';
import type { DynamoLocal } from '../../local/dynamo-local';

/** The JVM flags the engine was started with, as its launcher saw them. */
function javaOptions(engine: DynamoLocal): string | undefined {
  const environ = readFileSync(`/proc/${engine.pid}/environ`, 'utf8').split('\0');
  return environ.find((entry) => entry.startsWith('JDK_JAVA_OPTIONS='))?.slice('JDK_JAVA_OPTIONS='.length);
}

describe('startDynamoLocal', () => {
  let engine: DynamoLocal | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  it('starts a short-lived engine with the quick JVM and leaves the caller environment as it was', async () => {
    // Flags the caller's own environment already gives the JVM are kept, ahead of the quick ones.
    const before = process.env.JDK_JAVA_OPTIONS;
    engine = await startDynamoLocal({ jvm: 'short-lived', readyTimeoutMs: 60_000 });
    const quick = '-XX:+UseSerialGC -XX:TieredStopAtLevel=1';
    expect(javaOptions(engine)).toBe(before ? `${before} ${quick}` : quick);
    expect(process.env.JDK_JAVA_OPTIONS).toBe(before);
  });

  it('starts a server engine with the JVM left to its own choice', async () => {
    engine = await startDynamoLocal({ jvm: 'server', readyTimeoutMs: 60_000 });
    // Only what the caller's environment already held, nothing added.
    expect(javaOptions(engine)).toBe(process.env.JDK_JAVA_OPTIONS);
  });
});
