/**
 * Bytes of request bodies held in memory at once, per client and overall. Each form body
 * is small, but a few hundred parallel 1 MB posts from one signed-in member would otherwise
 * take hundreds of megabytes; the budget turns that into quick 503s instead.
 */
export class BodyBudget {
  readonly #perClient: number;
  readonly #overall: number;
  readonly #byClient = new Map<string, number>();
  #total = 0;

  constructor(limits: { perClient: number; overall: number }) {
    this.#perClient = limits.perClient;
    this.#overall = limits.overall;
  }

  /** A reservation that grows as a body's chunks arrive; release it once the request is done. */
  open(client: string): { grow: (bytes: number) => boolean; release: () => void } {
    let held = 0;
    let released = false;
    return {
      grow: (bytes) => {
        const mine = this.#byClient.get(client) ?? 0;
        if (released || mine + bytes > this.#perClient || this.#total + bytes > this.#overall) return false;
        this.#byClient.set(client, mine + bytes);
        this.#total += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#total -= held;
        const left = (this.#byClient.get(client) ?? held) - held;
        if (left <= 0) this.#byClient.delete(client);
        else this.#byClient.set(client, left);
      },
    };
  }
}
