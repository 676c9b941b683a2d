import * as Y from "yjs";

/**
 * Tells, before a Yjs update is applied, which root types it would change. Yjs cannot roll
 * an update back, so a write policy has to decide on the update as a whole from this.
 *
 * The answer follows how Yjs itself integrates an update (Item#getMissing / Item#integrate
 * and the delete set), reading the document's struct store without touching it.
 */
export type Inspection =
  | { ok: true; roots: Set<string> } // names of root types the update would change (empty set = no effect)
  | { ok: false; reason: "malformed" | "unresolvable" };

type Struct = Y.Item | Y.GC | Y.Skip;
type AnyType = Y.AbstractType<unknown>;

/** Yjs turns the item into a GC struct: it changes no type. */
const NO_EFFECT = Symbol("no-effect");
const UNRESOLVABLE = Symbol("unresolvable");
type Fate = string | typeof NO_EFFECT | typeof UNRESOLVABLE;

/** A root type keeps its name for life, and scanning doc.share on every edit is wasted work. */
const rootNames = new WeakMap<AnyType, string>();

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): Inspection {
  const decoded = decodeWhole(update);
  if (decoded === null) return { ok: false, reason: "malformed" };
  const own = indexByClient(decoded.structs);
  if (own === null) return { ok: false, reason: "malformed" };

  const inspector = new Inspector(doc, own);
  const roots = new Set<string>();
  const add = (fate: Fate): boolean => {
    if (fate === UNRESOLVABLE) return false;
    if (fate !== NO_EFFECT) roots.add(fate);
    return true;
  };

  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.id.clock + struct.length <= inspector.state(struct.id.client)) continue;
    if (!add(inspector.fateOfNew(struct))) return { ok: false, reason: "unresolvable" };
  }

  for (const [client, deletes] of decoded.ds.clients) {
    for (const { clock, len } of deletes) {
      // No encoder writes an empty range, and applyUpdate throws on one past the state after integrating the structs.
      if (len === 0) return { ok: false, reason: "malformed" };
      // Yjs keeps a range nobody has yet in pendingDs and deletes whatever later fills it, whoever sends that: refuse, never ignore.
      if (!inspector.bringsAll(client, clock, clock + len)) return { ok: false, reason: "unresolvable" };
      if (!inspector.forEachDeletion(client, clock, clock + len, add)) return { ok: false, reason: "unresolvable" };
    }
  }
  return { ok: true, roots };
}

interface DecoderTrace {
  rest: { pos: number; arr: Uint8Array };
  duplicateClient: boolean;
}

let lastTrace: DecoderTrace | null = null;

/**
 * Y.decodeUpdate hides its decoder. This V1 decoder leaves a trace of where decoding stopped and
 * of the struct groups' clients: readClient is only called for a group header.
 */
class TracingDecoderV1 extends Y.UpdateDecoderV1 {
  readonly #trace: DecoderTrace;
  readonly #clients = new Set<number>();

  constructor(decoder: ConstructorParameters<typeof Y.UpdateDecoderV1>[0]) {
    super(decoder);
    this.#trace = { rest: decoder, duplicateClient: false };
    lastTrace = this.#trace;
  }

