const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Random ids: two people adding a section or a row at once never collide. */
function randomId(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}

export function newSectionId(): string {
  return randomId(9);
}

export function newRowId(): string {
  return randomId(12);
}
