// Ids of children (and so of their folders): one pattern for the reader, the templates and the messages.

export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$";
const CHILD_ID = new RegExp(ID_PATTERN);

export function isValidChildId(id: string): boolean {
  return CHILD_ID.test(id);
}
