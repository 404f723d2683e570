/**
 * An empty array already in V8's generic elements kind. An array made with `[]` starts as one of
 * small integers and changes kind at its first string, object or function; code V8 optimised for
 * the changed kind was thrown away when a fresh array of the first kind reached it (at the start
 * of each broadcast: the journal's outcome lists, the feed's lists), and with it the send path it
 * had inlined, which at 50 messages a second takes minutes to be optimised again. Arrays made
 * here have one kind from the start.
 */
export function genericArray<T>(): T[] {
  const array: T[] = [undefined as T];
  array.length = 0;
  return array;
}
