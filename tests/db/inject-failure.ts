// A write the real database refuses, on either engine: a trigger that aborts
// the statement, as a full disk or a broken constraint would. Tests use it to
// prove that an operation's earlier writes are rolled back with the one that
// failed — nothing about the code under test is stubbed.
import type { TestDatabase } from "../support/databases";

let seq = 0;

/**
 * Makes `on` statements on `table` fail (only for rows where `when` holds,
 * an SQL condition on NEW or OLD that both engines read alike) until the
 * returned function is called.
 */
export async function injectFailure(t: TestDatabase, on: "INSERT" | "UPDATE" | "DELETE", table: string, when?: string): Promise<() => Promise<void>> {
  const name = `inject_failure_${++seq}`;
  if (t.engine === "sqlite") {
    await t.raw(`CREATE TRIGGER "${name}" BEFORE ${on} ON "${table}" FOR EACH ROW ${when ? `WHEN ${when} ` : ""}BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    return async () => void (await t.raw(`DROP TRIGGER "${name}"`));
  }
  await t.raw(`CREATE OR REPLACE FUNCTION "inject_failure"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
  await t.raw(`CREATE TRIGGER "${name}" BEFORE ${on} ON "${table}" FOR EACH ROW ${when ? `WHEN (${when}) ` : ""}EXECUTE FUNCTION "inject_failure"()`);
  return async () => void (await t.raw(`DROP TRIGGER "${name}" ON "${table}"`));
}
