/**
 * The sorted set: a skiplist ordered by (score, member) whose links carry
 * spans, so that rank ↔ node is O(log n), plus a member → node map for O(1)
 * score lookups. Members are latin1 strings (one char per byte, like the
 * keyspace's keys), so `<` on two members is a bytewise memcmp comparison
 * with the shorter prefix first, which is Redis's order for equal scores.
 *
 *   level 2: head ───────────────(span 3)──────────────▶ c ──▶ null
 *   level 1: head ──(1)──▶ a ──────(2)──────────────────▶ c ──▶ null
 *   level 0: head ──(1)──▶ a ──(1)──▶ b ──(1)──────────▶ c ──▶ null
 *                   ◀─prev─   ◀─prev─    ◀─prev─
 *
 * Invariants:
 * - `head` is a sentinel with MAX_LEVEL links; it holds no member.
 * - For every node x and level i < x.next.length, x.span[i] is the number of
 *   level-0 steps from x to x.next[i] (or to the end of the list + 1 when
 *   x.next[i] is null, which keeps the rank arithmetic uniform).
 * - Level-0 links visit every member in (score, member) order; `prev` links
 *   go back (the first node's prev is null); `tail` is the last node.
 * - `dict` holds exactly the members in the list, each mapped to its node.
 *
 * Scores are doubles and never NaN (commands refuse NaN before calling).
 *
 * `listpack` records the encoding Redis would use (OBJECT ENCODING): it is a
 * fact about the value's history (conversions happen on writes, by the
 * thresholds in force then), so the commands maintain it through
 * `convertIfNeeded` / `listpackFits`; the structure itself is always a skiplist.
 *
 * No network or command imports.
 */

const MAX_LEVEL = 32;
const ZADD = Buffer.from('ZADD');
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const REWRITE_BATCH = 64;
/** Redis's ZSKIPLIST_P: each level holds about a quarter of the one below. */
const P = 0.25;

export class ZNode {
  /** Forward links, one per level of this node. */
  next: (ZNode | null)[];
  /** span[i]: level-0 distance covered by next[i]. */
  span: number[];
  /** The previous node at level 0, or null for the first node. */
  prev: ZNode | null = null;
  constructor(
    public member: string,
    public score: number,
    level: number,
  ) {
    this.next = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A score interval: `minEx`/`maxEx` make a bound exclusive (`(`). */
export interface ScoreRange {
  min: number;
  max: number;
  minEx: boolean;
  maxEx: boolean;
}

/**
 * A lexicographic interval. A bound is a latin1 string, or -Infinity / +Infinity
 * for `-` and `+`; `minEx`/`maxEx` make string bounds exclusive (`(`).
 */
export interface LexRange {
  min: string | number;
  max: string | number;
  minEx: boolean;
  maxEx: boolean;
}

/** Does (score, member) order a before b? */
function before(aScore: number, aMember: string, bScore: number, bMember: string): boolean {
  return aScore < bScore || (aScore === bScore && aMember < bMember);
}

export function scoreGteMin(s: number, r: ScoreRange): boolean {
  return r.minEx ? s > r.min : s >= r.min;
}
export function scoreLteMax(s: number, r: ScoreRange): boolean {
  return r.maxEx ? s < r.max : s <= r.max;
}
export function lexGteMin(m: string, r: LexRange): boolean {
  if (typeof r.min === 'number') return r.min < 0;
  return r.minEx ? m > r.min : m >= r.min;
}
export function lexLteMax(m: string, r: LexRange): boolean {
  if (typeof r.max === 'number') return r.max > 0;
  return r.maxEx ? m < r.max : m <= r.max;
}
/** Is the score interval empty? (Redis's zslIsInRange pre-check.) */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minEx || r.maxEx));
}
/** Is the lex interval empty whatever the members? */
export function lexRangeEmpty(r: LexRange): boolean {
  if (typeof r.min === 'number' && r.min > 0) return true;
  if (typeof r.max === 'number' && r.max < 0) return true;
  if (typeof r.min === 'string' && typeof r.max === 'string') {
    if (r.min > r.max) return true;
    if (r.min === r.max && (r.minEx || r.maxEx)) return true;
  }
  return false;
}

export class SortedSet {
  readonly kind = 'zset';
  /** The encoding Redis would report: listpack until a threshold was crossed, then skiplist for good. */
  listpack = true;
  readonly dict = new Map<string, ZNode>();
  readonly head = new ZNode('', 0, MAX_LEVEL);
  tail: ZNode | null = null;
  /** Levels in use (1..MAX_LEVEL). */
  private level = 1;
  /** Bytes of member text, for MEMORY USAGE. */
  private memberBytes = 0;

  get encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  get size(): number {
    return this.dict.size;
  }

