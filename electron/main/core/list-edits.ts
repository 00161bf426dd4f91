import { ValidationError } from './field-errors';

/** Edits of the config's id-keyed lists (targets, rules), shared by the Monitor and the CLI. */

/** Replaces the items whose id is already there, appends the rest, keeping the list's order. */
export function upsertById<T extends { id: string }>(list: T[], incoming: readonly T[]): void {
  for (const item of incoming) {
    const i = list.findIndex((x) => x.id === item.id);
    if (i >= 0) list[i] = item;
    else list.push(item);
  }
}

/** The item with this id; a field error on `id` (as the dashboard shows it) when none has it. */
export function requireById<T extends { id: string }>(
  list: readonly T[],
  id: string,
  noun: string,
): T {
  const item = list.find((x) => x.id === id);
  if (!item) throw new ValidationError([{ path: 'id', message: `no ${noun} has id "${id}"` }]);
  return item;
}

/** The list without the item of this id; the same field error when none has it. */
export function withoutId<T extends { id: string }>(
  list: readonly T[],
  id: string,
  noun: string,
): T[] {
  requireById(list, id, noun);
  return list.filter((x) => x.id !== id);
}

/** Ids of `incoming` that `existing` already has. */
export function clashingIds(
  incoming: readonly { id: string }[],
  existing: readonly { id: string }[],
): string[] {
  const ids = new Set(existing.map((x) => x.id));
  return incoming.filter((x) => ids.has(x.id)).map((x) => x.id);
}
