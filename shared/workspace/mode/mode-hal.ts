/** Reading Mode's HAL bodies: embedded lists, next links, and loosely typed fields. */
import type { HalObject } from './mode-client';

export function embedded(body: HalObject | undefined, name: string): HalObject[] {
  const list = body?._embedded?.[name];
  return Array.isArray(list) ? (list as HalObject[]) : [];
}

/** The next page's link: `_links.next` (HAL) or `_links.next_page` (Mode's swagger listings). */
export function nextHref(body: HalObject | undefined): string | undefined {
  const href = body?._links?.next?.href ?? body?._links?.next_page?.href;
  return typeof href === 'string' && href !== '' ? href : undefined;
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The path and query of a link Mode gave (absolute or relative). */
export function hrefPath(href: string): string {
  const url = new URL(href, 'http://mode.invalid');
  return url.pathname + url.search;
}
