// Grouping into a Map of lists, each list grown in place: copying a group at every member made
// long groups (17,684 timeline items under "Overdue") cost time in the square of their length.

/** Adds `value` to the list kept under `key`, starting the list when there is none. */
export function addToGroup<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group) group.push(value);
  else groups.set(key, [value]);
}
