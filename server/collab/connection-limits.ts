export interface ConnectionCaps {
  total: number;
  perIp: number;
  perMember: number;
}

/** One socket's place under the caps, from its upgrade until its TCP connection closes. */
export interface ConnectionSlot {
  /** Counts the socket against its member's cap once the session is known; false when that member is at the cap. */
  claimMember(userId: number): boolean;
  /** Gives every place back. Idempotent, so each way a socket can end may call it. */
  release(): void;
}

/**
 * Caps on open collaboration sockets: overall, per client address and per member. Each
 * check-and-count happens synchronously, so upgrades that arrive together cannot all pass a
 * check before any of them is counted.
 */
export class ConnectionLimits {
  #total = 0;
  readonly #perIp = new Map<string, number>();
  readonly #perMember = new Map<number, number>();

  constructor(private readonly caps: ConnectionCaps) {}

  /** Sockets counted now, refused ones not included. */
  get size(): number {
    return this.#total;
  }

  /** Reserves a place for a socket from `ip`; null when the server or that address is at its cap. */
  open(ip: string): ConnectionSlot | null {
    if (this.#total >= this.caps.total || (this.#perIp.get(ip) ?? 0) >= this.caps.perIp) return null;
    this.#total += 1;
    increment(this.#perIp, ip);
    let member: number | null = null;
    let released = false;
    return {
      claimMember: (userId) => {
        if (released || member !== null || (this.#perMember.get(userId) ?? 0) >= this.caps.perMember) return false;
        member = userId;
        increment(this.#perMember, userId);
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#total -= 1;
        decrement(this.#perIp, ip);
        if (member !== null) decrement(this.#perMember, member);
      },
    };
  }
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

// Keys at zero are removed: one entry per address ever seen would grow without bound.
function decrement<K>(counts: Map<K, number>, key: K): void {
  const next = (counts.get(key) ?? 0) - 1;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