  score(member: string): number | undefined {
    return this.dict.get(member)?.score;
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  private randomLevel(): number {
    let l = 1;
    while (l < MAX_LEVEL && Math.random() < P) l++;
    return l;
  }

  /** Inserts a member known to be absent. O(log n). */
  private insertNode(member: string, score: number): ZNode {
    const update: ZNode[] = new Array(MAX_LEVEL);
    const rank: number[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let n = x.next[i];
      while (n !== null && before(n.score, n.member, score, member)) {
        rank[i] += x.span[i];
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.dict.size;
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    for (let i = 0; i < level; i++) {
      node.next[i] = update[i].next[i];
      update[i].next[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.prev = update[0] === this.head ? null : update[0];
    if (node.next[0] !== null) node.next[0].prev = node;
    else this.tail = node;
    this.dict.set(member, node);
    this.memberBytes += member.length;
    return node;
  }

  /** Unlinks a node. O(log n). */
  private removeNode(node: ZNode): void {
    const update: ZNode[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && n !== node && before(n.score, n.member, node.score, node.member)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    for (let i = 0; i < this.level; i++) {
      if (update[i].next[i] === node) {
        update[i].span[i] += node.span[i] - 1;
        update[i].next[i] = node.next[i];
      } else {
        update[i].span[i]--;
      }
    }
    if (node.next[0] !== null) node.next[0].prev = node.prev;
    else this.tail = node.prev;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.dict.delete(node.member);
    this.memberBytes -= node.member.length;
  }

  /**
   * Sets member's score, adding it when absent. Returns true when the member
   * was added. O(log n) (O(1) when the new score keeps the node in place).
   */
  set(member: string, score: number): boolean {
    const node = this.dict.get(member);
    if (node === undefined) {
      this.insertNode(member, score);
      return true;
    }
    if (node.score === score) return false;
    const p = node.prev;
    const n = node.next[0];
    if ((p === null || before(p.score, p.member, score, member)) && (n === null || before(score, member, n.score, n.member))) {
      node.score = score; // still in order: update in place
      return false;
    }
    this.removeNode(node);
    this.insertNode(member, score);
    return false;
  }

  /** Removes member; true if it was there. O(log n). */
  delete(member: string): boolean {
    const node = this.dict.get(member);
    if (node === undefined) return false;
    this.removeNode(node);
    return true;
  }

  /** 0-based rank of member in ascending order, or -1. O(log n). */
  rank(member: string): number {
    const node = this.dict.get(member);
    if (node === undefined) return -1;
    let r = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && (n === node || before(n.score, n.member, node.score, node.member))) {
        r += x.span[i];
        x = n;
        if (x === node) return r - 1;
        n = x.next[i];
      }
    }
    return r - 1;
  }

  /** The node at 0-based rank, or null when out of range. O(log n). */
  at(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.dict.size) return null;
    const target = rank + 1;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] !== null && traversed + x.span[i] <= target) {
        traversed += x.span[i];
        x = x.next[i]!;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  first(): ZNode | null {
    return this.head.next[0];
  }

  last(): ZNode | null {
    return this.tail;
  }

  /** The first node whose score is in r, or null. O(log n). */
  firstInScore(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && !scoreGteMin(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const n = x.next[0];
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** The last node whose score is in r, or null. O(log n). */
  lastInScore(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && scoreLteMax(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && scoreGteMin(x.score, r) ? x : null;
  }

  /** The first node whose member is in r (members compared in list order, as Redis's zslFirstInLexRange). */
  firstInLex(r: LexRange): ZNode | null {
    if (lexRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && !lexGteMin(n.member, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const n = x.next[0];
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  lastInLex(r: LexRange): ZNode | null {
    if (lexRangeEmpty(r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n !== null && lexLteMax(n.member, r)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && lexGteMin(x.member, r) ? x : null;
  }

  /** Rank of a node (O(log n)). */
  rankOf(node: ZNode): number {
    return this.rank(node.member);
  }

  /** Members with score in r. O(log n). */
  countScore(r: ScoreRange): number {
    const a = this.firstInScore(r);
    if (a === null) return 0;
    const b = this.lastInScore(r)!;
    return this.rank(b.member) - this.rank(a.member) + 1;
  }

  countLex(r: LexRange): number {
    const a = this.firstInLex(r);
    if (a === null) return 0;
    const b = this.lastInLex(r);
    if (b === null) return 0;
    const n = this.rank(b.member) - this.rank(a.member) + 1;
    return n < 0 ? 0 : n;
  }

  /** Every (member, score) in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    for (let x = this.head.next[0]; x !== null; x = x.next[0]) yield [x.member, x.score];
  }

  /**
   * ZADD commands of up to 64 score/member pairs each (Redis's
   * AOF_REWRITE_ITEMS_PER_CMD), scores in their shortest round-trip form,
   * for BGREWRITEAOF.
   */
  rewrite(key: Buffer): Buffer[][] {
    const out: Buffer[][] = [];
    let argv: Buffer[] = [];
    for (let x = this.head.next[0]; x !== null; x = x.next[0]) {
      if (argv.length === 0) argv.push(ZADD, key);
      const s = x.score;
      argv.push(Buffer.from(s === Infinity ? 'inf' : s === -Infinity ? '-inf' : String(s), 'latin1'), Buffer.from(x.member, 'latin1'));
      if (argv.length === 2 + 2 * REWRITE_BATCH) {
        out.push(argv);
        argv = [];
      }
    }
    if (argv.length > 0) out.push(argv);
    return out;
  }

  /** An independent copy (COPY). O(n log n)... O(n) expected. */
  clone(): SortedSet {
    const z = new SortedSet();
    z.listpack = this.listpack;
    for (let x = this.head.next[0]; x !== null; x = x.next[0]) z.insertNode(x.member, x.score);
    return z;
  }

  /** An estimate of the bytes held, for MEMORY USAGE (listpack: about Redis's packed size; skiplist: per-node cost). */
  memoryUsage(): number {
    const n = this.dict.size;
    if (this.listpack) return 16 + 7 + this.memberBytes + n * 12;
    return 64 + this.memberBytes + n * 80;
  }

  /** Largest member length (bytes), for encoding decisions. O(n). */
  maxMemberLength(): number {
    let m = 0;
    for (const k of this.dict.keys()) if (k.length > m) m = k.length;
    return m;
  }
}
