/** RFC 6901 JSON pointers, as used in every diagnostic. */

export type PathSegment = string | number;

/** `['steps', 0, 'a/b']` → `/steps/0/a~1b`. */
export function toPointer(path: readonly PathSegment[]): string {
  return path.map((segment) => '/' + String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** `/steps/0/a~1b` → `['steps', '0', 'a/b']` (segments stay strings). */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Appends segments to a pointer. */
export function joinPointer(pointer: string, ...path: PathSegment[]): string {
  return pointer + toPointer(path);
}
