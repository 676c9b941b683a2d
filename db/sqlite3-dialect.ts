import sqlite3 from "sqlite3";
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";

export interface Sqlite3DialectConfig {
  /** Path of the database file; created if missing. */
  filename: string;
  busyTimeoutMs?: number;
}

/**
 * Kysely has no dialect for the `sqlite3` driver. This one keeps a single connection,
 * hands it to one caller at a time (so transactions are serialized), and opens write
 * transactions with BEGIN IMMEDIATE so a writer never fails half-way on a lock upgrade.
 */
export class Sqlite3Dialect implements Dialect {
  constructor(private readonly config: Sqlite3DialectConfig) {}
  createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
  createDriver(): Driver {
    return new Sqlite3Driver(this.config);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
}

/**
 * SQLite runs DDL inside transactions; Kysely's adapter says otherwise only because other
 * drivers may autocommit. Saying so makes the migrator run all pending migrations in one
 * transaction, so a migration that throws leaves the file as it was.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

function open(filename: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(filename, (err) => (err ? reject(err) : resolve(db)));
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

class Sqlite3Driver implements Driver {
  #db: sqlite3.Database | undefined;
  #connection: Sqlite3Connection | undefined;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(private readonly config: Sqlite3DialectConfig) {}

  async init(): Promise<void> {
    const db = await open(this.config.filename);
    db.configure("busyTimeout", this.config.busyTimeoutMs ?? 5000);
    // Pragmas are connection settings: set once here, never inside a transaction.
    // In WAL mode, synchronous=NORMAL keeps every committed transaction across a process kill
    // (the WAL is in the OS's hands at COMMIT) without an fsync per commit; only a power cut
    // can lose the last commits. See docs/decisions/0010.
    await exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    this.#db = db;
    this.#connection = new Sqlite3Connection(db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    if (!this.#connection) throw new Error("database is closed");
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("BEGIN IMMEDIATE"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("COMMIT"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("ROLLBACK"));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    this.#connection = undefined;
    if (!db) return;
    await this.#queue;
    await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
  }
}

class Sqlite3Connection implements DatabaseConnection {
  constructor(private readonly db: sqlite3.Database) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const params = parameters as unknown[];
    const returnsRows =
      SelectQueryNode.is(compiledQuery.query) || /^\s*(select|with|pragma)\b|\breturning\b/i.test(sql);
    if (returnsRows) {
      return new Promise((resolve, reject) => {
        this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve({ rows: rows as R[] })));
      });
    }
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) return reject(err);
        resolve({
          rows: [],
          numAffectedRows: BigInt(this.changes),
          insertId: BigInt(this.lastID),
        });
      });
    });
  }

  // sqlite3 has no cursor with back-pressure; rows are read in one go and handed out in chunks.
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) {
      yield { rows: rows.slice(i, i + chunkSize) };
    }
  }
}