  override readClient(): number {
    const client = super.readClient();
    if (this.#clients.has(client)) this.#trace.duplicateClient = true;
    this.#clients.add(client);
    return client;
  }
}

function takeTrace(): DecoderTrace | null {
  const trace = lastTrace;
  lastTrace = null;
  return trace;
}

/**
 * Y.decodeUpdate, refusing what applyUpdate would read differently: trailing bytes (ignored by Yjs)
 * and a client with two struct groups (Yjs keeps only the last, so the others would be inspected
 * but never applied, and deletions "covered" by them would go to pendingDs).
 */
function decodeWhole(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> | null {
  takeTrace();
  try {
    const decoded = Y.decodeUpdateV2(update, TracingDecoderV1);
    const trace = takeTrace();
    if (trace === null || trace.duplicateClient || trace.rest.arr !== update || trace.rest.pos !== update.length) return null;
    return decoded;
  } catch {
    takeTrace();
    return null;
  }
}

/**
 * The update's structs per client, in clock order (one group per client is enforced while decoding).
 * Empty structs are never encoded by Yjs, and would make "the struct at this ID" ambiguous.
 */
function indexByClient(structs: readonly Struct[]): Map<number, Struct[]> | null {
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    if (struct.length <= 0) return null;
    const list = byClient.get(struct.id.client);
    if (!list) byClient.set(struct.id.client, [struct]);
    else if (list[list.length - 1]!.id.clock + list[list.length - 1]!.length !== struct.id.clock) return null;
    else list.push(struct);
  }
  return byClient;
}

/** Index of the first struct whose range ends after `clock`. */
function firstEndingAfter(list: readonly Struct[], clock: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid]!;
    if (s.id.clock + s.length <= clock) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Located = { struct: Y.Item | Y.GC; inDoc: boolean } | null;

class Inspector {
  readonly #doc: Y.Doc;
  readonly #own: Map<number, Struct[]>;
  readonly #states = new Map<number, number>();
  readonly #fates = new Map<Y.Item, Fate>();
  readonly #typeRoots = new Map<AnyType, Fate>();

  constructor(doc: Y.Doc, own: Map<number, Struct[]>) {
    this.#doc = doc;
    this.#own = own;
  }

  state(client: number): number {
    let state = this.#states.get(client);
    if (state === undefined) {
      state = Y.getState(this.#doc.store, client);
      this.#states.set(client, state);
    }
    return state;
  }

  /** Whether every clock of [clock, end) is in the document or in the update's own Items and GCs. */
  bringsAll(client: number, clock: number, end: number): boolean {
    let covered = Math.max(clock, this.state(client));
    if (covered >= end) return true;
    const list = this.#own.get(client) ?? [];
    for (let i = firstEndingAfter(list, covered); i < list.length && covered < end; i++) {
      const struct = list[i]!;
      if (struct.id.clock > covered || struct instanceof Y.Skip) return false;
      covered = struct.id.clock + struct.length;
    }
    return covered >= end;
  }

  /**
   * The struct covering `id` as Yjs would see it when integrating: the document's own struct for
   * clocks it already has (the update's copy is skipped there), otherwise the update's.
   * Skip structs and gaps mean the content is nowhere to be found.
   */
  #locate(id: Y.ID): Located {
    if (id.clock < this.state(id.client)) {
      const structs = this.#doc.store.clients.get(id.client);
      if (!structs) return null;
      const struct = structs[Y.findIndexSS(structs, id.clock)];
      return struct ? { struct, inDoc: true } : null;
    }
    const list = this.#own.get(id.client);
    if (!list) return null;
    const struct = list[firstEndingAfter(list, id.clock)];
    if (!struct || struct.id.clock > id.clock || struct instanceof Y.Skip) return null;
    return { struct, inDoc: false };
  }

  /** Root name of a type living in the document, walking up through the items that hold nested types. */
  rootOfType(start: unknown): Fate {
    const chain: AnyType[] = [];
    let fate: Fate = UNRESOLVABLE;
    let current: unknown = start;
    while (current instanceof Y.AbstractType) {
      const type = current as AnyType;
      const known = this.#typeRoots.get(type);
      if (known !== undefined) {
        fate = known;
        break;
      }
      // Nested types cannot form a cycle in a healthy doc; the check keeps a corrupt one from hanging the server.
      if (chain.includes(type)) break;
      chain.push(type);
      if (type._item === null) {
        fate = this.#rootName(type);
        break;
      }
      current = type._item.parent;
    }
    for (const type of chain) this.#typeRoots.set(type, fate);
    return fate;
  }

  /** findRootTypeKey throws for anything that is not one of this document's roots. */
  #rootName(type: AnyType): Fate {
    if (type.doc !== this.#doc) return UNRESOLVABLE;
    const cached = rootNames.get(type);
    if (cached !== undefined) return cached;
    try {
      const name = Y.findRootTypeKey(type);
      rootNames.set(type, name);
      return name;
    } catch {
      return UNRESOLVABLE;
    }
  }

