/**
 * Compares a response body with the fragment a replay fixture expects: objects by the keys the
 * fragment names, arrays as "each expected element matches a distinct actual element" (member and
 * email order is not part of the protocol), primitives exactly. Returns what differs, empty if all
 * matched.
 */
export function fragmentMismatches(actual: unknown, expected: unknown, path = '$'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const used = new Set<number>();
    const problems: string[] = [];
    expected.forEach((want, i) => {
      const index = actual.findIndex((got, j) => !used.has(j) && fragmentMismatches(got, want).length === 0);
      if (index === -1) problems.push(`${path}[${i}]: no element matches ${JSON.stringify(want)}`);
      else used.add(index);
    });
    return problems;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    }
    const record = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([key, want]) =>
      fragmentMismatches(record[key], want, `${path}.${key}`),
    );
  }
  return actual === expected
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** The value at a dotted path (`Resources.0.members`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
