/**
 * A per-client and overall allowance of something held while a request runs: uploads being
 * read (counted one each) or bytes of form bodies held in memory. Each take is checked and
 * counted synchronously, so fifty parallel requests cannot all pass before any is counted.
 */
export class Quota {
  readonly #perClient: number;
  readonly #overall: number;
  readonly #byClient = new Map<string, number>();
  #total = 0;

  constructor(limits: { perClient: number; overall: number }) {
    this.#perClient = limits.perClient;
    this.#overall = limits.overall;
  }

  /** A reservation that may grow; release it exactly when the request is done (idempotent). */
  open(client: string): { take: (amount: number) => boolean; release: () => void } {
    let held = 0;
    let released = false;
    return {
      take: (amount) => {
        const mine = this.#byClient.get(client) ?? 0;
        if (released || mine + amount > this.#perClient || this.#total + amount > this.#overall) return false;
        this.#byClient.set(client, mine + amount);
        this.#total += amount;
        held += amount;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#total -= held;
        const left = (this.#byClient.get(client) ?? held) - held;
        // Clients at zero are dropped: one entry per client ever seen would grow without bound.
        if (left <= 0) this.#byClient.delete(client);
        else this.#byClient.set(client, left);
      },
    };
  }
}