  /**
   * Where a new item of the update lands. Dependencies on other new items are resolved with an
   * explicit stack (an offline session can chain thousands of characters), memoized per item.
   */
  fateOfNew(start: Y.Item): Fate {
    const known = this.#fates.get(start);
    if (known !== undefined) return known;
    const stack: Y.Item[] = [start];
    const onStack = new Set<Y.Item>([start]);
    while (stack.length > 0) {
      const item = stack[stack.length - 1]!;
      const step = this.#evaluate(item);
      if (step instanceof Y.Item) {
        if (onStack.has(step)) {
          // A dependency cycle: Yjs would keep these items pending forever.
          this.#fates.set(item, UNRESOLVABLE);
        } else {
          stack.push(step);
          onStack.add(step);
          continue;
        }
      } else {
        this.#fates.set(item, step);
      }
      stack.pop();
      onStack.delete(item);
    }
    return this.#fates.get(start) ?? UNRESOLVABLE;
  }

  /** Mirrors Item#getMissing; returns a new item whose fate must be known first. */
  #evaluate(item: Y.Item): Fate | Y.Item {
    let left: Located = null;
    let right: Located = null;
    if (item.origin) {
      left = this.#reference(item, item.origin);
      if (left === null) return UNRESOLVABLE;
    }
    if (item.rightOrigin) {
      right = this.#reference(item, item.rightOrigin);
      if (right === null) return UNRESOLVABLE;
    }
    if (left || right) {
      // Yjs drops the parent when either neighbour is a GC struct, and a new item it cannot place becomes one too.
      let root: string | undefined;
      for (const side of [left, right]) {
        if (side === null) continue;
        const fate = this.#fateOfLocated(side);
        if (fate instanceof Y.Item) return fate;
        if (fate === UNRESOLVABLE || fate === NO_EFFECT) return fate;
        // Yjs takes the left neighbour's parent; neighbours in different roots only come from a forged update.
        if (root !== undefined && root !== fate) return UNRESOLVABLE;
        root = fate;
      }
      return root ?? UNRESOLVABLE;
    }

    const parent: unknown = item.parent;
    if (typeof parent === "string") return parent;
    if (!(parent instanceof Y.ID)) return UNRESOLVABLE;
    const holder = this.#reference(item, parent);
    if (holder === null) return UNRESOLVABLE;
    if (!(holder.struct instanceof Y.Item)) return NO_EFFECT;
    const content = holder.struct.content;
    // A type whose item was deleted and collected keeps ContentDeleted; Yjs then finds no parent type.
    if (!(content instanceof Y.ContentType)) return NO_EFFECT;
    if (holder.inDoc) return this.rootOfType(content.type);
    // A nested type created by this same update lives where the item holding it lives.
    return this.#fateOfLocated(holder);
  }

  /**
   * Same-client references always point backwards in a real update; Yjs does not check them for
   * missing content and would throw mid-transaction on one that points forward.
   */
  #reference(item: Y.Item, id: Y.ID): Located {
    if (id.client === item.id.client && id.clock >= item.id.clock) return null;
    return this.#locate(id);
  }

  /** The root the located struct belongs to, or the new item that must be resolved first. */
  #fateOfLocated(located: NonNullable<Located>): Fate | Y.Item {
    const { struct, inDoc } = located;
    if (!(struct instanceof Y.Item)) return NO_EFFECT;
    if (inDoc) return this.rootOfType(struct.parent);
    return this.#fates.get(struct) ?? struct;
  }

  /**
   * Feeds `add` the root of every document struct in [clock, end) of `client` that the deletion would
   * change, and returns false as soon as `add` does. The part of the range the update itself brings is
   * left out: every new item there has already been counted.
   */
  forEachDeletion(client: number, clock: number, end: number, add: (fate: Fate) => boolean): boolean {
    const structs = this.#doc.store.clients.get(client);
    if (!structs || clock >= this.state(client)) return true;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= end) break;
      // Deleting what is already deleted or collected changes nothing.
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      if (!add(this.rootOfType(struct.parent))) return false;
    }
    return true;
  }
}
