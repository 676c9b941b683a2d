/**
 * Bounds how many uploads are read at once, per member and overall, so fifty parallel
 * uploads from one member cannot fill the disk or starve everyone else's imports.
 */
export class UploadSlots {
  readonly #perMember: number;
  readonly #overall: number;
  readonly #byMember = new Map<number, number>();
  #total = 0;

  constructor(limits: { perMember: number; overall: number }) {
    this.#perMember = limits.perMember;
    this.#overall = limits.overall;
  }

  /** A release function if a slot was free (call it exactly when the upload is done), else null. */
  take(memberId: number): (() => void) | null {
    const mine = this.#byMember.get(memberId) ?? 0;
    if (mine >= this.#perMember || this.#total >= this.#overall) return null;
    this.#byMember.set(memberId, mine + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#byMember.get(memberId) ?? 1) - 1;
      if (left === 0) this.#byMember.delete(memberId);
      else this.#byMember.set(memberId, left);
    };
  }
}
