/**
 * Entity tags (RFC 7644 §3.14) derived from the resource version. They are weak: the representation
 * varies with `attributes` projection while the version does not.
 */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Whether an `If-Match`/`If-None-Match` header names this version: `*`, a comma-separated list,
 * weak or strong forms compared weakly (RFC 9110 §8.8.3.2). Tags sent without quotes are tolerated
 * because some clients strip them.
 */
export function etagMatches(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  const current = String(version);
  return header.split(',').some((entry) => {
    const tag = entry.trim();
    if (tag === '*') return true;
    const opaque = tag.replace(/^W\//i, '');
    const unquoted =
      opaque.length >= 2 && opaque.startsWith('"') && opaque.endsWith('"') ? opaque.slice(1, -1) : opaque;
    return unquoted === current;
  });
}
