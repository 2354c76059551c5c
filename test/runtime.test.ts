import { describe, expect, it } from 'vitest';

describe('the runtime', () => {
  it('runs the project on Node 22, the Lambda runtime (pinned by the `node` devDependency)', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });
});
