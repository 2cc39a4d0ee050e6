import { ConfabError } from '../errors/confab-error.js';
import type { Store } from './store.js';
import { StoreNamespaces } from './store-namespaces.js';

/**
 * One step of the store's schema, run once, in `version` order (1, 2, 3, … without gaps); the
 * last version applied is kept under `meta/schemaVersion`. `up` must be idempotent: a crash
 * before its version is recorded runs it again at the next open.
 */
export interface StoreMigration {
  readonly version: number;
  /** What the step changes, for logs and for whoever reads this list later. */
  readonly description: string;
  up(store: Store): Promise<void>;
}

/** What {@link applyStoreMigrations} did. */
export interface StoreMigrationResult {
  /** Schema version found at open; 0 for a new store. */
  readonly from: number;
  /** Schema version after migrating. */
  readonly to: number;
  /** Versions of the steps that ran, in order. */
  readonly applied: readonly number[];
}

/** Key in the `meta` namespace that holds the schema version. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/**
 * The schema history of core's store. Append new steps; never change or remove one that has
 * shipped: stores outlive releases, and the version a store records is what a later step
 * migrates from.
 */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    description: 'initial schema: the namespaces of StoreNamespaces, schema version in meta',
    async up() {
      // A new store needs no data; the runner records version 1.
    },
  },
];

/** The newest schema version a migration list knows; 0 for an empty list. */
export function latestSchemaVersion(migrations: readonly StoreMigration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The schema version recorded in a store; 0 when none is (a new store). */
export async function readSchemaVersion(store: Store, where?: string): Promise<number> {
  const version = await store.get<unknown>(StoreNamespaces.meta, SCHEMA_VERSION_KEY);
  if (version === undefined) return 0;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new ConfabError(
      'store.schema-invalid',
      `${label(where)}: ${StoreNamespaces.meta}/${SCHEMA_VERSION_KEY} is ${JSON.stringify(version)}, ` +
        'expected a whole number; the store is damaged: restore a backup or point store.path elsewhere',
    );
  }
  return version;
}

/**
 * Brings an open store up to the newest schema of `migrations`, running the missing steps in
 * order. Stores call it at the end of `open()`.
 *
 * @param where How to name the store in errors, e.g. its configured path.
 * @throws ConfabError `store.schema-too-new` when the store was written by a newer build.
 */
export async function applyStoreMigrations(
  store: Store,
  migrations: readonly StoreMigration[] = STORE_MIGRATIONS,
  where?: string,
): Promise<StoreMigrationResult> {
  assertMigrationList(migrations);
  const known = latestSchemaVersion(migrations);
  const from = await readSchemaVersion(store, where);
  if (from > known) {
    throw new ConfabError(
      'store.schema-too-new',
      `${label(where)} was written by a newer confab (schema ${from}, this build knows ${known}); ` +
        'upgrade confab or point store.path elsewhere',
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    await migration.up(store);
    await store.put(StoreNamespaces.meta, SCHEMA_VERSION_KEY, migration.version);
    applied.push(migration.version);
  }
  return { from, to: Math.max(from, known), applied };
}

function assertMigrationList(migrations: readonly StoreMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `store migrations: step ${index} has version ${migration.version}, expected ${index + 1} ` +
          '(versions start at 1 and increase by one)',
      );
    }
  });
}

function label(where: string | undefined): string {
  return where === undefined ? 'store' : `store ${where}`;
}
